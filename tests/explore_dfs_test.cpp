// The depth-first search (`mmsim explore --dfs`): the same states as the
// breadth-first search within the bound (with and without POR, with a state
// first met on a long path and later on a short one), and a shortest
// counterexample, found by lowering the bound after each violation.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "explore/explore.hpp"
#include "explore_helpers.hpp"
#include "policy/registry.hpp"
#include "run/runner.hpp"
#include "scenario/parser.hpp"

using namespace mmsim;
using namespace mmsim::explore;
using namespace mmsim::explore::testing;

namespace {

// Every state with the least depth it was kept at.
std::map<uint64_t, uint32_t> states_of(Options o, bool dfs, Result* res = nullptr) {
  std::map<uint64_t, uint32_t> seen;
  o.dfs = dfs;
  o.on_state = [&](uint64_t fp, uint32_t d, const Node&) {
    auto [it, fresh] = seen.emplace(fp, d);
    if (!fresh) it->second = std::min(it->second, d);
  };
  const Result r = run_explore(o);
  if (res) *res = r;
  return seen;
}

}  // namespace

TEST(ExploreDfs, VisitsExactlyTheBreadthFirstStates) {
  for (bool por : {true, false}) {
    Options o = options("linux-5.9", "mmap,mmap-shared,write,read,fork,exit,munmap,pin,unpin,vmsplice,pipe-read", 3, 5);
    o.invariants = 0;  // explore everything
    o.por = por;
    Result rb, rd;
    const auto bfs = states_of(o, false, &rb);
    const auto dfs = states_of(o, true, &rd);
    EXPECT_EQ(bfs, dfs) << "por " << por;  // the same states, each at its least depth
    EXPECT_EQ(rb.states, rd.states);
    EXPECT_TRUE(rd.complete);
    // Depth-first may expand a state twice (met again on a shorter path).
    EXPECT_GE(rd.transitions, rb.transitions);
  }
}

TEST(ExploreDfs, FindsAShortestCounterexample) {
  // CVE-2020-29374 under 5.7: breadth-first finds 7 steps; depth-first first
  // finds a longer path at depth 9, then lowers the bound until none is shorter.
  Options o = options("linux-5.7", "mmap,write,read,fork,exit,munmap,vmsplice,pipe-read", 3, 9);
  o.dfs = true;
  const Result d = run_explore(o);
  o.dfs = false;
  const Result b = run_explore(o);
  ASSERT_TRUE(d.violation);
  ASSERT_TRUE(b.violation);
  EXPECT_EQ(d.cex.invariant, INV_NO_LEAK);
  EXPECT_EQ(d.cex.found_length, b.cex.found_length);
  EXPECT_EQ(d.cex.found_length, 7u);
  EXPECT_TRUE(d.cex.confirmed) << d.cex.confirm_detail;
  EXPECT_NE(d.cex.scenario.find("# search: depth-first"), std::string::npos);
  // The same search twice: the same file.
  o.dfs = true;
  EXPECT_EQ(run_explore(o).cex.scenario, d.cex.scenario);
}

TEST(ExploreDfs, NothingUnderLinux618AndBadCombinations) {
  Options o = options("linux-6.18", default_ops(), 2, 6);
  o.dfs = true;
  const Result r = run_explore(o);
  EXPECT_FALSE(r.violation);
  EXPECT_TRUE(r.complete);
  o.shards = 2;
  EXPECT_NE(run_explore(o).error.find("--dfs"), std::string::npos);
  o.shards = 1;
  o.exact = true;
  EXPECT_NE(run_explore(o).error.find("--dfs"), std::string::npos);
}

// With THP (symmetry off) partial-order reduction keeps every raw state: the
// order of two allocations decides the layout of free memory, so allocating
// steps never commute (search.cpp sets the allocator slack to "always").
TEST(ExploreDfs, PorKeepsEveryStateWithThp) {
  Options o = options("linux-6.18", "mmap-thp,write,fork,munmap,vmsplice,pipe-read", 2, 6);
  o.invariants = 0;
  for (bool dfs : {false, true}) {
    Options p = o;
    const auto with = states_of(p, dfs);
    p.por = false;
    const auto without = states_of(p, dfs);
    EXPECT_EQ(with.size(), without.size()) << "dfs " << dfs;
    std::set<uint64_t> a, b;
    for (auto& [fp, d] : with) a.insert(fp);
    for (auto& [fp, d] : without) b.insert(fp);
    EXPECT_EQ(a, b) << "dfs " << dfs;
  }
}
