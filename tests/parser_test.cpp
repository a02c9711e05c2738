// The scenario language: parsing, located diagnostics, static validation,
// expectation overriding and running small scenarios end to end (README.md
// "Scenario language").
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "model/kernel.hpp"
#include "policy/profile.hpp"
#include "run/runner.hpp"
#include "scenario/parser.hpp"
#include "scenario/printer.hpp"

namespace mmsim {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

const std::map<std::string, std::string> kPolicies618 = find_profile("linux-6.18")->choices;

ParseResult parse(const std::string& text) { return parse_scenario(text, "t.mm"); }

std::string all_errors(const ParseResult& r) {
  std::string s;
  for (const Diagnostic& d : r.errors) s += d.str() + "\n";
  return s;
}

// The README's example scenario, read from the README itself.
std::string readme_example(bool keep_qualified_57) {
  std::ifstream f(std::string(MMSIM_SOURCE_DIR) + "/README.md");
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string md = ss.str();
  const size_t sec = md.find("## Scenario language");
  if (sec == std::string::npos) return "";
  const size_t open = md.find("```", sec);
  const size_t body = md.find('\n', open) + 1;
  const size_t close = md.find("```", body);
  std::istringstream in(md.substr(body, close - body));
  std::string out, line;
  while (std::getline(in, line)) {
    if (!keep_qualified_57 && line.find("linux-5.7") != std::string::npos) continue;
    out += line + "\n";
  }
  return out;
}

// A scenario with exactly one error: where and what.
struct OneError {
  int line, col;
  std::string message;
};
OneError one_error(const std::string& text) {
  const ParseResult r = parse(text);
  EXPECT_FALSE(r.scenario.has_value());
  EXPECT_EQ(r.errors.size(), 1u) << all_errors(r);
  if (r.errors.empty()) return {0, 0, ""};
  EXPECT_EQ(r.errors[0].file, "t.mm");
  return {r.errors[0].loc.line, r.errors[0].loc.col, r.errors[0].message};
}

#define EXPECT_ERROR_AT(text, l, c, substr)          \
  do {                                               \
    const OneError e_ = one_error(text);             \
    EXPECT_EQ(e_.line, l) << e_.message;             \
    EXPECT_EQ(e_.col, c) << e_.message;              \
    EXPECT_THAT(e_.message, HasSubstr(substr));      \
  } while (0)

// --- the README example --------------------------------------------------------

TEST(ParserReadme, ExampleParses) {
  const std::string text = readme_example(false);
  ASSERT_THAT(text, HasSubstr("scenario vmsplice-leak"));
  const ParseResult r = parse(text);
  ASSERT_TRUE(r.scenario.has_value()) << all_errors(r);
  const Scenario& sc = *r.scenario;
  EXPECT_EQ(sc.name, "vmsplice-leak");
  EXPECT_EQ(sc.doc, "vmsplice() after fork() must not show the child the parent's later writes");
  ASSERT_EQ(sc.refs.size(), 1u);
  EXPECT_EQ(sc.refs[0], "CVE-2020-29374");
  EXPECT_EQ(sc.config.at("memory"), "64");
  EXPECT_EQ(sc.steps.size(), 11u);
  EXPECT_EQ(sc.expects.size(), 3u);
  // A few steps in detail.
  const Step& mmap = sc.steps[0];
  EXPECT_EQ(mmap.actor, "P0");
  EXPECT_EQ(mmap.op, Op::Mmap);
  EXPECT_EQ(mmap.name, "A");
  EXPECT_EQ(mmap.pages, 2u);
  EXPECT_EQ(mmap.prot, 3);
  const Step& vms = sc.steps[4];
  EXPECT_EQ(vms.actor, "P1");
  EXPECT_EQ(vms.op, Op::Vmsplice);
  EXPECT_EQ(vms.name, "p");
  EXPECT_FALSE(vms.range.whole);
  EXPECT_EQ(vms.range.lo, 0u);
  EXPECT_EQ(vms.range.hi, 1u);
  const Step& w = sc.steps.back();
  EXPECT_EQ(w.op, Op::Write);
  EXPECT_EQ(w.value.i, 1u);
  ASSERT_EQ(w.binds.size(), 1u);
  EXPECT_EQ(w.binds[0], "r");
  const Expect& e = sc.expects[1];
  EXPECT_EQ(e.lhs, "p1");
  EXPECT_FALSE(e.equal);
  EXPECT_TRUE(e.rhs.is_name);
  EXPECT_EQ(e.rhs.name, "p0");
}

TEST(ParserReadme, ExampleRunsAndPassesUnderCheck) {
  const ParseResult r = parse(readme_example(false));
  ASSERT_TRUE(r.scenario.has_value()) << all_errors(r);
  const RunResult res = run_scenario(*r.scenario, "linux-6.18", kPolicies618, RunOptions{.check = true});
  EXPECT_TRUE(res.passed);
  EXPECT_THAT(res.errors, IsEmpty());
  ASSERT_EQ(res.expects.size(), 3u);
  for (const ExpectResult& er : res.expects) EXPECT_EQ(er.status, ExpectResult::Status::Pass) << er.expect->text;
}

// The linux-5.7 qualifier names a profile this build does not know: bad input, listing the known ones.
TEST(ParserReadme, QualifiedExampleNeedsKnownProfile) {
  std::string text = readme_example(true);
  for (size_t at; (at = text.find("linux-5.7")) != std::string::npos;) text.replace(at, 9, "linux-9.99");
  const ParseResult r = parse(text);
  ASSERT_FALSE(r.scenario.has_value());
  ASSERT_EQ(r.errors.size(), 3u) << all_errors(r);
  EXPECT_THAT(r.errors[0].message, HasSubstr("unknown profile 'linux-9.99'"));
  EXPECT_THAT(r.errors[0].message, HasSubstr("linux-6.18"));
}

// --- syntax errors: line:column and "expected ..." ----------------------------

TEST(ParserSyntax, MissingProtection) {
  EXPECT_ERROR_AT("P0: mmap A 2\n", 1, 13, "expected a protection (rw, r or none), got end of line");
}

TEST(ParserSyntax, BadProtection) {
  EXPECT_ERROR_AT("P0: mmap A 2 rw\nP0: mprotect A rx\n", 2, 16, "expected a protection (rw, r or none), got 'rx'");
}

TEST(ParserSyntax, MissingEqualsInWrite) {
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP0: write A[0] 0xaa\n", 2, 16, "expected '=' and a token, got '0xaa'");
}

TEST(ParserSyntax, MissingColonAfterProcess) {
  EXPECT_ERROR_AT("P0 mmap A 1 rw\n", 1, 4, "expected ':' after the process name, got 'mmap'");
}

TEST(ParserSyntax, TypoInOperation) {
  EXPECT_ERROR_AT("# comment\n\nP0: mmapp A 1 rw\n", 3, 5, "unknown operation 'mmapp'");
}

TEST(ParserSyntax, UnknownAdvice) {
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP0: madvise A dontneeed\n", 2, 15, "unknown advice 'dontneeed'");
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP0: madvise A dontneeed\n", 2, 15, "populate_write");
}

TEST(ParserSyntax, UnclosedIndex) {
  EXPECT_ERROR_AT("P0: mmap A 2 rw\nP0: write A[0 = 1\n", 2, 15, "expected ']', got '='");
}

TEST(ParserSyntax, BadIndex) {
  EXPECT_ERROR_AT("P0: mmap A 2 rw\nP0: write A[x] = 1\n", 2, 13, "expected a page index, got 'x'");
}

TEST(ParserSyntax, EmptyRange) {
  EXPECT_ERROR_AT("P0: mmap A 4 rw\nP0: write A[2:1] = 1\n", 2, 11, "empty page range A[2:1]");
}

TEST(ParserSyntax, UnterminatedString) {
  EXPECT_ERROR_AT("scenario s\ndoc \"never closed\n", 2, 5, "unterminated string");
}

TEST(ParserSyntax, ExpectWithoutComparison) {
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP0: read A -> x\nexpect x = 1\n", 3, 10, "expected '==' or '!=', got '='");
}

TEST(ParserSyntax, BindWithoutName) {
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP0: read A ->\n", 2, 14, "expected a name to bind, got end of line");
}

TEST(ParserSyntax, ProbeWithoutBind) {
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP0: pfn A\n", 2, 5, "a probe needs '-> name'");
}

TEST(ParserSyntax, UnexpectedCharacter) {
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP0: write A[0] = 1 @\n", 2, 20, "unexpected character '@'");
}

TEST(ParserSyntax, TrailingGarbage) {
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP0: exit now\n", 2, 10, "expected end of line, got 'now'");
}

TEST(ParserSyntax, UnknownDirective) {
  EXPECT_ERROR_AT("scenari x\n", 1, 1, "expected a step ('P0: ...', 'dma ...', 'reclaim', 'khugepaged') or a directive");
  EXPECT_ERROR_AT("scenari x\n", 1, 1, "got 'scenari' — did you mean 'scenario'?");
  EXPECT_ERROR_AT("reclam 3\n", 1, 1, "did you mean 'reclaim'?");
}

TEST(ParserSyntax, UnknownGupFlagAndLongtermGet) {
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP0: pin K = A wrte\n", 2, 15, "unknown GUP flag 'wrte'");
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP0: gup K = A longterm\n", 2, 15, "FOLL_LONGTERM requires FOLL_PIN");
}

TEST(ParserSyntax, ForkNeedsProcessName) {
  EXPECT_ERROR_AT("P0: fork child\n", 1, 10, "expected a process name like P1, got 'child'");
}

// Every bad line is reported, not just the first.
TEST(ParserSyntax, ReportsEveryBadLine) {
  const ParseResult r = parse("P0: mmap A 1\nP0: mmap B 1 rw\nP0: frobnicate B\nexpect\n");
  ASSERT_EQ(r.errors.size(), 3u) << all_errors(r);
  EXPECT_EQ(r.errors[0].loc.line, 1);
  EXPECT_EQ(r.errors[1].loc.line, 3);
  EXPECT_EQ(r.errors[2].loc.line, 4);
  EXPECT_EQ(r.errors[2].str().rfind("t.mm:4:", 0), 0u) << r.errors[2].str();
}

// Comments, blank lines, refs with any characters, and every step form parse.
TEST(ParserSyntax, EveryStepFormParses) {
  const char* text = R"(# header
scenario all-forms
doc "every \"form\""   # comment after a string
ref https://example.org/x?y=1 ; §7.1 (free text) # a comment
config memory=32 soft_dirty=n

P0: mmap A 4 rw anon populate
P0: mmap S 2 rw shared
P0: mmap L 1 r locked noreserve
P0: write A[0:2] = 0xaa
P0: read A[0:2] -> a0, a1
P0: mprotect A[3] none
P0: madvise A[2] dontfork
P0: madvise A[2] dofork
P0: madvise A[2] wipeonfork
P0: madvise A[2] keeponfork
P0: madvise A[2] dontdump
P0: madvise A[2] dodump
P0: madvise A[2] populate_read
P0: madvise A[2] populate_write
P0: madvise A[2] dontneed
P0: mlock A[0]
P0: munlock A[0]
P0: pin K = A[0:2] write longterm fast
P0: gup G = A[1] write fast
dma read K[1] -> d
dma write K[0] = 5
P0: unpin K dirty
P0: put G
P0: fork P1
P1: vmsplice A[0] -> pipe p
P1: read pipe p -> x
P0: process_vm_read P1 A[0] -> pv
P0: process_vm_write P1 A[1] = 3 -> pw
P0: pfn A[0] -> f
P0: present A[0] -> pr
P0: swapped A[0] -> sw
P0: exclusive A[0] -> ex
P0: softdirty A[0] -> sd
P0: file S[0] -> fi
P0: uffd_wp A[0] -> uw
P0: refcount A[0] -> rc
P0: mapcount A[0] -> mc
P0: pincount A[0] -> pc
P0: anon_exclusive A[0] -> ae
P0: dirty A[0] -> di
P0: mlocked A[0] -> ml
P0: has_pinned -> hp
P0: rss_anon -> ra
P0: rss_shmem -> rs
P0: locked_vm -> lv
P1: munmap A
P1: exit

expect x == 5              # dma write K[0] = 5 went to A[0]
expect[linux-6.18] d == 0xaa
expect[cow=anon-exclusive,linux-6.18] f != none
expect f == f
expect pw == OK
)";
  const ParseResult r = parse(text);
  ASSERT_TRUE(r.scenario.has_value()) << all_errors(r);
  const Scenario& sc = *r.scenario;
  EXPECT_EQ(sc.name, "all-forms");
  EXPECT_EQ(sc.doc, "every \"form\"");
  ASSERT_EQ(sc.refs.size(), 1u);
  EXPECT_THAT(sc.refs[0], ::testing::Eq("https://example.org/x?y=1 ; §7.1 (free text)"));
  EXPECT_EQ(sc.config.at("soft_dirty"), "n");
  ASSERT_EQ(sc.expects.size(), 5u);
  EXPECT_EQ(sc.expects[2].quals, (std::vector<std::string>{"cow=anon-exclusive", "linux-6.18"}));
  // The scenario is valid and runs to completion under --check.
  const RunResult res = run_scenario(sc, "linux-6.18", kPolicies618, RunOptions{.check = true, .trace = true});
  EXPECT_THAT(res.errors, IsEmpty());
  EXPECT_TRUE(res.passed);
  for (const ExpectResult& er : res.expects)
    EXPECT_EQ(er.status, ExpectResult::Status::Pass) << er.expect->text << ": actual " << er.actual.str();
  EXPECT_EQ(res.trace.size(), sc.steps.size());
}

// --- validation errors -------------------------------------------------------------

TEST(ParserValidate, UnknownMapping) {
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP0: write B[0] = 1\n", 2, 11, "P0 has no mapping named 'B'");
}

TEST(ParserValidate, IndexOutOfRange) {
  EXPECT_ERROR_AT("P0: mmap A 2 rw\nP0: write A[2] = 1\n", 2, 11, "A[2] is beyond the mapping's 2 pages");
  EXPECT_ERROR_AT("P0: mmap A 2 rw\nP0: mlock A[1:3]\n", 2, 11, "beyond the mapping's 2 pages");
}

TEST(ParserValidate, UnknownProcess) {
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP3: write A[0] = 1\n", 2, 1, "process P3 does not exist");
}

TEST(ParserValidate, ExitedProcess) {
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP0: fork P1\nP1: exit\nP1: read A -> x\n", 4, 1, "process P1 has exited");
}

TEST(ParserValidate, ForkOfExistingProcess) {
  EXPECT_ERROR_AT("P0: fork P1\nP0: fork P1\n", 2, 1, "process P1 already exists");
}

TEST(ParserValidate, UnboundNameInExpect) {
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP0: read A -> x\nexpect y == 1\n", 3, 8, "'y' is not bound by any step");
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP0: read A -> x\nexpect x == zz\n", 3, 13, "'zz' is not bound by any step");
}

TEST(ParserValidate, UnknownProfileQualifierListsKnownProfiles) {
  const OneError e = one_error("P0: mmap A 1 rw\nP0: read A -> x\nexpect[linux-9.9] x == 0\n");
  EXPECT_EQ(e.line, 3);
  EXPECT_EQ(e.col, 8);  // at the qualifier
  EXPECT_THAT(e.message, HasSubstr("unknown profile 'linux-9.9'"));
  for (const Profile& p : profiles()) EXPECT_THAT(e.message, HasSubstr(p.name));
}

TEST(ParserValidate, UnknownPolicyQualifier) {
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP0: read A -> x\nexpect[cow=refcount-ish] x == 0\n", 3, 8,
                  "unknown policy 'refcount-ish' for knob 'cow'");
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP0: read A -> x\nexpect[swap=fast] x == 0\n", 3, 8, "unknown policy knob 'swap'");
}

TEST(ParserValidate, UnknownConfigKey) {
  EXPECT_ERROR_AT("config memory=8 colour=blue\n", 1, 17, "unknown config key 'colour' (known: hugetlb, lru_batch, memory, mthp, soft_dirty, swap, thp, thp_order, use_zero_page)");
}

TEST(ParserValidate, BadConfigValue) {
  EXPECT_ERROR_AT("config memory=lots\n", 1, 8, "config memory=lots: expected a number of pages");
  EXPECT_ERROR_AT("config soft_dirty=maybe\n", 1, 8, "expected y or n");
}

TEST(ParserValidate, DuplicateBinding) {
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP0: read A -> x\nP0: pfn A -> x\n", 3, 14, "'x' is already bound at line 2");
}

TEST(ParserValidate, DuplicateMapping) {
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP0: mmap A 1 rw\n", 2, 1, "P0 already has a mapping named 'A'");
}

TEST(ParserValidate, UnpinOfGup) {
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP0: gup K = A\nP0: unpin K\n", 3, 1,
                  "'K' was taken with 'gup' (FOLL_GET): release it with 'put'");
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP0: pin K = A\nP0: put K\n", 3, 1, "release it with 'unpin'");
}

TEST(ParserValidate, DoubleReleaseAndDmaAfterRelease) {
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP0: pin K = A\nP0: unpin K\nP0: unpin K\n", 4, 1, "'K' was already released at line 3");
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP0: pin K = A\nP0: unpin K\ndma read K[0] -> v\n", 4, 10, "'K' was released at line 3");
  EXPECT_ERROR_AT("dma read K[0] -> v\n", 1, 10, "no pinned pages named 'K'");
}

TEST(ParserValidate, WrongNumberOfBindsForRangeProbe) {
  EXPECT_ERROR_AT("P0: mmap A 2 rw\nP0: pfn A -> a\n", 2, 14, "covers 2 pages: bind 2 names");
  EXPECT_ERROR_AT("P0: mmap A 3 rw\nP0: read A[0:2] -> a, b, c\n", 2, 20, "covers 2 pages: bind 2 names");
  EXPECT_TRUE(parse("P0: mmap A 2 rw\nP0: pfn A -> a, b\n").scenario.has_value());
}

TEST(ParserValidate, PipeNotHeld) {
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP0: read pipe p -> x\n", 2, 1, "no pipe named 'p'");
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP0: fork P1\nP1: vmsplice A -> pipe p\nP0: read pipe p -> x\n", 4, 1,
                  "P0 does not hold pipe 'p'");
}

TEST(ParserValidate, ProcessVmTargetsNeedMappingInTarget) {
  EXPECT_ERROR_AT("P0: fork P1\nP1: mmap B 1 rw\nP0: process_vm_read P1 A[0] -> x\n", 3, 24, "P1 has no mapping named 'A'");
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP0: process_vm_read P2 A[0] -> x\n", 2, 1, "process P2 does not exist");
}

TEST(ParserValidate, ChildInheritsMappingNames) {
  EXPECT_TRUE(parse("P0: mmap A 1 rw\nP0: fork P1\nP1: write A[0] = 1\n").scenario.has_value());
  // ... but the parent does not see the child's later mappings.
  EXPECT_ERROR_AT("P0: fork P1\nP1: mmap B 1 rw\nP0: write B[0] = 1\n", 3, 11, "P0 has no mapping named 'B'");
}

// --- reclaim, swap, MAP_DROPPABLE, mlockall, getrandom (issue 3) -----------------

TEST(ParserReclaim, EveryNewFormParses) {
  const char* text = R"(config swap=8 memory=32
P0: mmap A 4 rw
P0: mmap D 2 rw droppable refill gen -> m
P0: mmap E 1 rw droppable refill 0x77
P0: mmap F 1 rw droppable growsdown
P0: madvise A[0] free
P0: madvise A[1] cold
P0: madvise A[2] pageout
P0: mlockall current future onfault
P0: mlockall future
P0: munlockall
P0: setrlimit memlock 4
reclaim
reclaim 3 -> n
P0: getrandom D[0] -> g
P0: lazyfree A[0] -> lf
P0: active A[0] -> ac
P0: unevictable A[0] -> ue
P0: swapcache A[0] -> sc
P0: swapcount A[0:2] -> s0, s1
P0: rss_swap -> rs
P0: free_pages -> fp
P0: fork P1
P1: free_swap -> fs
expect g != RETRY
expect state_reuse == 0
expect swapped_droppable == 0
)";
  const ParseResult r = parse(text);
  ASSERT_TRUE(r.scenario.has_value()) << all_errors(r);
  const Scenario& sc = *r.scenario;
  EXPECT_EQ(sc.config.at("swap"), "8");
  const auto& st = sc.steps;
  ASSERT_EQ(st.size(), 23u);
  EXPECT_EQ(st[1].map_flags, unsigned(MAPF_DROPPABLE));
  EXPECT_EQ(st[1].refill, Refill::Generation);
  EXPECT_EQ(st[2].refill, Refill::Token);
  EXPECT_EQ(st[2].value.i, 0x77u);
  EXPECT_EQ(st[3].map_flags, unsigned(MAPF_DROPPABLE | MAPF_GROWSDOWN));
  EXPECT_EQ(st[3].refill, Refill::None);
  EXPECT_EQ(st[4].advice, int(ADV_FREE));
  EXPECT_EQ(st[5].advice, int(ADV_COLD));
  EXPECT_EQ(st[6].advice, int(ADV_PAGEOUT));
  EXPECT_EQ(st[7].op, Op::Mlockall);
  EXPECT_EQ(st[7].mcl, unsigned(MCL_CURRENT_ | MCL_FUTURE_ | MCL_ONFAULT_));
  EXPECT_EQ(st[8].mcl, unsigned(MCL_FUTURE_));
  EXPECT_EQ(st[9].op, Op::Munlockall);
  EXPECT_EQ(st[10].op, Op::SetrlimitMemlock);
  EXPECT_EQ(st[10].pages, 4u);
  EXPECT_EQ(st[11].op, Op::Reclaim);
  EXPECT_EQ(st[11].actor, "kernel");
  EXPECT_EQ(st[11].pages, 0u);
  EXPECT_TRUE(st[11].binds.empty());
  EXPECT_EQ(st[12].pages, 3u);
  EXPECT_EQ(st[12].binds, std::vector<std::string>{"n"});
  EXPECT_EQ(st[13].op, Op::Getrandom);
  EXPECT_EQ(st[13].range.name, "D");
  EXPECT_EQ(st[14].probe, Probe::Lazyfree);
  EXPECT_EQ(st[15].probe, Probe::Active);
  EXPECT_EQ(st[16].probe, Probe::Unevictable);
  EXPECT_EQ(st[17].probe, Probe::Swapcache);
  EXPECT_EQ(st[18].probe, Probe::Swapcount);
  EXPECT_EQ(st[19].probe, Probe::RssSwap);
  EXPECT_TRUE(st[19].range.name.empty());
  EXPECT_EQ(st[20].probe, Probe::FreePages);
  EXPECT_EQ(st[22].probe, Probe::FreeSwap);
  EXPECT_EQ(st[22].actor, "P1");
  EXPECT_EQ(sc.expects[0].rhs.literal.outcome, Outcome::retry());
  EXPECT_TRUE(probe_per_page(Probe::Swapcount));
  EXPECT_FALSE(probe_per_page(Probe::RssSwap));
  EXPECT_TRUE(probe_global(Probe::FreeSwap));
  EXPECT_FALSE(probe_global(Probe::RssSwap));
}

TEST(ParserReclaim, UnknownAdviceSuggestsTheNewOnes) {
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP0: madvise A pagout\n", 2, 15, "unknown advice 'pagout' — did you mean 'pageout'?");
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP0: madvise A fre\n", 2, 15, "did you mean 'free'?");
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP0: madvise A fre\n", 2, 15, "free, cold, pageout");
}

TEST(ParserReclaim, RefillNeedsDroppable) {
  EXPECT_ERROR_AT("P0: mmap A 1 rw refill gen\n", 1, 17, "'refill' needs 'droppable'");
  EXPECT_ERROR_AT("P0: mmap A 1 rw droppable refill\n", 1, 33,
                  "expected a refill token (an integer) or 'gen' (a generation counter) after 'refill', got end of line");
  EXPECT_ERROR_AT("P0: mmap A 1 rw droppable refill SIGBUS\n", 1, 34, "expected a refill token");
  EXPECT_ERROR_AT("P0: mmap A 1 rw droppable refill 1 refill 2\n", 1, 36, "'refill' given twice");
  // Either order.
  EXPECT_TRUE(parse("P0: mmap A 1 rw refill 5 droppable\n").scenario.has_value());
}

TEST(ParserReclaim, UnknownMmapFlagSuggests) {
  EXPECT_ERROR_AT("P0: mmap A 1 rw dropable\n", 1, 17, "unknown mmap flag 'dropable' — did you mean 'droppable'?");
}

TEST(ParserReclaim, ReclaimWithJunk) {
  EXPECT_ERROR_AT("reclaim all\n", 1, 9, "expected a number of folios to reclaim, '-> name' or end of line, got 'all'");
  EXPECT_ERROR_AT("reclaim 3 4\n", 1, 11, "expected end of line, got '4'");
  EXPECT_ERROR_AT("reclaim = 3\n", 1, 9, "expected a number of folios to reclaim");
  EXPECT_ERROR_AT("reclaim ->\n", 1, 11, "expected a name to bind, got end of line");
  EXPECT_ERROR_AT("reclaim -> a, b\n", 1, 12, "bind exactly one name");
  // reclaim is the kernel's: no process prefix.
  EXPECT_ERROR_AT("P0: reclaim\n", 1, 5, "unknown operation 'reclaim'");
}

TEST(ParserReclaim, UnknownProbeSuggests) {
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP0: swapcont A -> x\n", 2, 5, "unknown operation 'swapcont' — did you mean 'swapcount'?");
  EXPECT_ERROR_AT("P0: free_page -> x\n", 1, 5, "did you mean 'free_pages'?");
  EXPECT_ERROR_AT("P0: mmap A 1 rw\nP0: lazyfre A -> x\n", 2, 5, "did you mean 'lazyfree'?");
  EXPECT_ERROR_AT("P0: mlockal current\n", 1, 5, "did you mean 'mlockall'?");
}

TEST(ParserReclaim, MlockallSetrlimitGetrandomErrors) {
  EXPECT_ERROR_AT("P0: mlockall\n", 1, 13, "expected an mlockall flag (current, future or onfault), got end of line");
  EXPECT_ERROR_AT("P0: mlockall current futur\n", 1, 22, "unknown mlockall flag 'futur' — did you mean 'future'?");
  EXPECT_ERROR_AT("P0: munlockall now\n", 1, 16, "expected end of line, got 'now'");
  EXPECT_ERROR_AT("P0: setrlimit nofile 3\n", 1, 15, "expected 'memlock' (RLIMIT_MEMLOCK, the only limit modelled), got 'nofile'");
  EXPECT_ERROR_AT("P0: setrlimit memlock\n", 1, 22, "expected the RLIMIT_MEMLOCK limit in pages, got end of line");
  EXPECT_ERROR_AT("P0: mmap D 2 rw droppable\nP0: getrandom D -> r\n", 2, 15, "getrandom uses one state page");
  EXPECT_ERROR_AT("P0: mmap D 2 rw droppable\nP0: getrandom D[0] -> r, s\n", 2, 23, "bind 1 names");
  EXPECT_ERROR_AT("P0: getrandom D[0] -> r\n", 1, 15, "P0 has no mapping named 'D'");
}

TEST(ParserReclaim, UnboundNameSuggestsCheckNames) {
  EXPECT_ERROR_AT("expect state_reus == 0\n", 1, 8, "'state_reus' is not bound by any step — did you mean 'state_reuse'?");
  EXPECT_ERROR_AT("reclaim -> freed\nexpect fred == 1\n", 2, 8, "did you mean 'freed'?");
}

TEST(ParserReclaim, ConfigSwapAndReservedNames) {
  EXPECT_ERROR_AT("config swap=lots\n", 1, 8, "config swap=lots: expected a number of swap slots");
  EXPECT_ERROR_AT("P0: mmap D 1 rw\nP0: getrandom D[0] -> state_reuse\n", 2, 23,
                  "'state_reuse' is the name the no-state-reuse check binds");
  EXPECT_ERROR_AT("reclaim -> swapped_droppable\n", 1, 12,
                  "'swapped_droppable' is the name the droppable-never-swapped check binds");
  EXPECT_TRUE(parse("expect state_reuse == 0\nexpect swapped_droppable == 0\n").scenario.has_value());
}

TEST(ParserLoad, MissingFile) {
  const ParseResult r = load_scenario("/nonexistent/dir/x.mm");
  EXPECT_FALSE(r.scenario.has_value());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].file, "/nonexistent/dir/x.mm");
}

// --- active_expectations(): qualified expectations override unqualified ones ----

Expect make_expect(std::string lhs, std::vector<std::string> quals, uint64_t v) {
  Expect e;
  e.lhs = std::move(lhs);
  e.quals = std::move(quals);
  e.rhs.literal = Value::integer(v);
  e.text = e.lhs + "==" + std::to_string(v);
  return e;
}

std::vector<uint64_t> active_values(const Scenario& sc, const std::string& profile,
                                    const std::map<std::string, std::string>& pol) {
  std::vector<uint64_t> out;
  for (const Expect* e : active_expectations(sc, profile, pol)) out.push_back(e->rhs.literal.i);
  return out;
}

TEST(ActiveExpectations, QualifiedReplacesUnqualifiedOnlyWhenItMatches) {
  Scenario sc;
  sc.expects = {
      make_expect("x", {}, 1),                      // unqualified
      make_expect("x", {"linux-6.18"}, 2),          // profile qualifier
      make_expect("y", {}, 3),                      //
      make_expect("y", {"cow=anon-exclusive"}, 4),  // policy qualifier
      make_expect("z", {}, 5),                      //
      make_expect("z", {"other-profile"}, 6),       // does not match linux-6.18
      make_expect("z", {"cow=mapcount"}, 7),        // does not match anon-exclusive
      make_expect("w", {"other-profile", "linux-6.18"}, 8),  // any qualifier may match
  };
  EXPECT_EQ(active_values(sc, "linux-6.18", kPolicies618), (std::vector<uint64_t>{2, 4, 5, 8}));
  EXPECT_EQ(active_values(sc, "other-profile", {{"cow", "mapcount"}}), (std::vector<uint64_t>{1, 3, 6, 7, 8}));
  // A policy override under the same profile: the profile qualifier still applies, the policy one does not.
  EXPECT_EQ(active_values(sc, "linux-6.18", {{"cow", "mapcount"}}), (std::vector<uint64_t>{2, 3, 7, 8}));
  EXPECT_EQ(active_values(sc, "nothing", {}), (std::vector<uint64_t>{1, 3, 5}));
}

TEST(ActiveExpectations, OverrideIsPerName) {
  Scenario sc;
  sc.expects = {make_expect("a", {}, 1), make_expect("b", {}, 2), make_expect("a", {"linux-6.18"}, 3),
                make_expect("a", {}, 4)};
  // Both unqualified expectations on 'a' are replaced; 'b' is untouched.
  EXPECT_EQ(active_values(sc, "linux-6.18", kPolicies618), (std::vector<uint64_t>{2, 3}));
}

// --- run_scenario() ----------------------------------------------------------------

RunResult run(const std::string& text, RunOptions opt = RunOptions{.check = true}) {
  static std::vector<std::unique_ptr<Scenario>> keep;  // ExpectResult points into the scenario
  ParseResult r = parse(text);
  EXPECT_TRUE(r.scenario.has_value()) << all_errors(r);
  if (!r.scenario) return {};
  keep.push_back(std::make_unique<Scenario>(std::move(*r.scenario)));
  return run_scenario(*keep.back(), "linux-6.18", kPolicies618, opt);
}

TEST(RunScenario, UnboundFailureFailsTheScenarioAtItsLine) {
  const RunResult res = run("P0: mmap A 1 r\nP0: read A -> x\nP0: write A[0] = 1\nP0: read A -> y\nexpect x == 0\n");
  EXPECT_FALSE(res.passed);
  ASSERT_EQ(res.errors.size(), 1u);
  EXPECT_THAT(res.errors[0], HasSubstr("line 3"));
  EXPECT_THAT(res.errors[0], HasSubstr("SIGSEGV"));
  EXPECT_THAT(res.errors[0], HasSubstr("-> name"));
  // The run stopped there: the expectation was not evaluated.
  ASSERT_EQ(res.expects.size(), 1u);
  EXPECT_EQ(res.expects[0].status, ExpectResult::Status::NotRun);
}

TEST(RunScenario, BoundFailurePasses) {
  const RunResult res = run("P0: mmap A 1 r\nP0: write A[0] = 1 -> r\nP0: mprotect A rw\nP0: write A[0] = 2 -> ok\n"
                            "P0: read A -> v\nexpect r == SIGSEGV\nexpect ok == OK\nexpect v == 2\nexpect r != OK\n");
  EXPECT_THAT(res.errors, IsEmpty());
  EXPECT_TRUE(res.passed);
  ASSERT_EQ(res.expects.size(), 4u);
  EXPECT_EQ(res.expects[0].actual.kind, Value::Kind::Outcome);
  EXPECT_EQ(res.expects[0].actual.outcome, Outcome::sig(SIGSEGV));
}

TEST(RunScenario, FailingExpectationReportsActualValue) {
  const RunResult res = run("P0: mmap A 1 rw\nP0: write A[0] = 0xaa\nP0: read A -> x\nexpect x == 0xbb\n");
  EXPECT_FALSE(res.passed);
  EXPECT_THAT(res.errors, IsEmpty());
  ASSERT_EQ(res.expects.size(), 1u);
  EXPECT_EQ(res.expects[0].status, ExpectResult::Status::Fail);
  EXPECT_EQ(res.expects[0].actual.i, 0xaau);
  EXPECT_EQ(res.expects[0].expected.i, 0xbbu);
}

TEST(RunScenario, OomIsAnOutcome) {
  const RunResult res = run("config memory=1\nP0: mmap A 2 rw\nP0: write A[0] = 1\nP0: write A[1] = 2 -> r\n"
                            "P0: read A[1] -> z\nexpect r == OOM\nexpect z == 0\n");
  EXPECT_THAT(res.errors, IsEmpty());
  EXPECT_TRUE(res.passed);
}

TEST(RunScenario, ProbesSeeCowCounters) {
  // cow-gup.md §10 T1 through the language's probes.
  const RunResult res = run(R"(P0: mmap A 1 rw
P0: write A[0] = 1
P0: refcount A[0] -> r1
P0: anon_exclusive A[0] -> e1
P0: fork P1
P0: refcount A[0] -> r2
P0: mapcount A[0] -> m2
P0: anon_exclusive A[0] -> e2
P0: pfn A[0] -> x
P1: write A[0] = 2
P1: pfn A[0] -> y
P0: write A[0] = 3
P0: pfn A[0] -> x2
P0: anon_exclusive A[0] -> e3
P0: pin K = A[0] write
P0: pincount A[0] -> pc
P0: refcount A[0] -> r3
P0: has_pinned -> hp
P1: has_pinned -> hp1
expect r1 == 1
expect e1 == true
expect r2 == 2
expect m2 == 2
expect e2 == false
expect y != x
expect x2 == x
expect e3 == true
expect pc == 1
expect r3 == 1025
expect hp == true
expect hp1 == false
)");
  EXPECT_THAT(res.errors, IsEmpty());
  for (const ExpectResult& er : res.expects)
    EXPECT_EQ(er.status, ExpectResult::Status::Pass) << er.expect->text << ": actual " << er.actual.str();
  EXPECT_TRUE(res.passed);
}

TEST(RunScenario, StateHashIsDeterministic) {
  const std::string text = readme_example(false);
  const RunResult a = run(text);
  const RunResult b = run(text);
  EXPECT_NE(a.state_hash, 0u);
  EXPECT_EQ(a.state_hash, b.state_hash);
  const RunResult c = run(text + "P0: write A[0] = 0xcc\n");
  EXPECT_NE(a.state_hash, c.state_hash);
}

TEST(RunScenario, TraceRecordsEveryStep) {
  const RunResult res = run("P0: mmap A 1 rw\nP0: write A[0] = 1\nP0: fork P1\n", RunOptions{.check = true, .trace = true});
  ASSERT_EQ(res.trace.size(), 3u);
  EXPECT_EQ(res.trace[1].result, "OK");
  EXPECT_FALSE(res.trace[1].changes.empty());  // a PTE and a folio appeared
  EXPECT_FALSE(res.trace[2].changes.empty());  // fork write-protected the parent's PTE
}

// A droppable fault that finds no memory retries without a signal: RETRY is
// an outcome like the others (bindable; unbound, it stops the scenario).
TEST(RunScenario, RetryIsAnOutcome) {
  const char* text = "config memory=1\nP0: mmap A 1 rw\nP0: write A[0] = 1\nP0: mmap D 1 rw droppable\n";
  RunResult res = run(std::string(text) + "P0: write D[0] = 2 -> r\nexpect r == RETRY\nexpect r != OOM\n");
  EXPECT_THAT(res.errors, IsEmpty());
  EXPECT_TRUE(res.passed);
  res = run(std::string(text) + "P0: write D[0] = 2\n");
  EXPECT_FALSE(res.passed);
  ASSERT_EQ(res.errors.size(), 1u);
  EXPECT_THAT(res.errors[0], HasSubstr("failed with RETRY"));
}

const char* kDroppable = "P0: mmap D 1 rw droppable\nP0: write D[0] = 1\nP0: read D[0] -> x\nexpect x == 1\n";

// Before 6.11 there is no MAP_DROPPABLE: an unbound droppable mmap fails with
// EINVAL and the run is skipped (neither passed nor failed) ...
TEST(RunScenario, DroppableBefore611IsSkipped) {
  const ParseResult r = parse(kDroppable);
  ASSERT_TRUE(r.scenario.has_value()) << all_errors(r);
  const Profile* p57 = find_profile("linux-5.7");
  ASSERT_EQ(p57->choices.at("droppable"), "unsupported");
  const RunResult res = run_scenario(*r.scenario, p57->name, p57->choices, RunOptions{.check = true});
  EXPECT_EQ(res.skipped, "MAP_DROPPABLE needs Linux 6.11+ (mmap gives EINVAL)");
  EXPECT_FALSE(res.passed);
  EXPECT_THAT(res.errors, IsEmpty());
  ASSERT_EQ(res.expects.size(), 1u);
  EXPECT_EQ(res.expects[0].status, ExpectResult::Status::Skipped);
  // The same scenario runs under 6.18, and under 6.18 with droppable=unsupported it is skipped too.
  EXPECT_TRUE(run(kDroppable).passed);
  auto unsupported = kPolicies618;
  unsupported["droppable"] = "unsupported";
  EXPECT_FALSE(run_scenario(*r.scenario, "linux-6.18", unsupported, RunOptions{}).skipped.empty());
}

// ... while a bound result is an ordinary outcome the scenario can expect.
TEST(RunScenario, BoundDroppableEinvalIsAnOrdinaryResult) {
  const ParseResult r = parse("P0: mmap D 1 rw droppable -> m\nexpect m == OK\nexpect[droppable=unsupported] m == EINVAL\n");
  ASSERT_TRUE(r.scenario.has_value()) << all_errors(r);
  for (const Profile& p : profiles()) {
    const RunResult res = run_scenario(*r.scenario, p.name, p.choices, RunOptions{.check = true});
    EXPECT_TRUE(res.skipped.empty()) << p.name;
    EXPECT_TRUE(res.passed) << p.name;
  }
}

// The reclaim and swap probes end to end (config swap=N, MADV_PAGEOUT, reclaim).
TEST(RunScenario, SwapProbes) {
  const RunResult res = run(R"(config swap=4 memory=16
P0: mmap A 2 rw
P0: free_swap -> fs0
P0: free_pages -> fp0
P0: write A = 1
P0: free_pages -> fp1
P0: lazyfree A[0] -> lf0
P0: active A[0] -> ac0
P0: unevictable A[0] -> ue0
P0: swapcache A[0] -> sc0
P0: swapcount A[0] -> cnt0
P0: madvise A[1] pageout
P0: swapped A[1] -> sw
P0: swapcount A[1] -> cnt1
P0: rss_swap -> rs
P0: free_swap -> fs1
P0: fork P1
P1: swapcount A[1] -> cnt2
P1: rss_swap -> rs1
P1: exit
P0: madvise A[0] free
P0: lazyfree A[0] -> lf1
reclaim -> freed
P0: present A[0] -> pr
P0: mlock A[0]
P0: unevictable A[0] -> ue1
expect fs0 == 4
expect fp1 != fp0
expect lf0 == false
expect ac0 == false
expect ue0 == false
expect sc0 == false
expect cnt0 == none
expect sw == true
expect cnt1 == 1
expect rs == 1
expect fs1 == 3
expect cnt2 == 2
expect rs1 == 1
expect lf1 == true
expect freed == 1
expect pr == false
expect ue1 == true
)");
  EXPECT_THAT(res.errors, IsEmpty());
  for (const ExpectResult& er : res.expects)
    EXPECT_EQ(er.status, ExpectResult::Status::Pass) << er.expect->text << ": actual " << er.actual.str();
  EXPECT_TRUE(res.passed);
}

// --trace shows swap entries, swap slots, LRU lists and lazyfree.
TEST(RunScenario, TraceShowsSwapAndLru) {
  const RunResult res = run("config swap=2\nP0: mmap A 2 rw\nP0: write A = 1\nP0: madvise A[1] pageout\n"
                            "P0: madvise A[0] free\n",
                            RunOptions{.check = true, .trace = true});
  ASSERT_EQ(res.trace.size(), 4u);
  auto joined = [&](size_t i) {
    std::string s;
    for (const std::string& c : res.trace[i].changes) s += c + "\n";
    return s;
  };
  EXPECT_THAT(joined(1), HasSubstr("pfn 1: new anon ref 1 map 1 excl data 0x1"));  // inactive_anon is not repeated
  EXPECT_THAT(joined(2), HasSubstr("P0 A[1]: pfn 2 rw D SD → swap 0 excl SD"));
  EXPECT_THAT(joined(2), HasSubstr("swap 0: count 0→1"));
  EXPECT_THAT(joined(3), HasSubstr("-inactive_anon  +inactive_file  +lazyfree"));
}

TEST(RunScenario, UnknownPolicyIsAnError) {
  const ParseResult r = parse("P0: mmap A 1 rw\n");
  ASSERT_TRUE(r.scenario.has_value());
  const RunResult res = run_scenario(*r.scenario, "linux-6.18", {{"cow", "nope"}}, RunOptions{});
  EXPECT_FALSE(res.passed);
  EXPECT_FALSE(res.errors.empty());
}

}  // namespace
}  // namespace mmsim

namespace mmsim {
namespace {
// The whole README example, linux-5.7 lines included, holds under every
// profile: under linux-5.7 the child's pipe shows the parent's later write
// (CVE-2020-29374) and the parent reused its page (same PFN).
TEST(ParserReadme, FullExampleHoldsUnderEveryProfile) {
  const ParseResult r = parse(readme_example(true));
  ASSERT_TRUE(r.scenario.has_value()) << all_errors(r);
  for (const Profile& p : profiles()) {
    const RunResult res = run_scenario(*r.scenario, p.name, p.choices, RunOptions{true, false});
    EXPECT_TRUE(res.passed) << p.name;
  }
}
}  // namespace
}  // namespace mmsim

// --- mTHP config and the khugepaged step (issue 4) ---------------------------------

namespace mmsim {
namespace {

TEST(ParserMthp, ConfigListAndKhugepagedParse) {
  const ParseResult r = parse("config thp_order=4 mthp=2,3:madvise,4:never\nP0: mmap A 4 rw\nkhugepaged\nkhugepaged 2 -> n\n");
  ASSERT_TRUE(r.scenario.has_value()) << all_errors(r);
  const Scenario& sc = *r.scenario;
  EXPECT_EQ(sc.config.at("mthp"), "2,3:madvise,4:never");
  ASSERT_EQ(sc.steps.size(), 3u);
  EXPECT_EQ(sc.steps[1].op, Op::Khugepaged);
  EXPECT_EQ(sc.steps[1].actor, "kernel");
  EXPECT_EQ(sc.steps[1].pages, 0u);
  EXPECT_EQ(sc.steps[2].pages, 2u);
  EXPECT_EQ(sc.steps[2].binds, std::vector<std::string>{"n"});
  EXPECT_EQ(print_step(sc.steps[1]), "khugepaged");
  EXPECT_EQ(print_step(sc.steps[2]), "khugepaged 2 -> n");
}

TEST(ParserMthp, BadConfigAndKhugepagedJunk) {
  EXPECT_ERROR_AT("config mthp=2:allways\n", 1, 8, "expected always, madvise, inherit or never after '2:', got 'allways'");
  EXPECT_ERROR_AT("config mthp=1\n", 1, 8, "with orders 2 to 9");
  EXPECT_ERROR_AT("config mthp=2,\n", 1, 15, "expected an order or a mode after ',' or ':'");
  EXPECT_ERROR_AT("config thp_order=3 mthp=4\n", 1, 20, "order 4 is above thp_order=3");
  EXPECT_ERROR_AT("khugepaged all\n", 1, 12, "expected a number of ranges to collapse, '-> name' or end of line, got 'all'");
  EXPECT_ERROR_AT("khugepaged -> a, b\n", 1, 15, "bind exactly one name");
  EXPECT_ERROR_AT("P0: khugepaged\n", 1, 5, "unknown operation 'khugepaged'");
}

TEST(ParserMthp, RunIsSkippedBefore68AndRunsFrom68) {
  const ParseResult r = parse("config mthp=2\nP0: mmap A 4 rw\nP0: write A[0] = 1\nP0: thp A[3] -> t\nexpect t == true\n");
  ASSERT_TRUE(r.scenario.has_value()) << all_errors(r);
  const RunResult old = run_scenario(*r.scenario, "linux-6.1", find_profile("linux-6.1")->choices, RunOptions{});
  EXPECT_THAT(old.skipped, HasSubstr("needs Linux 6.8+"));
  EXPECT_FALSE(old.passed);
  const RunResult now = run_scenario(*r.scenario, "linux-6.18", kPolicies618, RunOptions{});
  EXPECT_TRUE(now.skipped.empty());
  EXPECT_TRUE(now.passed);
}

}  // namespace
}  // namespace mmsim

namespace mmsim {
namespace {

// odirect_write / odirect_read (docs/host.md): parsed, validated against the
// file's size so far, printed back as written.
TEST(ParserOdirect, ParsesValidatesAndPrintsBack) {
  const std::string text =
      "P0: mmap A 2 rw\n"
      "P0: odirect_write A -> file F -> w\n"
      "P0: odirect_read A[1] <- file F\n";
  ParseResult r = parse_scenario(text, "t.mm");
  ASSERT_TRUE(r.scenario) << (r.errors.empty() ? "" : r.errors[0].message);
  const auto& st = r.scenario->steps;
  ASSERT_EQ(st.size(), 3u);
  EXPECT_EQ(st[1].op, Op::OdirectWrite);
  EXPECT_EQ(st[1].name, "F");
  EXPECT_EQ(st[1].binds, std::vector<std::string>{"w"});
  EXPECT_EQ(st[2].op, Op::OdirectRead);
  EXPECT_EQ(st[2].range.lo, 1u);
  EXPECT_EQ(print_step(st[1]), "P0: odirect_write A -> file F -> w");
  EXPECT_EQ(print_step(st[2]), "P0: odirect_read A[1] <- file F");
}

TEST(ParserOdirect, ErrorsAreLocated) {
  ParseResult r = parse_scenario("P0: mmap A 1 rw\nP0: odirect_read A -> file F\n", "t.mm");
  ASSERT_FALSE(r.errors.empty());
  EXPECT_EQ(r.errors[0].loc.line, 2);
  EXPECT_EQ(r.errors[0].loc.col, 20);
  EXPECT_THAT(r.errors[0].message, ::testing::HasSubstr("'<- file NAME'"));
  r = parse_scenario("P0: mmap A 2 rw\nP0: odirect_write A[0] -> file F\nP0: odirect_read A <- file F\n", "t.mm");
  ASSERT_FALSE(r.errors.empty());
  EXPECT_EQ(r.errors[0].loc.line, 3);
  EXPECT_THAT(r.errors[0].message, ::testing::HasSubstr("which has 1"));
}

}  // namespace
}  // namespace mmsim
