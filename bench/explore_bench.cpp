// The explorer's figures (docs/explorer.md, README): how long the unguided
// searches of issue 7 take and how many states they visit, states per second
// per core and bytes per state in fingerprint and exact mode, and what the
// partial-order and symmetry reductions save on a fixed workload.
//
//   build/mmsim_bench --benchmark_filter=Explore --benchmark_min_time=1
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <stdexcept>

#include "explore/alphabet.hpp"
#include "explore/context.hpp"
#include "explore/exec.hpp"
#include "explore/explore.hpp"
#include "policy/profile.hpp"

using namespace mmsim;
using namespace mmsim::explore;

namespace {

Options options(const char* profile, const char* ops, uint32_t procs, uint32_t depth) {
  Options o;
  o.profile = profile;
  o.choices = find_profile(profile)->choices;
  std::string err;
  o.ps = *make_policy_set(o.choices, &err);
  if (!parse_ops(ops, &o.ops, &err)) throw std::runtime_error(err);
  o.bounds.procs = procs;
  o.depth = depth;
  return o;
}

void report(benchmark::State& st, const Result& r, uint64_t iterations) {
  st.counters["states"] = double(r.states);
  st.counters["transitions"] = double(r.transitions);
  st.counters["steps"] = double(r.violation ? r.cex.actions.size() : 0);
  st.counters["found"] = r.violation ? 1 : 0;
  st.counters["states/s"] = benchmark::Counter(double(r.states * iterations), benchmark::Counter::kIsRate);
  st.counters["B/state"] = r.states ? double(r.visited_bytes) / double(r.states) : 0;
}

void run(benchmark::State& st, const Options& o, bool expect_violation) {
  Result r;
  uint64_t n = 0;
  for (auto _ : st) {
    r = run_explore(o);
    ++n;
    if (r.violation != expect_violation) {
      st.SkipWithError(expect_violation ? "expected a violation" : "unexpected violation");
      return;
    }
  }
  report(st, r, n);
}

// Issue 7, "results to show": unguided, from the empty state, <= 3 processes.
void BM_Explore_VmspliceLeak_57(benchmark::State& st) {
  run(st, options("linux-5.7", "mmap,write,read,fork,exit,munmap,vmsplice,pipe-read", 3, 8), true);
}
BENCHMARK(BM_Explore_VmspliceLeak_57)->Unit(benchmark::kMillisecond);

void BM_Explore_ClearRefs_59(benchmark::State& st) {
  run(st, options("linux-5.9", "mmap,write,read,fork,exit,pin,unpin,clear_refs", 3, 8), true);
}
BENCHMARK(BM_Explore_ClearRefs_59)->Unit(benchmark::kMillisecond);

void BM_Explore_Nothing_618(benchmark::State& st) {
  run(st, options("linux-6.18", default_ops(), 3, uint32_t(st.range(0))), false);
}
BENCHMARK(BM_Explore_Nothing_618)->Arg(6)->Arg(7)->Arg(8)->Unit(benchmark::kMillisecond);

void BM_Explore_HugetlbLeak_618(benchmark::State& st) {
  run(st, options("linux-6.18", "mmap-hugetlb,write,read,fork,exit,munmap,vmsplice,pipe-read", 3, 8), true);
}
BENCHMARK(BM_Explore_HugetlbLeak_618)->Unit(benchmark::kMillisecond);

// Droppable memory and the vDSO getrandom() consumer (droppable.md §8, §9).
Options with_policy(Options o, const char* knob, const char* value) {
  o.choices[knob] = value;
  std::string err;
  o.ps = *make_policy_set(o.choices, &err);
  return o;
}

void BM_Explore_GetrandomReuse_Refill(benchmark::State& st) {
  Options o = with_policy(options("linux-6.18", "mmap-droppable-refill,getrandom,fork", 2, 4), "droppable", "refill");
  o.invariants = INV_NO_STATE_REUSE;
  run(st, o, true);
}
BENCHMARK(BM_Explore_GetrandomReuse_Refill)->Unit(benchmark::kMillisecond);

void BM_Explore_DroppableSwapped_Pinned(benchmark::State& st) {
  Options o = with_policy(options("linux-6.18", "mmap-droppable,write,fork,reclaim", 2, 5), "droppable", "pinned");
  o.config_overrides = {{"swap", "4"}};
  o.invariants = INV_DROPPABLE_NEVER_SWAPPED | INV_NO_LEAK | INV_PIN_COHERENT | INV_REFCOUNT;
  run(st, o, true);
}
BENCHMARK(BM_Explore_DroppableSwapped_Pinned)->Unit(benchmark::kMillisecond);

void BM_Explore_Droppable_618(benchmark::State& st) {
  Options o = options("linux-6.18", "mmap-droppable,mmap-droppable-refill,getrandom,fork,exit,reclaim", 2, 6);
  o.invariants = INV_NO_LEAK | INV_PIN_COHERENT | INV_REFCOUNT | INV_DROPPABLE_NEVER_SWAPPED | INV_NO_STATE_REUSE;
  run(st, o, false);
}
BENCHMARK(BM_Explore_Droppable_618)->Unit(benchmark::kMillisecond);

// THP (symmetry off) and guest_memfd (docs/explorer.md, "Figures").
void BM_Explore_ThpLeak(benchmark::State& st) {
  const char* profile = st.range(0) == 0 ? "linux-5.9" : "linux-6.18";
  run(st, options(profile, "mmap-thp,write,fork,munmap,vmsplice,pipe-read", 2, st.range(0) == 0 ? 8 : 7),
      st.range(0) == 0);
}
BENCHMARK(BM_Explore_ThpLeak)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void BM_Explore_Gmem(benchmark::State& st) {
  Options o = options("linux-6.18",
                      "mmap-gmem,write,read,fork,exit,munmap,pin,unpin,vmsplice,pipe-read,gmem-convert,gmem-punch,"
                      "gmem-fallocate,gmem-close,guest-write",
                      2, 6);
  if (st.range(0)) o = with_policy(o, "gmem-conversion", "inplace");
  o.invariants = INV_GMEM_PRIVATE_UNREACHABLE | INV_REFCOUNT | INV_NO_LEAK;
  run(st, o, false);
}
BENCHMARK(BM_Explore_Gmem)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// Fixed workload: linux-6.18, the default alphabet, 3 processes, depth 7.
// Arg 0: breadth-first, fingerprint (64-bit); 1: breadth-first, exact (whole
// canonical states); 2: depth-first (--dfs), fingerprint; 3: depth-first with
// the refcount invariant off (the engine without check_invariants()).
void BM_Explore_Throughput(benchmark::State& st) {
  Options o = options("linux-6.18", default_ops(), 3, 7);
  o.exact = st.range(0) == 1;
  o.dfs = st.range(0) >= 2;
  if (st.range(0) == 3) o.invariants &= ~uint32_t(INV_REFCOUNT);
  st.SetLabel(fmt::format("{}, {}{}", o.dfs ? "dfs" : "bfs", o.exact ? "exact" : "fingerprint",
                          st.range(0) == 3 ? ", no refcount check" : ""));
  run(st, o, false);
}
BENCHMARK(BM_Explore_Throughput)->DenseRange(0, 3)->Unit(benchmark::kMillisecond);

// The same workload with the reductions switched: arg = por + 2 * symmetry.
void BM_Explore_Reductions(benchmark::State& st) {
  Options o = options("linux-6.18", default_ops(), 3, 7);
  o.por = st.range(0) & 1;
  o.symmetry = st.range(0) & 2;
  st.SetLabel(fmt::format("por {}, symmetry {}", o.por ? "on" : "off", o.symmetry ? "on" : "off"));
  run(st, o, false);
}
BENCHMARK(BM_Explore_Reductions)->DenseRange(0, 3)->Unit(benchmark::kMillisecond);

// The factor grows with depth: none against both at depth 8, depth-first
// (breadth-first without reductions keeps a layer of about 400,000 states).
void BM_Explore_Reductions_Depth8(benchmark::State& st) {
  Options o = options("linux-6.18", default_ops(), 3, 8);
  o.dfs = true;
  o.por = o.symmetry = st.range(0) != 0;
  st.SetLabel(o.por ? "dfs, por and symmetry" : "dfs, no reductions");
  run(st, o, false);
}
BENCHMARK(BM_Explore_Reductions_Depth8)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// Pages within a mapping renamed: --pages 2 and 3, depth 6, none against both.
void BM_Explore_Reductions_Pages(benchmark::State& st) {
  Options o = options("linux-6.18", default_ops(), 3, 6);
  o.dfs = true;
  o.bounds.pages = uint32_t(st.range(0));
  o.por = o.symmetry = st.range(1) != 0;
  st.SetLabel(fmt::format("{} pages, {}", o.bounds.pages, o.por ? "por and symmetry" : "no reductions"));
  run(st, o, false);
}
BENCHMARK(BM_Explore_Reductions_Pages)->ArgsProduct({{2, 3}, {0, 1}})->Unit(benchmark::kMillisecond);

// What a transition costs without any identity: copying the parent into the
// child's slot and apply_step(), over every enabled action of the fixed
// workload's states (all its 17,080, each expanded once as breadth-first
// does), with no encoding, fingerprint, visited set or state check. A floor
// under the time per state: states/s can be at most 1 / (this time x the
// transitions per state). Arg 1: the copy alone.
void BM_Explore_TransitionFloor(benchmark::State& st) {
  Options o = options("linux-6.18", default_ops(), 3, 7);
  std::vector<Node> states;
  o.on_state = [&](uint64_t, uint32_t depth, const Node& n) {
    if (depth < o.depth) states.push_back(n);  // the ones breadth-first expands
  };
  run_explore(o);
  o.on_state = nullptr;
  Context c(o);
  std::string err;
  if (!make_root(c, &err)) throw std::runtime_error(err);
  std::vector<std::vector<Action>> enabled(states.size());
  for (size_t i = 0; i < states.size(); ++i) enabled_actions(states[i], o.ops, o.bounds, c.an, enabled[i]);
  Node work = c.root;
  uint64_t transitions = 0;
  for (auto _ : st) {
    for (size_t i = 0; i < states.size(); ++i)
      for (const Action& a : enabled[i]) {
        work = states[i];
        if (st.range(0) == 0) {
          Violation v;
          bool valid = false;
          benchmark::DoNotOptimize(apply_step(c.cx, work, a, &v, &valid));
        }
        benchmark::ClobberMemory();
        ++transitions;
      }
  }
  st.counters["transitions/s"] = benchmark::Counter(double(transitions), benchmark::Counter::kIsRate);
  st.counters["ns/transition"] =
      benchmark::Counter(double(transitions), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  st.counters["expanded"] = double(states.size());
  st.SetLabel(st.range(0) == 0 ? "copy + apply_step()" : "copy");
}
BENCHMARK(BM_Explore_TransitionFloor)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
