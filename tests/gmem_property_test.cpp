// Property test for guest_memfd: under every combination of the gmem knobs,
// random sequences of host faults, conversions, pins, gets, vmsplice,
// punches, allocations, fork/exit, munmap and guest accesses keep every
// counter consistent with its holders (check_invariants(), which includes
// "no host PTE maps a private index" and "no GUP reference or pipe holds a
// private page") — and after every step no private index is reachable from
// the host: its PTE is absent, a new GUP of it fails with EFAULT and a load
// from it is SIGBUS (both tried on a copy of the state).
//
// Reproduce: RC_PARAMS="seed=1234" build/mmsim_tests --gtest_filter='GmemProperty.*'
#include "test_util.hpp"  // gtest first: rapidcheck/gtest.h needs it

#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <tuple>

namespace mmsim {
namespace {

PolicySet gmem_policies(int combo) {
  static const char* conv[] = {"none", "inplace"};
  static const char* huge[] = {"none", "shatter", "split"};
  static const char* pin[] = {"plain", "exclusive"};
  auto choices = find_profile("linux-6.18")->choices;
  choices["gmem-conversion"] = conv[combo % 2];
  choices["gmem-huge"] = huge[(combo / 2) % 3];
  choices["gmem-pin"] = pin[(combo / 6) % 2];
  std::string err;
  return *make_policy_set(choices, &err);
}

constexpr uint64_t kPages = 8;  // guest_memfd size (two huge pages of order 2)

struct Run {
  State st{Config{.memory = 48, .thp_order = 2}};
  PolicySet ps;
  Kernel k{st, ps};
  std::vector<TaskId> tasks;
  struct M {
    TaskId t;
    Vpn v;
  };
  std::vector<M> maps;  // mappings of the whole file (index = vpn - v)
  std::vector<GupId> gups;
  std::vector<std::pair<TaskId, PipeId>> pipes;
  GmemId g = kNone;
  VmId vm = kNone;
  explicit Run(int combo) : ps(gmem_policies(combo)) {}
};

// Is any private index of the file reachable from the host?
void assert_private_unreachable(Run& r) {
  for (const Run::M& m : r.maps) {
    if (!r.k.task_live(m.t)) continue;
    const Vma* vma = r.k.mm_of(m.t).vma_at(m.v);
    if (!vma || !vma->is_gmem()) continue;  // unmapped since
    for (uint64_t i = 0; i < kPages; ++i) {
      const Vpn v = m.v + i;
      const Vma* pv = r.k.mm_of(m.t).vma_at(v);
      if (!pv || !pv->is_gmem() || r.k.gmem_index_shared(r.g, pv->file_index(v))) continue;
      RC_ASSERT(!r.k.pagemap(m.t, v).present);
      State copy = r.st;
      Kernel kc(copy, r.ps);
      GupId gid = kNone;
      RC_ASSERT(kc.gup(m.t, m.t, v, 1, FOLL_GET, &gid) == Outcome::err(EFAULT));
      RC_ASSERT(kc.gup(m.t, m.t, v, 1, FOLL_PIN | FOLL_WRITE | FOLL_LONGTERM, &gid) == Outcome::err(EFAULT));
      Token x = 0;
      RC_ASSERT(kc.read(m.t, v, &x) == Outcome::sig(SIGBUS));
    }
  }
}

void step(Run& r, uint8_t op, uint8_t a, uint8_t b, uint8_t c) {
  Kernel& k = r.k;
  const uint64_t idx = a % kPages;
  const uint64_t len = 1 + b % kPages;
  auto live_task = [&](uint8_t x) -> TaskId {
    std::vector<TaskId> live;
    for (TaskId t : r.tasks)
      if (k.task_live(t)) live.push_back(t);
    return live.empty() ? kNone : live[x % live.size()];
  };
  switch (op % 12) {
    case 0: case 1: {  // host load / store through some mapping
      if (r.maps.empty()) break;
      const Run::M& m = r.maps[c % r.maps.size()];
      if (!k.task_live(m.t)) break;
      Token x = 0;
      if (op % 12 == 0) (void)k.read(m.t, m.v + idx, &x);
      else (void)k.write(m.t, m.v + idx, 100 + c);
      break;
    }
    case 2: {  // conversion
      uint64_t eo = 0;
      const uint64_t lo = idx, hi = std::min(kPages, idx + len);
      (void)k.gmem_set_attributes(r.tasks[0], GmemAttributes{.gmem = r.g, .offset = lo << kPageShift,
                                                             .size = (hi - lo) << kPageShift,
                                                             .attributes = (c & 1) ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0},
                                  &eo);
      break;
    }
    case 3: {  // a device pins or gets (maybe exclusively)
      if (r.maps.empty()) break;
      const Run::M& m = r.maps[c % r.maps.size()];
      if (!k.task_live(m.t)) break;
      uint32_t foll = (b & 1) ? FOLL_GET : FOLL_PIN | FOLL_WRITE | FOLL_LONGTERM;
      if ((b & 6) == 6 && (foll & FOLL_PIN)) foll |= FOLL_EXCLUSIVE;
      GupId gid = kNone;
      if (k.gup(m.t, m.t, m.v + idx, 1, foll, &gid)) r.gups.push_back(gid);
      break;
    }
    case 4: {  // the device lets go
      if (r.gups.empty()) break;
      const size_t i = c % r.gups.size();
      if (r.k.state().gups[r.gups[i]].live) (void)k.gup_release(r.gups[i], b & 1);
      r.gups.erase(r.gups.begin() + ptrdiff_t(i));
      break;
    }
    case 5: {  // vmsplice / drain a pipe
      if (r.maps.empty()) break;
      const Run::M& m = r.maps[c % r.maps.size()];
      if (!k.task_live(m.t)) break;
      if (b & 1) {
        const PipeId p = k.pipe_create(m.t);
        (void)k.vmsplice(m.t, m.v + idx, 1, p);
        r.pipes.push_back({m.t, p});
      } else {
        for (auto& [t, p] : r.pipes)
          if (k.task_live(t) && !k.state().pipes[p].bufs.empty()) {
            Token x = 0;
            (void)k.pipe_read(t, p, &x);
            break;
          }
      }
      break;
    }
    case 6: case 7: {  // fallocate: allocate or punch (huge-aligned sometimes)
      const bool huge = c & 1;
      const uint64_t lo = huge ? (idx & ~3ull) : idx, hi = huge ? std::min(kPages, lo + 4) : std::min(kPages, idx + len);
      (void)k.gmem_fallocate(r.tasks[0], r.g, FALLOC_FL_KEEP_SIZE | (op % 12 == 7 ? FALLOC_FL_PUNCH_HOLE : 0),
                             int64_t(lo << kPageShift), int64_t((hi - lo) << kPageShift));
      break;
    }
    case 8: {  // fork
      const TaskId t = live_task(c);
      if (t == kNone || r.tasks.size() >= 4) break;
      TaskId child = kNone;
      if (!k.fork(t, &child)) break;
      r.tasks.push_back(child);
      const size_t n = r.maps.size();
      for (size_t i = 0; i < n; ++i)
        if (r.maps[i].t == t) r.maps.push_back({child, r.maps[i].v});
      break;
    }
    case 9: {  // exit (never the VMM, P0)
      const TaskId t = live_task(c);
      if (t != kNone && t != r.tasks[0]) (void)k.exit(t);
      break;
    }
    case 10: {  // map again, or unmap / MADV_DONTNEED part of a mapping
      const TaskId t = live_task(c);
      if (t == kNone) break;
      if (b % 3 == 0 && r.maps.size() < 8) {
        Vpn v = 0;
        if (k.mmap_gmem(t, kPages, PROT_READ_ | PROT_WRITE_, MAPF_SHARED, r.g, 0, &v)) r.maps.push_back({t, v});
      } else if (!r.maps.empty()) {
        const Run::M& m = r.maps[c % r.maps.size()];
        if (k.task_live(m.t))
          (void)(b % 3 == 1 ? k.munmap(m.t, m.v + idx, 1) : k.madvise(m.t, m.v + idx, 1, ADV_DONTNEED));
      }
      break;
    }
    case 11: {  // the guest touches a GPA
      Token x = 200 + c;
      uint64_t exit_flags = 0;
      (void)k.guest_access(r.vm, (uint64_t(1) << 20) + (idx << kPageShift), b & 1, &x, &exit_flags);
      break;
    }
  }
}

void run_property(int combo, bool init_shared, bool hugetlb, const std::vector<std::tuple<uint8_t, uint8_t, uint8_t, uint8_t>>& ops) {
  Run r(combo);
  r.tasks.push_back(r.k.spawn());
  RC_ASSERT(r.k.kvm_create_vm(r.tasks[0], KVM_X86_DEFAULT_VM, &r.vm) == Outcome::ok());
  uint64_t flags = GUEST_MEMFD_FLAG_MMAP | (init_shared ? GUEST_MEMFD_FLAG_INIT_SHARED : 0);
  if (hugetlb && r.ps.gmem_huge->supports_hugetlb()) flags |= GUEST_MEMFD_FLAG_HUGETLB;
  RC_ASSERT(r.k.kvm_create_guest_memfd(r.tasks[0], r.vm, kPages << kPageShift, flags, &r.g) == Outcome::ok());
  MemoryRegion slot{.slot = 0, .flags = KVM_MEM_GUEST_MEMFD, .gpa = 1 << 20, .size = kPages << kPageShift,
                    .fd = MemoryRegion::Fd::Gmem, .gmem = r.g};
  RC_ASSERT(r.k.kvm_set_user_memory_region(r.tasks[0], r.vm, slot) == Outcome::ok());
  Vpn v = 0;
  RC_ASSERT(r.k.mmap_gmem(r.tasks[0], kPages, PROT_READ_ | PROT_WRITE_, MAPF_SHARED, r.g, 0, &v) == Outcome::ok());
  r.maps.push_back({r.tasks[0], v});
  for (const auto& [op, a, b, c] : ops) {
    step(r, op, a, b, c);
    const auto bad = check_invariants(r.st, r.ps);
    if (!bad.empty()) RC_FAIL(bad.front());
    assert_private_unreachable(r);
  }
  // Tear down: every frame comes back.
  for (TaskId t : r.tasks)
    if (r.k.task_live(t)) RC_ASSERT(r.k.exit(t) == Outcome::ok());
  RC_ASSERT(check_invariants(r.st, r.ps).empty());
  RC_ASSERT(r.st.mem.nr_free == r.st.mem.nr_frames());
}

RC_GTEST_PROP(GmemProperty, NoPrivatePageReachableFromTheHost, ()) {
  const int combo = *rc::gen::inRange(0, 12);
  const bool init_shared = *rc::gen::arbitrary<bool>();
  const bool hugetlb = *rc::gen::arbitrary<bool>();
  const auto ops = *rc::gen::container<std::vector<std::tuple<uint8_t, uint8_t, uint8_t, uint8_t>>>(
      rc::gen::arbitrary<std::tuple<uint8_t, uint8_t, uint8_t, uint8_t>>());
  run_property(combo, init_shared, hugetlb, ops);
}

}  // namespace
}  // namespace mmsim
