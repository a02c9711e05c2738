// What one model state costs: copying it (the explorer's branch), hashing it
// (the explorer's visited set, the reports' state_hash), checking it (--check)
// and running a short step sequence on it.
//
//   cmake -S . -B build && cmake --build build -j2 --target mmsim_bench
//   build/mmsim_bench --benchmark_min_time=0.2
//
// The "typical" state is what a corpus scenario ends with: three processes,
// private and shared mappings, pins, a pipe and COW copies, in the default
// 256-frame machine. The "small" state is the size the explorer works with
// (config memory=16).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "model/kernel.hpp"
#include "policy/profile.hpp"

namespace {
using namespace mmsim;

const PolicySet& policies() {
  static const PolicySet ps = [] {
    std::string err;
    auto p = make_policy_set(find_profile(kDefaultProfile)->choices, &err);
    if (!p) {
      std::fprintf(stderr, "mmsim_bench: %s\n", err.c_str());
      std::abort();
    }
    return *p;
  }();
  return ps;
}

// Setting up must succeed; a failure means the model changed under the bench.
void must(const Outcome& o, const char* what) {
  if (o) return;
  std::fprintf(stderr, "mmsim_bench: %s failed with %s\n", what, o.name().c_str());
  std::abort();
}

void must_be_consistent(const State& s, const char* which) {
  for (const std::string& bad : check_invariants(s, policies())) {
    std::fprintf(stderr, "mmsim_bench: %s state: %s\n", which, bad.c_str());
    std::abort();
  }
}

void write_range(Kernel& k, TaskId t, Vpn start, uint64_t pages, Token value) {
  for (uint64_t i = 0; i < pages; ++i) must(k.write(t, start + i, value + i), "write");
}

// P0: mmap A 16 rw; mmap B 8 rw; mmap S 4 rw shared; writes all of them;
//     pin K = A[0:2]; gup G = A[2]; vmsplice B[0] -> pipe; fork P1; fork P2
// P1: write A[4:8], write S[0]    (4 COW copies; S is shared, no copy)
// P2: write B[0:4], pin L = A[8] (4 COW copies, B[0] also in the pipe; an unshare)
// P0: write A[12]                 (reuse or copy, whatever the policy says)
struct Typical {
  State s;
  TaskId p0 = 0, p1 = 0, p2 = 0;
  Vpn a = 0, b = 0, sh = 0;
};

const Typical& typical() {
  static const Typical t = [] {
    Typical t{State(Config{})};
    Kernel k(t.s, policies());
    t.p0 = k.spawn();
    must(k.mmap(t.p0, 16, PROT_READ_ | PROT_WRITE_, 0, &t.a), "mmap A");
    must(k.mmap(t.p0, 8, PROT_READ_ | PROT_WRITE_, 0, &t.b), "mmap B");
    must(k.mmap(t.p0, 4, PROT_READ_ | PROT_WRITE_, MAPF_SHARED, &t.sh), "mmap S");
    write_range(k, t.p0, t.a, 16, 0x100);
    write_range(k, t.p0, t.b, 8, 0x200);
    write_range(k, t.p0, t.sh, 4, 0x300);
    GupId pin = 0, get = 0;
    must(k.gup(t.p0, t.p0, t.a, 2, FOLL_PIN | FOLL_WRITE | FOLL_LONGTERM, &pin), "pin A[0:2]");
    must(k.gup(t.p0, t.p0, t.a + 2, 1, FOLL_GET, &get), "gup A[2]");
    const PipeId pipe = k.pipe_create(t.p0);
    must(k.vmsplice(t.p0, t.b, 1, pipe), "vmsplice B[0]");
    must(k.fork(t.p0, &t.p1), "fork P1");
    must(k.fork(t.p0, &t.p2), "fork P2");
    write_range(k, t.p1, t.a + 4, 4, 0x1100);
    must(k.write(t.p1, t.sh, 0x1300), "P1 write S[0]");
    write_range(k, t.p2, t.b, 4, 0x2200);
    GupId pin2 = 0;
    must(k.gup(t.p2, t.p2, t.a + 8, 1, FOLL_PIN, &pin2), "P2 pin A[8]");
    must(k.write(t.p0, t.a + 12, 0x1234), "P0 write A[12]");
    must_be_consistent(t.s, "typical");
    return t;
  }();
  return t;
}

// Explorer-sized: memory=16, two processes, one private and one shared
// mapping, one pin, one pipe buffer, one COW copy.
const State& small() {
  static const State s = [] {
    State s(Config{.memory = 16});
    Kernel k(s, policies());
    const TaskId p0 = k.spawn();
    Vpn a = 0, sh = 0;
    must(k.mmap(p0, 4, PROT_READ_ | PROT_WRITE_, 0, &a), "mmap A");
    must(k.mmap(p0, 2, PROT_READ_ | PROT_WRITE_, MAPF_SHARED, &sh), "mmap S");
    write_range(k, p0, a, 4, 0x10);
    must(k.write(p0, sh, 0x20), "write S[0]");
    GupId pin = 0;
    must(k.gup(p0, p0, a, 1, FOLL_PIN, &pin), "pin A[0]");
    const PipeId pipe = k.pipe_create(p0);
    must(k.vmsplice(p0, a + 1, 1, pipe), "vmsplice A[1]");
    TaskId p1 = 0;
    must(k.fork(p0, &p1), "fork P1");
    must(k.write(p1, a + 2, 0x30), "P1 write A[2]");
    must_be_consistent(s, "small");
    return s;
  }();
  return s;
}

// Bytes a State copy moves (heap payload of its vectors), as a counter.
double state_bytes(const State& s) {
  size_t n = s.mem.pages.size() * sizeof(Page) + s.mem.folios.size() * sizeof(Folio);
  for (const Mm& mm : s.mms) n += mm.vmas.size() * sizeof(Vma) + mm.pt.slots().size() * sizeof(PteSlot);
  for (const Task& t : s.tasks) n += t.pipes.size() * sizeof(PipeId);
  for (const GupRef& g : s.gups) n += g.pfns.size() * sizeof(Pfn);
  for (const Pipe& p : s.pipes) n += p.bufs.size() * sizeof(Pfn);
  for (const ShmemFile& f : s.files) n += f.pages.size() * sizeof(Pfn);
  n += s.mms.size() * sizeof(Mm) + s.tasks.size() * sizeof(Task) + s.gups.size() * sizeof(GupRef) +
       s.pipes.size() * sizeof(Pipe) + s.files.size() * sizeof(ShmemFile);
  return double(n);
}

void label(benchmark::State& st, const State& s) {
  st.counters["state_bytes"] = state_bytes(s);
  st.SetItemsProcessed(int64_t(st.iterations()));
}

// --- the typical 3-process state (memory=256) ---------------------------------

void BM_StateCopy(benchmark::State& st) {
  const State& base = typical().s;
  for (auto _ : st) {
    State copy = base;
    benchmark::DoNotOptimize(copy);
  }
  label(st, base);
}
BENCHMARK(BM_StateCopy);

void BM_StateHash(benchmark::State& st) {
  const State& base = typical().s;
  for (auto _ : st) benchmark::DoNotOptimize(base.hash());
  label(st, base);
}
BENCHMARK(BM_StateHash);

// What the explorer does per successor before it knows whether it is new.
void BM_StateCopyAndHash(benchmark::State& st) {
  const State& base = typical().s;
  for (auto _ : st) {
    State copy = base;
    benchmark::DoNotOptimize(copy.hash());
  }
  label(st, base);
}
BENCHMARK(BM_StateCopyAndHash);

// P0 forks a child that writes one page (a COW fault) and exits, on a fresh
// copy of the typical state. The copy is made outside the timed region
// (manual timing), so this is the model's cost of the three steps.
void BM_ForkWriteCycle(benchmark::State& st) {
  const Typical& t = typical();
  for (auto _ : st) {
    State s = t.s;
    const auto start = std::chrono::steady_clock::now();
    Kernel k(s, policies());
    TaskId child = 0;
    Outcome o = k.fork(t.p0, &child);
    if (o) o = k.write(child, t.a + 3, 0x99);
    if (o) o = k.exit(child);
    const auto end = std::chrono::steady_clock::now();
    if (!o) st.SkipWithError("fork/write/exit failed");
    benchmark::DoNotOptimize(s);
    st.SetIterationTime(std::chrono::duration<double>(end - start).count());
  }
  label(st, t.s);
}
BENCHMARK(BM_ForkWriteCycle)->UseManualTime();

// The --check cost per step: recompute every counter from the holders.
void BM_CheckInvariants(benchmark::State& st) {
  const State& base = typical().s;
  for (auto _ : st) benchmark::DoNotOptimize(check_invariants(base, policies()));
  label(st, base);
}
BENCHMARK(BM_CheckInvariants);

// --- an explorer-sized state (memory=16) ----------------------------------------

void BM_SmallStateCopyAndHash(benchmark::State& st) {
  const State& base = small();
  for (auto _ : st) {
    State copy = base;
    benchmark::DoNotOptimize(copy.hash());
  }
  label(st, base);
}
BENCHMARK(BM_SmallStateCopyAndHash);

void BM_SmallStateHash(benchmark::State& st) {
  const State& base = small();
  for (auto _ : st) benchmark::DoNotOptimize(base.hash());
  label(st, base);
}
BENCHMARK(BM_SmallStateHash);

}  // namespace

BENCHMARK_MAIN();
