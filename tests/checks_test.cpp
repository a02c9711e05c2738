// The named run-wide checks (src/run/checks.hpp): no-leak, pin-coherent,
// no-state-reuse and droppable-never-swapped, their expectations, their
// switch, and the matrix outcome classes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fmt/format.h>

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
std::unique_ptr<Ran> run(const std::string& text, const std::string& profile, CheckSet checks = {},
                         const std::map<std::string, std::string>& overrides = {}) {
  auto ran = std::make_unique<Ran>();
  ParseResult pr = parse_scenario(text, "t.mm");
  if (!pr.scenario) {
    ADD_FAILURE() << pr.errors.front().str();
    return ran;
  }
  ran->sc = std::move(*pr.scenario);
  auto choices = find_profile(profile)->choices;
  for (auto& [k, v] : overrides) choices[k] = v;
  ran->res = run_scenario(ran->sc, profile, choices, RunOptions{true, false, checks});
  return ran;
}

const char* kDroppablePolicies[] = {"zero", "sigbus", "refill", "pinned"};

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

// vmsplice() is by reference: what the splicer itself writes later is its own
// data, even when a forked child reads the pipe (from 5.9 fork gives the
// child a copy of the pinned page, so the parent's write lands in it).
TEST(NoLeak, SplicersOwnLaterWriteIsNotALeak) {
  for (const char* profile : {"linux-5.9", "linux-5.18", "linux-6.18"}) {
    auto a = run(
        "P0: mmap A 1 rw\nP0: write A[0] = 1\nP0: pin K = A[0] write longterm\nP0: vmsplice A[0] -> pipe p\n"
        "P0: fork P1\nP0: write A[0] = 2\nP1: read pipe p -> y\nexpect y == 2\n",
        profile);
    EXPECT_THAT(a->res.leaks, IsEmpty()) << profile;
    EXPECT_TRUE(a->res.passed) << profile;
  }
  // The same shape with the child writing is the mirror-image leak under 5.7.
  auto b = run(
      "P0: mmap A 1 rw\nP0: write A[0] = 1\nP0: vmsplice A[0] -> pipe p\nP0: fork P1\nP0: munmap A\n"
      "P1: write A[0] = 2\nP0: read pipe p -> y\nexpect y == 2\nexpect leaks == 1\n",
      "linux-5.7");
  EXPECT_THAT(b->res.leaks, SizeIs(1));
  EXPECT_TRUE(b->res.passed);
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

// --- no-state-reuse ------------------------------------------------------------

// The vDSO getrandom() state in ordinary private memory: fork copies it, so
// parent and child produce the same next output (droppable.md §8, the reason
// for VM_WIPEONFORK on the state pages).
const char* kStateInPlainMemory =
    "P0: mmap S 1 rw\nP0: getrandom S[0] -> a\nP0: fork P1\nP0: getrandom S[0] -> b\nP1: getrandom S[0] -> c\n";

TEST(NoStateReuse, ForkedPlainStateIsReused) {
  auto a = run(kStateInPlainMemory, "linux-6.18");
  ASSERT_THAT(a->res.state_reuse, SizeIs(1));
  EXPECT_THAT(a->res.state_reuse[0], HasSubstr("line 5: state reuse: P1 got getrandom output"));
  EXPECT_THAT(a->res.state_reuse[0], HasSubstr("already produced for P0 at line 4"));
  EXPECT_FALSE(a->res.passed);  // unexpected: the run fails
  EXPECT_THAT(a->res.errors, SizeIs(1));
  // Stated, it passes; a wrong count fails.
  EXPECT_TRUE(run(std::string(kStateInPlainMemory) + "expect state_reuse == 1\nexpect b == c\n", "linux-6.18")->res.passed);
  EXPECT_FALSE(run(std::string(kStateInPlainMemory) + "expect state_reuse == 0\n", "linux-6.18")->res.passed);
}

// In a droppable (hence wipe-on-fork) mapping the child starts from a zero
// state and reseeds: no output is ever repeated across fork, reclaim and
// re-faults, under the policies where a lost state reads back as zero (or
// raises SIGBUS, or is never lost). (`refill` is left to the corpus: its
// callback decides what a refilled state holds.)
TEST(NoStateReuse, DroppableStateIsNeverReused) {
  const char* text =
      "P0: mmap S 1 rw droppable\nP0: getrandom S[0] -> a\nP0: fork P1\n"
      "P0: getrandom S[0] -> b\nP1: getrandom S[0] -> c\nreclaim\nP0: getrandom S[0] -> d\n"
      "P1: getrandom S[0] -> e\nP1: fork P2\nP2: getrandom S[0] -> f\nP1: getrandom S[0] -> g\n"
      "expect state_reuse == 0\nexpect b != c\n";
  for (const char* pol : {"zero", "sigbus", "pinned"}) {
    auto a = run(text, "linux-6.18", {}, {{"droppable", pol}});
    EXPECT_THAT(a->res.state_reuse, IsEmpty()) << pol;
    EXPECT_THAT(a->res.errors, IsEmpty()) << pol;
    EXPECT_TRUE(a->res.passed) << pol;
  }
}

TEST(NoStateReuse, SwitchedOffSkipsItsExpectations) {
  CheckSet c;
  c.no_state_reuse = false;
  auto a = run(std::string(kStateInPlainMemory) + "expect state_reuse == 0\n", "linux-6.18", c);
  EXPECT_THAT(a->res.state_reuse, IsEmpty());
  ASSERT_THAT(a->res.expects, SizeIs(1));
  EXPECT_EQ(a->res.expects[0].status, ExpectResult::Status::Skipped);
  EXPECT_TRUE(a->res.passed);
}

// Twice to the same process counts too; each repeat is one event.
TEST(NoStateReuse, MonitorSeesRepeatsByOneProcess) {
  Monitor m(CheckSet{});
  m.name(0, "P0");
  m.getrandom(0, 0x10, 3);
  m.getrandom(0, 0x11, 4);
  EXPECT_THAT(m.state_reuse_events(), IsEmpty());
  m.getrandom(0, 0x10, 5);
  m.getrandom(0, 0x10, 6);
  ASSERT_THAT(m.state_reuse_events(), SizeIs(2));
  EXPECT_EQ(m.state_reuse_events()[0], "line 5: state reuse: P0 got getrandom output 0x10, already produced for it at line 3");
  EXPECT_EQ(&m.events(kStateReuseName), &m.state_reuse_events());
}

// --- droppable-never-swapped -----------------------------------------------------

// MADV_PAGEOUT and reclaim with a swap device: anonymous pages go to swap,
// droppable ones are discarded (6.18: try_to_unmap_one() drops VM_DROPPABLE
// folios) or, under `pinned`, stay: never a swap entry in the droppable VMA.
TEST(DroppableNeverSwapped, ReclaimNeverSwapsDroppable) {
  const char* text =
      "config swap=8\nP0: mmap A 2 rw\nP0: mmap D 2 rw droppable\nP0: write A = 1\nP0: write D = 2\n"
      "P0: madvise D pageout -> po\nP0: write D[0] = 3 -> w\nreclaim -> n\nP0: swapped A[0] -> sa\n"
      "P0: swapped D[0] -> sd\nP0: swapped D[1] -> sd1\n"
      "expect sa == true\nexpect sd == false\nexpect sd1 == false\nexpect swapped_droppable == 0\n";
  for (const char* pol : kDroppablePolicies) {
    auto a = run(text, "linux-6.18", {}, {{"droppable", pol}});
    EXPECT_THAT(a->res.swapped_droppable, IsEmpty()) << pol;
    EXPECT_THAT(a->res.errors, IsEmpty()) << pol;
    EXPECT_TRUE(a->res.passed) << pol;
  }
}

// The check itself, on a state built by hand: a swap entry inside a
// VM_DROPPABLE VMA is reported once per (mm, page); outside, or in a dead mm, never.
TEST(DroppableNeverSwapped, MonitorReportsEachPageOnce) {
  State st;
  st.mms.resize(2);
  for (Mm& mm : st.mms) {
    mm.vmas.push_back(Vma{.start = 0x100, .end = 0x102, .flags = VM_READ | VM_WRITE | VM_DROPPABLE});
    mm.vmas.push_back(Vma{.start = 0x200, .end = 0x201, .flags = VM_READ | VM_WRITE});
    mm.pt.set(0x101, Pte::swap(3, PTE_SWP_EXCLUSIVE));
    mm.pt.set(0x200, Pte::swap(4, 0));
  }
  st.mms[1].live = 0;
  Monitor m(CheckSet{});
  m.check_droppable(st, [](MmId mm, Vpn v) { return fmt::format("P{} D[{}]", mm, v - 0x100); }, 7);
  m.check_droppable(st, nullptr, 8);
  ASSERT_THAT(m.swapped_droppable_events(), SizeIs(1));
  EXPECT_EQ(m.swapped_droppable_events()[0], "line 7: swapped droppable: P0 D[1] holds swap entry 3 in a VM_DROPPABLE mapping");
  // A second page: reported at the step that made it.
  st.mms[0].pt.set(0x100, Pte::swap(5, 0));
  m.check_droppable(st, nullptr, 9);
  ASSERT_THAT(m.swapped_droppable_events(), SizeIs(2));
  EXPECT_THAT(m.swapped_droppable_events()[1], HasSubstr("line 9: swapped droppable: mm0 0x100000 holds swap entry 5"));
  // Switched off: silent.
  CheckSet off;
  off.droppable_never_swapped = false;
  Monitor quiet(off);
  quiet.check_droppable(st, nullptr, 7);
  EXPECT_THAT(quiet.swapped_droppable_events(), IsEmpty());
}

TEST(DroppableNeverSwapped, UnexpectedEventFailsTheRunStatedPasses) {
  // A run can only show the check's plumbing when the mechanism misbehaves;
  // expectations on the name evaluate like `leaks`.
  auto a = run("P0: mmap D 1 rw droppable\nP0: write D[0] = 1\nexpect swapped_droppable == 0\n", "linux-6.18");
  ASSERT_THAT(a->res.expects, SizeIs(1));
  EXPECT_EQ(a->res.expects[0].status, ExpectResult::Status::Pass);
  auto b = run("P0: mmap D 1 rw droppable\nexpect swapped_droppable == 1\n", "linux-6.18");
  EXPECT_FALSE(b->res.passed);
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
  r.state_reuse.push_back("z");
  EXPECT_EQ(outcome_class(r), "stale+reuse");
  r.lost_coherence.clear();
  r.state_reuse.clear();
  r.swapped_droppable.push_back("w");
  EXPECT_EQ(outcome_class(r), "swapped");
  r.skipped = "MAP_DROPPABLE needs Linux 6.11+ (mmap gives EINVAL)";
  EXPECT_EQ(outcome_class(r), "skip");
}

TEST(Checks, ParseList) {
  CheckSet c;
  std::string err;
  ASSERT_TRUE(parse_checks("none", &c, &err));
  EXPECT_FALSE(c.no_leak || c.pin_coherent);
  ASSERT_TRUE(parse_checks("pin-coherent", &c, &err));
  EXPECT_TRUE(c.pin_coherent && !c.no_leak);
  ASSERT_TRUE(parse_checks("all", &c, &err));
  EXPECT_TRUE(c.pin_coherent && c.no_leak && c.no_state_reuse && c.droppable_never_swapped);
  ASSERT_TRUE(parse_checks("none", &c, &err));
  EXPECT_FALSE(c.no_state_reuse || c.droppable_never_swapped);
  ASSERT_TRUE(parse_checks("no-state-reuse,droppable-never-swapped", &c, &err));
  EXPECT_TRUE(c.no_state_reuse && c.droppable_never_swapped && !c.no_leak && !c.pin_coherent);
  EXPECT_FALSE(parse_checks("no-leek", &c, &err));
  EXPECT_THAT(err, HasSubstr("unknown check 'no-leek'"));
  EXPECT_THAT(err, HasSubstr("no-state-reuse, droppable-never-swapped, all, none"));
}

// The names the checks bind cannot be bound by a step.
TEST(Checks, ReservedNames) {
  ParseResult pr = parse_scenario("P0: mmap A 1 rw\nP0: read A[0] -> leaks\n", "t.mm");
  ASSERT_FALSE(pr.scenario.has_value());
  EXPECT_THAT(pr.errors[0].message, HasSubstr("'leaks' is the name the no-leak check binds"));
  pr = parse_scenario("P0: mmap A 1 rw\nP0: read A[0] -> swapped_droppable\n", "t.mm");
  ASSERT_FALSE(pr.scenario.has_value());
  EXPECT_THAT(pr.errors[0].message, HasSubstr("the droppable-never-swapped check binds"));
}

}  // namespace
}  // namespace mmsim
