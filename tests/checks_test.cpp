// The named run-wide checks (src/run/checks.hpp): no-leak and pin-coherent,
// their expectations, their switch, and the matrix outcome classes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "policy/profile.hpp"
#include "run/matrix.hpp"
#include "run/runner.hpp"
#include "scenario/parser.hpp"

namespace mmsim {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

struct Ran {
  Scenario sc;
  RunResult res;
};

// Parse and run under one profile; the Scenario outlives the result.
std::unique_ptr<Ran> run(const std::string& text, const std::string& profile, CheckSet checks = {}) {
  auto ran = std::make_unique<Ran>();
  ParseResult pr = parse_scenario(text, "t.mm");
  if (!pr.scenario) {
    ADD_FAILURE() << pr.errors.front().str();
    return ran;
  }
  ran->sc = std::move(*pr.scenario);
  ran->res = run_scenario(ran->sc, profile, find_profile(profile)->choices, RunOptions{true, false, checks});
  return ran;
}

// CVE-2020-29374 (cow.c "vmsplice() + unmap in child"): the child reads the
// parent's later write through its pipe under the mapcount rule only.
const char* kVmspliceLeak =
    "P0: mmap A 1 rw\nP0: write A[0] = 0xaa\nP0: fork P1\nP1: vmsplice A[0] -> pipe p\nP1: munmap A\n"
    "P0: write A[0] = 0xbb\nP1: read pipe p -> x\n";

TEST(NoLeak, Cve2020_29374LeaksUnderMapcountOnly) {
  auto a = run(kVmspliceLeak, "linux-5.7");
  ASSERT_THAT(a->res.leaks, SizeIs(1));
  EXPECT_THAT(a->res.leaks[0], HasSubstr("P1 read 0xbb"));
  EXPECT_THAT(a->res.leaks[0], HasSubstr("written by P0 at line 6"));
  EXPECT_FALSE(a->res.passed);  // an unexpected event fails the run
  for (const char* p : {"linux-5.8", "linux-5.9", "linux-5.18", "linux-6.18"}) {
    auto b = run(kVmspliceLeak, p);
    EXPECT_THAT(b->res.leaks, IsEmpty()) << p;
    EXPECT_TRUE(b->res.passed) << p;
  }
}

TEST(NoLeak, ExpectedLeakCountMakesTheRunPass) {
  const std::string text = std::string(kVmspliceLeak) + "expect leaks == 0\nexpect[linux-5.7] leaks == 1\n";
  EXPECT_TRUE(run(text, "linux-5.7")->res.passed);
  EXPECT_TRUE(run(text, "linux-6.18")->res.passed);
  // ... and a wrong count fails it.
  EXPECT_FALSE(run(std::string(kVmspliceLeak) + "expect leaks == 0\n", "linux-5.7")->res.passed);
}

TEST(NoLeak, SwitchedOffSkipsItsExpectations) {
  auto a = run(std::string(kVmspliceLeak) + "expect leaks == 0\n", "linux-5.7", CheckSet{false, true});
  EXPECT_THAT(a->res.leaks, IsEmpty());
  ASSERT_THAT(a->res.expects, SizeIs(1));
  EXPECT_EQ(a->res.expects[0].status, ExpectResult::Status::Skipped);
  EXPECT_TRUE(a->res.passed);
}

// Legitimate flows are not leaks: the child sees what the parent wrote before
// fork; a pipe carries what its page held when spliced; shared memory.
TEST(NoLeak, InheritedSplicedAndSharedDataAreNotLeaks) {
  auto a = run(
      "P0: mmap A 1 rw\nP0: mmap S 1 rw shared\nP0: write A[0] = 1\nP0: vmsplice A[0] -> pipe p\nP0: fork P1\n"
      "P1: read A[0] -> x\nP1: read pipe p -> y\nP1: write S[0] = 7\nP0: read S[0] -> z\n"
      "expect x == 1\nexpect y == 1\nexpect z == 7\n",
      "linux-6.18");
  EXPECT_THAT(a->res.leaks, IsEmpty());
  EXPECT_TRUE(a->res.passed);
}

// A child's write reaching its parent is a leak too ("Leak from child into parent").
TEST(NoLeak, ChildIntoParentThroughPipeUnderMapcount) {
  const char* text =
      "P0: mmap A 1 rw\nP0: write A[0] = 1\nP0: vmsplice A[0] -> pipe p\nP0: fork P1\nP0: munmap A\n"
      "P1: write A[0] = 2\nP0: read pipe p -> y\n";
  auto a = run(text, "linux-5.8");  // cow.c #5 still FAILs under 5.8
  ASSERT_THAT(a->res.leaks, SizeIs(1));
  EXPECT_THAT(a->res.leaks[0], HasSubstr("from a pipe filled at line 3"));
  EXPECT_THAT(run(text, "linux-5.9")->res.leaks, IsEmpty());
}

// clear_refs(4) on a page under a long-term R/W pin (cow-gup.md §7.2a):
// 5.9 write-protects it and the next write copies: the device is stale.
TEST(PinCoherent, ClearRefsBreaksPinsUnder59Only) {
  const char* text =
      "P0: mmap A 1 rw\nP0: write A[0] = 1\nP0: pin K = A[0] write longterm\nP0: clear_refs\nP0: write A[0] = 2\n"
      "dma read K[0] -> v\n";
  auto a = run(text, "linux-5.9");
  ASSERT_THAT(a->res.lost_coherence, SizeIs(1));
  EXPECT_THAT(a->res.lost_coherence[0], HasSubstr("line 5: lost coherence: K[0]"));
  for (const char* p : {"linux-5.7", "linux-5.8", "linux-5.11", "linux-5.18", "linux-6.18"})
    EXPECT_THAT(run(text, p)->res.lost_coherence, IsEmpty()) << p;
}

// Unmapping the pinned address is not a coherence loss: there is no mapping
// left to be coherent with (the pin still keeps the page).
TEST(PinCoherent, UnmappedAddressIsNotChecked) {
  auto a = run("P0: mmap A 1 rw\nP0: write A[0] = 1\nP0: pin K = A[0] write\nP0: munmap A\ndma read K[0] -> v\n"
               "expect v == 1\n",
               "linux-6.18");
  EXPECT_THAT(a->res.lost_coherence, IsEmpty());
  EXPECT_TRUE(a->res.passed);
}

TEST(Matrix, OutcomeClasses) {
  RunResult r;
  EXPECT_EQ(outcome_class(r), "pass");
  r.leaks.push_back("x");
  EXPECT_EQ(outcome_class(r), "leak");
  r.lost_coherence.push_back("y");
  EXPECT_EQ(outcome_class(r), "leak+stale");
  r.leaks.clear();
  EXPECT_EQ(outcome_class(r), "stale");
}

TEST(Checks, ParseList) {
  CheckSet c;
  std::string err;
  ASSERT_TRUE(parse_checks("none", &c, &err));
  EXPECT_FALSE(c.no_leak || c.pin_coherent);
  ASSERT_TRUE(parse_checks("pin-coherent", &c, &err));
  EXPECT_TRUE(c.pin_coherent && !c.no_leak);
  ASSERT_TRUE(parse_checks("all", &c, &err));
  EXPECT_TRUE(c.pin_coherent && c.no_leak);
  EXPECT_FALSE(parse_checks("no-leek", &c, &err));
  EXPECT_THAT(err, HasSubstr("unknown check 'no-leek'"));
}

// The names the checks bind cannot be bound by a step.
TEST(Checks, ReservedNames) {
  ParseResult pr = parse_scenario("P0: mmap A 1 rw\nP0: read A[0] -> leaks\n", "t.mm");
  ASSERT_FALSE(pr.scenario.has_value());
  EXPECT_THAT(pr.errors[0].message, HasSubstr("'leaks' is the name the no-leak check binds"));
}

}  // namespace
}  // namespace mmsim
