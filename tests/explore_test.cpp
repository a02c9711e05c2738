// The explorer (src/explore): it finds the historical bugs unguided, reports
// nothing where the kernel is right, writes counterexamples `mmsim run`
// fails, minimises them, and its reductions and shards lose no state.
#include <gtest/gtest.h>

#include <set>

#include "explore/canon.hpp"
#include "explore/context.hpp"
#include "explore/explore.hpp"
#include "explore_helpers.hpp"
#include "policy/policy.hpp"
#include "policy/registry.hpp"
#include "scenario/printer.hpp"
#include "run/runner.hpp"
#include "scenario/parser.hpp"

using namespace mmsim;
using namespace mmsim::explore;
using namespace mmsim::explore::testing;

namespace {

RunResult replay(const std::string& text, const std::string& profile) {
  static std::vector<Scenario> keep;  // RunResult points into the scenario
  ParseResult pr = parse_scenario(text, "cex.mm");
  EXPECT_TRUE(pr.scenario) << (pr.errors.empty() ? "" : pr.errors.front().str()) << "\n" << text;
  if (!pr.scenario) return {};
  keep.push_back(*pr.scenario);
  return run_scenario(keep.back(), profile, find_profile(profile)->choices, RunOptions{});
}

const char* kLeakOps = "mmap,write,fork,munmap,vmsplice,pipe-read";


}  // namespace

TEST(Explore, FindsTheVmspliceLeakUnderLinux57) {
  const Options o = options("linux-5.7", kLeakOps, 3, 8);
  const Result r = run_explore(o);
  ASSERT_TRUE(r.violation);
  EXPECT_EQ(r.cex.invariant, INV_NO_LEAK);
  EXPECT_LE(r.cex.actions.size(), 7u);
  EXPECT_TRUE(r.cex.confirmed) << r.cex.confirm_detail;
  // The file `mmsim run` replays fails, and for the leak.
  const RunResult rr = replay(r.cex.scenario, "linux-5.7");
  EXPECT_FALSE(rr.passed);
  EXPECT_EQ(rr.leaks.size(), 1u);
  EXPECT_NE(r.cex.scenario.find("vmsplice"), std::string::npos);
  EXPECT_NE(r.cex.scenario.find("expect leaks == 0"), std::string::npos);
  // The same scenario passes where the bug is fixed (5.9+ refcount rule, 6.18).
  EXPECT_TRUE(replay(r.cex.scenario, "linux-6.18").passed);
}

TEST(Explore, FindsTheClearRefsPinCoherenceLossUnderLinux59) {
  const Options o = options("linux-5.9", "mmap,write,fork,pin,unpin,clear_refs", 2, 6);
  const Result r = run_explore(o);
  ASSERT_TRUE(r.violation);
  EXPECT_EQ(r.cex.invariant, INV_PIN_COHERENT);
  EXPECT_TRUE(r.cex.confirmed) << r.cex.confirm_detail;
  EXPECT_NE(r.cex.scenario.find("clear_refs"), std::string::npos);
  const RunResult rr = replay(r.cex.scenario, "linux-5.9");
  EXPECT_FALSE(rr.passed);
  EXPECT_EQ(rr.lost_coherence.size(), 1u);
  // 5.11 skips pinned PTEs in clear_refs: the same steps keep the pin coherent.
  EXPECT_TRUE(replay(r.cex.scenario, "linux-5.11").passed);
}

TEST(Explore, NothingUnderLinux618ForAnonymousMemory) {
  Options o = options("linux-6.18", default_ops(), 3, 6);
  const Result r = run_explore(o);
  EXPECT_FALSE(r.violation) << r.cex.scenario;
  EXPECT_TRUE(r.complete);
  EXPECT_GT(r.states, 1000u);
}

TEST(Explore, FindsTheHugetlbVmspliceLeakUnderLinux618) {
  const Options o = options("linux-6.18", "mmap-hugetlb,write,fork,munmap,vmsplice,pipe-read", 2, 8);
  const Result r = run_explore(o);
  ASSERT_TRUE(r.violation);
  EXPECT_EQ(r.cex.invariant, INV_NO_LEAK);
  EXPECT_NE(r.cex.scenario.find("hugetlb"), std::string::npos);
  EXPECT_TRUE(r.cex.confirmed) << r.cex.confirm_detail;
}

TEST(Explore, CounterexampleIsByteForByteReproducible) {
  Options o = options("linux-5.7", kLeakOps, 3, 8);
  o.command = "mmsim explore --profile linux-5.7";
  const Result a = run_explore(o), b = run_explore(o);
  ASSERT_TRUE(a.violation);
  EXPECT_EQ(a.cex.scenario, b.cex.scenario);
  EXPECT_NE(a.cex.scenario.find("# command: mmsim explore --profile linux-5.7"), std::string::npos);
  EXPECT_NE(a.cex.scenario.find("seed 0"), std::string::npos);
}

// A deliberately broken COW policy: always reuse the page on a write fault.
class AlwaysReuse final : public CowPolicy {
 public:
  explicit AlwaysReuse(const CowPolicy& base) : base_(base) {}
  std::string_view name() const override { return "always-reuse"; }
  std::string_view summary() const override { return "planted bug"; }
  bool tracks_anon_exclusive() const override { return false; }
  WpAction wp_anon(Kernel&, const WpFault&) const override { return WpAction::Reuse; }
  HugeWpAction wp_huge_pmd(Kernel&, const WpFault&) const override { return HugeWpAction::Reuse; }
  ForkAction fork_anon(Kernel& k, MmId src, Pfn pfn) const override { return base_.fork_anon(k, src, pfn); }
  GupReadAction gup_read(Kernel&, const GupRead&) const override { return GupReadAction::Grab; }
  SwapinAction swapin(Kernel& k, const SwapinFault& f) const override { return base_.swapin(k, f); }

 private:
  const CowPolicy& base_;
};

TEST(Explore, FindsAPlantedBugAndNotOnTheCorrectPolicy) {
  Options o = options("linux-6.18", "mmap,write,read,fork", 2, 5);
  o.invariants = INV_NO_LEAK;  // the broken policy also breaks the PAE self-checks; ask for the leak
  EXPECT_FALSE(run_explore(o).violation);
  const AlwaysReuse broken(refcount_policy());
  o.ps.cow = &broken;
  o.confirm = false;
  const Result r = run_explore(o);
  ASSERT_TRUE(r.violation);
  EXPECT_EQ(r.cex.invariant, INV_NO_LEAK);
  // mmap, write, fork, write in one process, read in the other.
  EXPECT_EQ(r.cex.actions.size(), 5u);
}

TEST(Explore, ShardsCoverExactlyTheUnshardedStates) {
  for (bool por : {true, false}) {
    Options o = options("linux-6.18", "mmap,write,fork,exit,munmap,pin,unpin,vmsplice,pipe-read", 3, 5);
    o.por = por;
    std::set<uint64_t> all, shards;
    o.on_state = [&](uint64_t fp, uint32_t, const Node&) { all.insert(fp); };
    const Result whole = run_explore(o);
    ASSERT_FALSE(whole.violation);
    const uint32_t n = 3;
    uint64_t summed = 0;
    for (uint32_t i = 0; i < n; ++i) {
      o.shard = i;
      o.shards = n;
      o.on_state = [&](uint64_t fp, uint32_t, const Node&) { shards.insert(fp); };
      const Result r = run_explore(o);
      ASSERT_FALSE(r.violation);
      summed += r.states;
      EXPECT_LT(r.states, whole.states);  // each shard does part of the work
    }
    EXPECT_EQ(all, shards) << "por " << por;
    EXPECT_GE(summed, whole.states);
  }
}

TEST(Explore, PartialOrderReductionLosesNoState) {
  Options o = options("linux-5.9", "mmap,mmap-shared,write,read,fork,exit,munmap,pin,unpin,dma-write,vmsplice,pipe-read",
                      3, 5);
  o.invariants = 0;  // explore everything, stop at nothing
  std::set<uint64_t> with, without;
  o.on_state = [&](uint64_t fp, uint32_t, const Node&) { with.insert(fp); };
  const Result a = run_explore(o);
  o.por = false;
  o.on_state = [&](uint64_t fp, uint32_t, const Node&) { without.insert(fp); };
  const Result b = run_explore(o);
  EXPECT_EQ(with, without);
  EXPECT_LT(a.transitions, b.transitions);
}

TEST(Explore, ReductionsShrinkTheStateSpace) {
  Options o = options("linux-6.18", default_ops(), 3, 5);
  const Result reduced = run_explore(o);
  o.por = false;
  o.symmetry = false;
  const Result plain = run_explore(o);
  ASSERT_FALSE(reduced.violation);
  ASSERT_FALSE(plain.violation);
  // Symmetry merges states that differ in PFNs and process names; POR skips
  // the second order of commuting steps (it keeps every state).
  EXPECT_LT(reduced.states, plain.states);
  EXPECT_LT(reduced.transitions * 4, plain.transitions * 3);
}

TEST(Explore, ExactAndFingerprintModesAgree) {
  Options o = options("linux-6.18", default_ops(), 2, 6);
  const Result fp = run_explore(o);
  o.exact = true;
  const Result ex = run_explore(o);
  EXPECT_EQ(fp.states, ex.states);  // no fingerprint collision at this size
  EXPECT_GT(ex.visited_bytes / ex.states, fp.visited_bytes / fp.states);
}

TEST(Explore, MinimisationDropsIrrelevantSteps) {
  Options o = options("linux-5.7", kLeakOps, 3, 12);
  Context c(o);
  std::string err;
  ASSERT_TRUE(make_root(c, &err)) << err;
  // The CVE with noise: a second mapping, reads, writes, an extra process.
  const char* text =
      "P0: mmap A 1 rw\n"
      "P0: mmap B 2 rw\n"
      "P0: write B[1] = 7\n"
      "P0: write A[0] = 0xaa\n"
      "P0: fork P1\n"
      "P1: write B[0] = 9\n"
      "P0: fork P2\n"
      "P1: vmsplice A[0] -> pipe p\n"
      "P2: write A[0] = 3\n"
      "P1: munmap A\n"
      "P0: read B[1]\n"
      "P0: write A[0] = 0xbb\n"
      "P1: read pipe p -> x\n";
  ParseResult pr = parse_scenario(text, "noisy.mm");
  ASSERT_TRUE(pr.scenario) << pr.errors.front().str();
  std::vector<Action> acts;
  Node n = c.root;
  for (const Step& s : pr.scenario->steps) {
    Action a;
    ASSERT_TRUE(from_step(s, n, c.names, &a, &err)) << err;
    Violation v;
    bool valid = false;
    apply(c.cx, n, a, &v, &valid);
    ASSERT_TRUE(valid) << s.text;
    acts.push_back(a);
  }
  size_t len = 0;
  ASSERT_TRUE(replay_violates(c, acts, INV_NO_LEAK, &len));
  const std::vector<Action> m = minimise(c, acts, INV_NO_LEAK);
  EXPECT_EQ(m.size(), 7u);  // mmap A, write, fork, vmsplice, munmap, write, read pipe
  for (const Action& a : m) {
    EXPECT_NE(c.names.maps[a.map == kNoName ? c.an.anon : a.map], "B");
  }
  EXPECT_TRUE(replay_violates(c, renumber(c, m), INV_NO_LEAK, &len));
}

// Pins are names, like frames: two processes pinning in either order is one
// state under symmetry reduction (the GUP references and pin ordinals are
// renamed), and two states without it.
TEST(Explore, PinsAreRenamedUnderSymmetry) {
  Options o = options("linux-6.18", "mmap,write,fork,pin,unpin", 2, 6);
  Context c(o);
  std::string err;
  ASSERT_TRUE(make_root(c, &err)) << err;
  auto run = [&](const std::string& text) { return node_after(c, text); };
  const char* prefix = "P0: mmap A 1 rw\nP0: write A[0] = 1\nP0: fork P1\nP1: write A[0] = 2\n";
  const Node x = run(std::string(prefix) + "P0: pin K0 = A[0] write longterm\nP1: pin K1 = A[0] write longterm\n");
  const Node y = run(std::string(prefix) + "P1: pin K0 = A[0] write longterm\nP0: pin K1 = A[0] write longterm\n");
  Encoding ex, ey;
  encode(x, Identity{}, &ex);
  encode(y, Identity{}, &ey);
  EXPECT_EQ(ex, ey);
  encode(x, Identity{.symmetry = false}, &ex);
  encode(y, Identity{.symmetry = false}, &ey);
  EXPECT_NE(ex, ey);
  // A released pin leaves only its count: it still bounds the pins to take.
  const Node z = run(std::string(prefix) + "P0: pin K0 = A[0] write longterm\nP0: unpin K0\n");
  const Node w = run(prefix);
  encode(z, Identity{}, &ex);
  encode(w, Identity{}, &ey);
  EXPECT_NE(ex, ey);
}

TEST(Explore, RandomWalkFindsAndMinimises) {
  Options o = options("linux-5.7", "mmap,write,read,fork,munmap,vmsplice,pipe-read,mprotect", 3, 14);
  o.random_walk = true;
  o.seed = 7;
  o.budget_states = 2000000;
  const Result a = run_explore(o);
  ASSERT_TRUE(a.violation);
  EXPECT_TRUE(a.cex.confirmed) << a.cex.confirm_detail;
  EXPECT_LE(a.cex.actions.size(), a.cex.found_length);
  EXPECT_EQ(a.cex.scenario, run_explore(o).cex.scenario);  // the seed fixes the walk
}

// A token nothing holds any more is forgotten by the no-leak provenance: "wrote,
// then unmapped" is the state "never wrote"; a token still held stays.
TEST(Explore, TokensNothingHoldsAreForgotten) {
  Options o = options("linux-5.7", kLeakOps, 2, 6);
  Context c(o);
  std::string err;
  ASSERT_TRUE(make_root(c, &err)) << err;
  auto run = [&](const std::string& text) { return node_after(c, text); };
  const Node wrote = run("P0: mmap A 1 rw\nP0: write A[0] = 0x10000\nP0: munmap A\n");
  const Node never = run("P0: mmap A 1 rw\nP0: munmap A\n");
  EXPECT_TRUE(wrote.prov.tokens.empty());
  Encoding ew, en;
  encode(wrote, Identity{.aging = c.id.aging}, &ew);  // as the search forgets (no reclaim: no LRU order)
  encode(never, Identity{.aging = c.id.aging}, &en);
  EXPECT_EQ(ew, en);
  // Spliced into a pipe, the page (and its token) outlives the mapping.
  const Node spliced = run("P0: mmap A 1 rw\nP0: write A[0] = 0x10000\nP0: vmsplice A[0] -> pipe p\nP0: munmap A\n");
  ASSERT_EQ(spliced.prov.tokens.size(), 1u);
  EXPECT_EQ(spliced.prov.tokens[0].token, Token(0x10000));
}

// A process that can never read another's token again (no VMA, no fd) is no
// longer among any token's readers, unless it spliced a buffer still in a pipe.
TEST(Explore, BlindProcessesAreNoLongerReaders) {
  Options o = options("linux-6.18", kLeakOps, 2, 6);
  Context c(o);
  std::string err;
  ASSERT_TRUE(make_root(c, &err)) << err;
  auto readers = [](const Node& n) { return n.prov.tokens.empty() ? 0u : n.prov.tokens[0].readers; };
  const char* prefix = "P0: mmap A 1 rw\nP0: write A[0] = 0x10000\nP0: fork P1\n";
  EXPECT_EQ(readers(node_after(c, prefix)), 3u);  // P0 and its child
  EXPECT_EQ(readers(node_after(c, std::string(prefix) + "P1: munmap A\n")), 1u);
  EXPECT_EQ(readers(node_after(c, std::string(prefix) + "P1: exit\n")), 1u);
  // Holding a pipe, P1 may still read what is in it.
  EXPECT_EQ(readers(node_after(c, std::string(prefix) + "P1: vmsplice A[0] -> pipe p\nP1: munmap A\n")), 3u);
  // P1 spliced a buffer of P0's pipe and exited: a read of that buffer asks
  // whether P1 may see what the page holds.
  const char* piped = "P0: mmap A 1 rw\nP0: write A[0] = 0x10000\nP0: vmsplice A[0] -> pipe p\nP0: fork P1\n";
  EXPECT_EQ(readers(node_after(c, std::string(piped) + "P1: exit\n")), 1u);
  EXPECT_EQ(readers(node_after(c, std::string(piped) + "P1: vmsplice A[0] -> pipe p\nP1: exit\n")), 3u);
}

// A value a seed chose is not the explorer's token of one writer at one
// epoch: another process may write it too, and a read is legitimate when any
// of those writes was visible (Monitor::visible()). Such values are never
// forgotten, or P1 reading its own 0x77 through the pipe would be a "leak"
// that `mmsim run` does not confirm (found by review).
TEST(Explore, ValuesASeedChoseAreNeverForgotten) {
  ParseResult pr = parse_scenario(
      "P0: mmap A 1 rw\nP0: write A[0] = 0x1\nP0: fork P1\nP1: mmap B 1 rw\nP1: write B[0] = 0x77\n"
      "P1: munmap B\nP1: vmsplice A[0] -> pipe p\nP1: munmap A\nP0: write A[0] = 0x77\n",
      "seed.mm");
  ASSERT_TRUE(pr.scenario) << pr.errors.front().str();
  Options o = options("linux-5.7", "pipe-read", 2, 1);
  o.seed_scenario = &*pr.scenario;
  o.invariants = INV_NO_LEAK;
  const Result r = run_explore(o);
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_FALSE(r.violation) << r.cex.message;
  EXPECT_TRUE(r.complete);
}

TEST(Explore, SwarmWalksFindTheLeakReproducibly) {
  Options o = options("linux-5.7", "mmap,write,read,fork,munmap,vmsplice,pipe-read,mprotect", 3, 14);
  o.random_walk = o.swarm = true;
  o.seed = 3;
  o.invariants = INV_NO_LEAK;
  o.budget_states = 2000000;
  const Result a = run_explore(o);
  ASSERT_TRUE(a.violation);
  EXPECT_TRUE(a.cex.confirmed) << a.cex.confirm_detail;
  EXPECT_NE(a.cex.scenario.find("# search: swarm random walk"), std::string::npos) << a.cex.scenario;
  EXPECT_EQ(a.cex.scenario, run_explore(o).cex.scenario);  // the seed fixes every walk's ops too
  o.random_walk = false;  // swarm is a kind of random walk
  EXPECT_NE(run_explore(o).error.find("--random-walk"), std::string::npos);
}

TEST(Explore, StartsFromASeedScenario) {
  ParseResult pr = parse_scenario("config memory=16\nP0: mmap A 1 rw\nP0: write A[0] = 0xaa\nP0: pfn A[0] -> p\nP0: fork P1\n",
                                  "seed.mm");
  ASSERT_TRUE(pr.scenario);
  Options o = options("linux-5.7", "write,munmap,vmsplice,pipe-read", 2, 5);
  o.seed_scenario = &*pr.scenario;
  const Result r = run_explore(o);
  ASSERT_TRUE(r.violation);
  EXPECT_EQ(r.cex.actions.size(), 4u);  // vmsplice, munmap, write, read pipe
  EXPECT_NE(r.cex.scenario.find("P0: pfn A[0] -> p"), std::string::npos);
  EXPECT_TRUE(r.cex.confirmed) << r.cex.confirm_detail;
}

TEST(Explore, BadInputExitsTwo) {
  auto run = [](std::vector<std::string> args) {
    args.insert(args.begin(), "explore");
    std::vector<char*> argv;
    for (std::string& s : args) argv.push_back(s.data());
    return explore_main(int(argv.size()), argv.data());
  };
  EXPECT_EQ(run({"--profile", "linux-9.99"}), 2);
  EXPECT_EQ(run({"--ops", "mmap,frobnicate"}), 2);
  EXPECT_EQ(run({"--shard", "3/3"}), 2);
  EXPECT_EQ(run({"--shard", "x"}), 2);
  EXPECT_EQ(run({"--budget", "soon"}), 2);
  EXPECT_EQ(run({"--ops", "mmap-gmem,gmem-frobnicate"}), 2);
  EXPECT_EQ(run({"--invariants", "no-such"}), 2);
  EXPECT_EQ(run({"--depth", "0"}), 2);
  EXPECT_EQ(run({"--pages", "9"}), 2);
  EXPECT_EQ(run({"--pins", "13"}), 2);  // more than the book names (kMaxPins): not capped silently
  EXPECT_EQ(run({"--pipes", "5"}), 2);
  EXPECT_EQ(run({"--pins", "abc"}), 2);
  EXPECT_EQ(run({"/nonexistent/seed.mm"}), 2);
  EXPECT_EQ(run({"--no-such-flag"}), 2);
  EXPECT_EQ(run({"--merge", "/nonexistent.json"}), 2);
}

TEST(Explore, InvariantsAreNamedAndSwitchable) {
  uint32_t m = 0;
  std::string err;
  ASSERT_TRUE(parse_invariants("no-leak,refcount", &m, &err));
  EXPECT_EQ(m, uint32_t(INV_NO_LEAK | INV_REFCOUNT));
  // With no-leak off the 5.7 leak search finds nothing.
  Options o = options("linux-5.7", kLeakOps, 2, 7);
  o.invariants = INV_PIN_COHERENT | INV_REFCOUNT;
  EXPECT_FALSE(run_explore(o).violation);
}

TEST(Explore, ReclaimSwapsOutAPinnedPageUnderLinux59) {
  // Before 5.19 reclaim could unmap a pinned page; the swap-in and the write
  // fault that follow give the CPU a copy the device never sees.
  const Options o = options("linux-5.9", "mmap,write,read,pin,reclaim", 1, 6);
  const Result r = run_explore(o);
  ASSERT_TRUE(r.violation);
  EXPECT_EQ(r.cex.invariant, INV_PIN_COHERENT);
  EXPECT_NE(r.cex.scenario.find("reclaim 1"), std::string::npos);
  EXPECT_NE(r.cex.scenario.find("config memory="), std::string::npos);
  EXPECT_NE(r.cex.scenario.find("swap="), std::string::npos);
  EXPECT_TRUE(r.cex.confirmed) << r.cex.confirm_detail;
  // PG_anon_exclusive kernels never unmap a pinned page.
  EXPECT_TRUE(replay(r.cex.scenario, "linux-6.18").passed);
}

TEST(Explore, DroppableIsNeverSwappedUnderLinux618) {
  Options o = options("linux-6.18", "mmap,mmap-droppable,write,read,fork,reclaim", 2, 6);
  o.invariants = INV_DROPPABLE_NEVER_SWAPPED | INV_NO_LEAK | INV_PIN_COHERENT;
  const Result r = run_explore(o);
  EXPECT_FALSE(r.violation) << r.cex.scenario;
  EXPECT_TRUE(r.complete);
  EXPECT_GT(r.states, 100u);
}

namespace {
Options with_policy(Options o, const std::string& knob, const std::string& value) {
  o.choices[knob] = value;
  std::string err;
  o.ps = *make_policy_set(o.choices, &err);
  return o;
}
}  // namespace

TEST(Explore, FindsGetrandomStateReuseUnderAFixedRefillToken) {
  // droppable=refill with `refill 7`: a fork child's wiped state page (or a
  // dropped one) is refilled with the same constant and used as a key.
  Options o = with_policy(options("linux-6.18", "mmap-droppable-refill,getrandom,fork,reclaim", 2, 5), "droppable",
                          "refill");
  o.invariants = INV_NO_STATE_REUSE;
  const Result r = run_explore(o);
  ASSERT_TRUE(r.violation);
  EXPECT_EQ(r.cex.invariant, INV_NO_STATE_REUSE);
  EXPECT_LE(r.cex.actions.size(), 4u);
  EXPECT_NE(r.cex.scenario.find("droppable refill 7"), std::string::npos) << r.cex.scenario;
  EXPECT_NE(r.cex.scenario.find("getrandom R[0]"), std::string::npos) << r.cex.scenario;
  EXPECT_NE(r.cex.scenario.find("expect state_reuse == 0"), std::string::npos);
  EXPECT_TRUE(r.cex.confirmed) << r.cex.confirm_detail << "\n" << r.cex.scenario;
  // 6.18 (droppable=zero): the same steps reseed from the kernel RNG.
  EXPECT_TRUE(replay(r.cex.scenario, "linux-6.18").passed);
}

TEST(Explore, NoGetrandomStateReuseUnderLinux618) {
  Options o = options("linux-6.18", "mmap-droppable,mmap-droppable-refill,getrandom,fork,exit,reclaim", 2, 5);
  o.invariants = INV_NO_STATE_REUSE | INV_DROPPABLE_NEVER_SWAPPED | INV_REFCOUNT;
  const Result r = run_explore(o);
  EXPECT_FALSE(r.violation) << r.cex.scenario;
  EXPECT_TRUE(r.complete);
  EXPECT_GT(r.states, 50u);
}

TEST(Explore, FindsDroppableSwappedUnderThePinnedPolicy) {
  // droppable=pinned (mlock the state pages): a fork child's copy is not
  // locked (dup_mmap() clears VM_LOCKED) and reclaim swaps it out.
  // (No getrandom here: a write of a fixed token into a state page followed by
  // getrandom is a reuse the program forged itself.)
  Options o = with_policy(options("linux-6.18", "mmap-droppable,write,fork,reclaim", 2, 5), "droppable", "pinned");
  o.config_overrides = {{"swap", "4"}};
  o.invariants = INV_DROPPABLE_NEVER_SWAPPED | INV_NO_LEAK;
  const Result r = run_explore(o);
  ASSERT_TRUE(r.violation);
  EXPECT_EQ(r.cex.invariant, INV_DROPPABLE_NEVER_SWAPPED);
  EXPECT_EQ(r.config.swap, 4u);
  EXPECT_NE(r.cex.scenario.find("swap=4"), std::string::npos) << r.cex.scenario;
  EXPECT_NE(r.cex.scenario.find("fork"), std::string::npos) << r.cex.scenario;
  EXPECT_TRUE(r.cex.confirmed) << r.cex.confirm_detail << "\n" << r.cex.scenario;
  // The same search under 6.18's own policy finds nothing.
  Options d = options("linux-6.18", "mmap-droppable,getrandom,fork,reclaim", 2, 5);
  d.config_overrides = {{"swap", "4"}};
  d.invariants = INV_DROPPABLE_NEVER_SWAPPED | INV_NO_STATE_REUSE;
  const Result rd = run_explore(d);
  EXPECT_FALSE(rd.violation) << rd.cex.scenario;
}

TEST(Explore, MadviseAndMlockOpsRunAndKeepEveryStateUnderPor) {
  Options o = options("linux-6.18", "mmap,mmap-droppable,write,read,fork,free,cold,pageout,mlockall,setrlimit-memlock",
                      2, 4);
  o.invariants = 0;
  std::set<uint64_t> with, without;
  o.on_state = [&](uint64_t fp, uint32_t, const Node&) { with.insert(fp); };
  const Result a = run_explore(o);
  o.por = false;
  o.on_state = [&](uint64_t fp, uint32_t, const Node&) { without.insert(fp); };
  const Result b = run_explore(o);
  EXPECT_TRUE(a.error.empty()) << a.error;
  EXPECT_EQ(with, without);
  EXPECT_GT(a.states, 100u);
  // Every invariant holds for these under 6.18.
  o.invariants = INV_NO_LEAK | INV_PIN_COHERENT | INV_REFCOUNT | INV_DROPPABLE_NEVER_SWAPPED;
  o.on_state = nullptr;
  const Result c = run_explore(o);
  EXPECT_FALSE(c.violation) << c.cex.scenario;
}

TEST(Explore, ConfigOverridesAreCheckedAndApplied) {
  Options o = options("linux-6.18", "mmap,write", 1, 2);
  o.config_overrides = {{"memory", "64"}, {"lru_batch", "1"}, {"use_zero_page", "0"}};
  Result r = run_explore(o);
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.config.memory, 64u);
  EXPECT_EQ(r.config.lru_batch, 1u);
  EXPECT_FALSE(r.config.use_zero_page);
  o.config_overrides = {{"bogus", "1"}};
  EXPECT_FALSE(run_explore(o).error.empty());
  // THP: symmetry reduction (page renaming) is turned off, and the result says so.
  o.config_overrides = {{"thp", "always"}};
  r = run_explore(o);
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_NE(r.symmetry_off.find("order-0"), std::string::npos);
  EXPECT_EQ(result_json(o, r)["symmetry"], false);
  o.symmetry = false;
  r = run_explore(o);
  EXPECT_TRUE(r.error.empty());
  EXPECT_TRUE(r.symmetry_off.empty());  // not asked for: nothing to report
  // Overrides apply on top of the machine the explorer chose: with the THP
  // entries its PMD is order 2, so an mTHP size above it is bad input (it was
  // checked against the default thp_order 9 and accepted).
  Options t = options("linux-6.18", "mmap-thp,write", 1, 2);
  t.config_overrides = {{"mthp", "3:always"}};
  r = run_explore(t);
  EXPECT_NE(r.error.find("above thp_order=2"), std::string::npos) << r.error;
  t.config_overrides = {{"mthp", "2:always"}};
  r = run_explore(t);
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.config.thp_order, 2u);
  EXPECT_EQ(r.config.mthp_always, 1u << 2);
  // An mthp override replaces a seed's per-size settings, it does not add to them.
  ParseResult pr = parse_scenario("config mthp=4\nP0: mmap A 1 rw\n", "seed.mm");
  ASSERT_TRUE(pr.scenario) << pr.errors.front().str();
  Options m = options("linux-6.18", "write", 1, 1);
  m.seed_scenario = &*pr.scenario;
  m.config_overrides = {{"mthp", "4:never"}};
  r = run_explore(m);
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.config.mthp_always, 0u);
  m.config_overrides = {{"mthp", "2"}};
  r = run_explore(m);
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.config.mthp_set, 1u << 2);  // order 4 is gone
}

// --- guest_memfd --------------------------------------------------------------------

namespace {
const char* kGmemOps = "mmap-gmem,write,read,fork,exit,munmap,pin,unpin,vmsplice,pipe-read,gmem-convert,gmem-punch,"
                       "gmem-fallocate,gmem-close,guest-write";
}  // namespace

TEST(Explore, GmemPrivateStaysUnreachableUnderEveryDesign) {
  // 6.18 (no conversion: nothing of an INIT_SHARED file is ever private) and
  // the in-place conversion proposal (conversion unmaps the host PTEs and
  // waits, EAGAIN, while a pin or a pipe holds the page).
  for (const char* conv : {"none", "inplace"}) {
    Options o = with_policy(options("linux-6.18", kGmemOps, 2, 5), "gmem-conversion", conv);
    o.invariants = INV_GMEM_PRIVATE_UNREACHABLE | INV_REFCOUNT | INV_NO_LEAK;
    const Result r = run_explore(o);
    EXPECT_TRUE(r.error.empty()) << r.error;
    EXPECT_FALSE(r.violation) << conv << "\n" << r.cex.scenario;
    EXPECT_TRUE(r.complete) << conv;
    EXPECT_GT(r.states, 500u) << conv;
  }
}

namespace {
// A deliberately broken in-place conversion: it unmaps the host PTEs but
// does not wait for references (no kvm_gmem_is_safe_for_conversion()), so a
// long-term pin survives the conversion to private.
class ConvertIgnoresPins final : public GmemConversionPolicy {
 public:
  std::string_view name() const override { return "convert-ignores-pins"; }
  std::string_view summary() const override { return "planted bug"; }
  bool per_index_attributes() const override { return true; }
  int set_attributes(Kernel& k, const GmemAttributes& r, uint64_t*) const override {
    if (r.offset >= k.gmem(r.gmem).size || r.offset + r.size > k.gmem(r.gmem).size || r.size == 0) return EINVAL;
    const uint64_t lo = r.offset >> kPageShift, hi = (r.offset + r.size) >> kPageShift;
    const bool priv = r.attributes & KVM_MEMORY_ATTRIBUTE_PRIVATE;
    if (k.gmem_range_is(r.gmem, lo, hi, priv)) return 0;
    k.gmem_unmap_range(r.gmem, lo, hi);
    k.gmem_store_attributes(r.gmem, lo, hi, priv);
    return 0;
  }
};
}  // namespace

TEST(Explore, FindsAPinThatSurvivesConversionUnderAPlantedBug) {
  Options o = with_policy(options("linux-6.18", "mmap-gmem,write,read,pin,unpin,gmem-convert", 1, 5), "gmem-conversion",
                          "inplace");
  o.invariants = INV_GMEM_PRIVATE_UNREACHABLE | INV_REFCOUNT;
  ASSERT_FALSE(run_explore(o).violation);  // the real in-place design waits for the pin (EAGAIN)
  const ConvertIgnoresPins broken;
  o.ps.gmem_conversion = &broken;
  o.confirm = false;
  o.command = "planted";
  const Result r = run_explore(o);
  ASSERT_TRUE(r.violation);
  EXPECT_EQ(r.cex.invariant, INV_GMEM_PRIVATE_UNREACHABLE);
  EXPECT_NE(r.cex.message.find("pin K0 holds"), std::string::npos) << r.cex.message;
  // The root's setup, then mmap M, the pin (its fault allocates the page) and the conversion.
  EXPECT_EQ(r.cex.actions.size(), 3u) << r.cex.scenario;
  for (const char* line : {"P0: vm V type 0", "P0: gmem G = create V size 0x1000 flags 0x3", "P0: memslot V 0 gpa 0x0",
                           "P0: mmap M 1 rw shared gmem G", "P0: pin K0 = M[0] write longterm",
                           "P0: convert G[0] private",
                           "# replay: mmsim run --check --profile linux-6.18 --policy gmem-conversion=inplace FILE"})
    EXPECT_NE(r.cex.scenario.find(line), std::string::npos) << line << "\n" << r.cex.scenario;
  EXPECT_EQ(r.cex.scenario, run_explore(o).cex.scenario);  // byte for byte
  // The file replays: as a seed it drives the same steps, and breaks the
  // invariant under the broken policy, not under the real one.
  ParseResult pr = parse_scenario(r.cex.scenario, "cex.mm");
  ASSERT_TRUE(pr.scenario) << pr.errors.front().str();
  for (bool planted : {true, false}) {
    Options seeded = o;
    if (!planted) seeded = with_policy(options("linux-6.18", "read", 1, 1), "gmem-conversion", "inplace");
    seeded.invariants = o.invariants;
    seeded.seed_scenario = &*pr.scenario;
    Context c(seeded);
    std::string err;
    if (!planted) {
      // The real design refuses the conversion while the pin holds the page.
      EXPECT_FALSE(make_root(c, &err));
      EXPECT_NE(err.find("(it fails with EAGAIN)"), std::string::npos) << err;
      continue;
    }
    ASSERT_TRUE(make_root(c, &err)) << err;  // the seed's steps, every one of them driven
    Violation v;
    check_state(c.cx, c.root, &v);
    EXPECT_EQ(v.inv, uint32_t(INV_GMEM_PRIVATE_UNREACHABLE)) << v.message;
  }
}

TEST(Explore, GmemStatesAreEncodedAndReducedWithoutLoss) {
  // The gmem ops keep every state under POR, and symmetry merges states.
  Options o = with_policy(options("linux-6.18", "mmap-gmem,write,fork,pin,unpin,gmem-convert,gmem-punch,guest-write", 2, 4),
                          "gmem-conversion", "inplace");
  o.invariants = 0;
  std::set<uint64_t> with, without;
  o.on_state = [&](uint64_t fp, uint32_t, const Node&) { with.insert(fp); };
  const Result a = run_explore(o);
  o.por = false;
  o.on_state = [&](uint64_t fp, uint32_t, const Node&) { without.insert(fp); };
  const Result b = run_explore(o);
  EXPECT_EQ(with, without);
  o.symmetry = false;
  o.on_state = nullptr;
  const Result c = run_explore(o);
  EXPECT_LE(a.states, c.states);
  EXPECT_GT(a.states, 50u);
}

// --- THP ------------------------------------------------------------------------------

TEST(Explore, FindsTheThpVmspliceLeakUnderLinux59) {
  // CVE-2020-29374 on a PMD-mapped THP (cow-gup.md §7.7): do_huge_pmd_wp_page()
  // reused by mapcount until 5.18 (3bff7e3f1f16).
  const Options o = options("linux-5.9", "mmap-thp,write,fork,munmap,vmsplice,pipe-read", 2, 8);
  const Result r = run_explore(o);
  ASSERT_TRUE(r.violation) << r.states;
  EXPECT_EQ(r.cex.invariant, INV_NO_LEAK);
  EXPECT_NE(r.cex.scenario.find("mmap T 4 rw"), std::string::npos) << r.cex.scenario;
  EXPECT_NE(r.cex.scenario.find("thp=always"), std::string::npos) << r.cex.scenario;
  EXPECT_NE(r.cex.scenario.find("thp_order=2"), std::string::npos) << r.cex.scenario;
  EXPECT_FALSE(r.symmetry_off.empty());
  EXPECT_TRUE(r.cex.confirmed) << r.cex.confirm_detail << "\n" << r.cex.scenario;
  EXPECT_TRUE(replay(r.cex.scenario, "linux-6.18").passed);
}

TEST(Explore, NothingWithThpUnderLinux618) {
  const Options o = options("linux-6.18", "mmap-thp,write,read,fork,munmap,pin,unpin,vmsplice,pipe-read,thp-split,collapse",
                            2, 5);
  const Result r = run_explore(o);
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_FALSE(r.violation) << r.cex.scenario;
  EXPECT_TRUE(r.complete);
  EXPECT_GT(r.states, 1000u);
}

TEST(Explore, GmemPrivateFileFromASeedUnderLinux618) {
  // 6.18's private guest_memfd (a sw_protected VM, no INIT_SHARED), created by
  // a seed: the host may map it, but faults SIGBUS and GUP fails; the guest
  // allocates private pages. Nothing private is ever reachable from the host.
  ParseResult pr = parse_scenario(
      "P0: vm W sw_protected\nP0: gmem F = create W size 1p mmap\nP0: memslot W 0 gpa 0 size 1p gmem F\n"
      "P0: set_memory_attributes W gpa 0 size 1p private\n",
      "seed.mm");
  ASSERT_TRUE(pr.scenario) << pr.errors.front().str();
  Options o = options("linux-6.18", "mmap-gmem,write,read,fork,pin,gup,vmsplice,guest-write,guest-read,gmem-punch,"
                                    "gmem-fallocate,set-attributes", 2, 6);
  o.seed_scenario = &*pr.scenario;
  o.invariants = INV_GMEM_PRIVATE_UNREACHABLE | INV_REFCOUNT | INV_NO_LEAK;
  const Result r = run_explore(o);
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_FALSE(r.violation) << r.cex.scenario;
  EXPECT_TRUE(r.complete);
  EXPECT_GT(r.states, 20u);
  EXPECT_TRUE(r.symmetry_off.empty()) << r.symmetry_off;  // the seed's thp=madvise, but no THP can occur
  // The seed's names are the explorer's: a private-file counterexample would say W and F.
  Options p = o;
  p.invariants = INV_REFCOUNT;
  Context c(p);
  std::string err;
  ASSERT_TRUE(make_root(c, &err)) << err;
  EXPECT_EQ(c.names.vm, "W");
  EXPECT_EQ(c.names.gmem, "F");
  EXPECT_NE(c.root.book.gmem, kNone);
  EXPECT_EQ(c.root.st.vms[c.root.book.vm].private_gfns.size(), 1u);  // the seed's set_memory_attributes ran
  // set-attributes prints what from_step reads back.
  std::vector<Action> en;
  enabled_actions(c.root, p.ops, p.bounds, c.an, en);
  bool seen = false;
  for (const Action& a : en)
    if (a.op == Op::SetMemoryAttributes && a.flags == 0) {
      const std::string text = print_step(to_step(c.root, a, c.names));
      EXPECT_EQ(text, "P0: set_memory_attributes W gpa 0x0 size 0x1000 attrs 0");
      // (after the seed's steps: the VM must exist for the line to validate)
      ParseResult one = parse_scenario(
          "P0: vm W sw_protected\nP0: gmem F = create W size 1p mmap\n" + text + "\n", "one.mm");
      ASSERT_TRUE(one.scenario) << (one.errors.empty() ? text : one.errors.front().str());
      Action back;
      ASSERT_TRUE(from_step(one.scenario->steps.back(), c.root, c.names, &back, &err)) << err;
      EXPECT_EQ(back, a);
      seen = true;
    }
  EXPECT_TRUE(seen);
}
