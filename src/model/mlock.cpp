// mlockall()/munlockall() (mm/mlock.c) and RLIMIT_MEMLOCK. mlock()/munlock()
// of a range live in mmap.cpp with the other VMA walks.
#include "model/huge_memory.hpp"
#include "model/internal.hpp"

namespace mmsim {
using namespace detail;

namespace detail {

void mlock_vma(Kernel& k, Mm& mm, Vma& vma, uint64_t extra) {
  // "don't set VM_LOCKED or VM_LOCKONFAULT and don't count" where !vma_supports_mlock().
  if (vma.test(VM_LOCKED) || vma.test(VM_HUGETLB) || vma.test(VM_DROPPABLE)) return;
  vma.flags |= VM_LOCKED | extra;
  mm.rss.locked_vm += int64_t(vma.pages());
  for (Vpn v : mm.pt.populated(vma.start, vma.end)) {
    const Pte pte = mm.pt.get(v);
    if (pte.is_present()) mlock_page(k, pte.pfn());
  }
}

}  // namespace detail

Outcome Kernel::setrlimit_memlock(TaskId t, uint64_t pages) {
  if (!task_live(t)) return Outcome::err(ESRCH);
  s_.tasks[t].memlock = pages;
  s_.tasks[t].cap_ipc_lock = 0;  // the scenario's process is now an unprivileged one
  return Outcome::ok();
}

Outcome Kernel::mlockall(TaskId t, unsigned flags) {
  if (!task_live(t)) return Outcome::err(ESRCH);
  // "if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
  //  flags == MCL_ONFAULT) return -EINVAL;"
  if (!flags || (flags & ~unsigned(MCL_CURRENT_ | MCL_FUTURE_ | MCL_ONFAULT_)) || flags == MCL_ONFAULT_)
    return Outcome::err(EINVAL);
  const Task& task = s_.tasks[t];
  if (!can_do_mlock(task)) return Outcome::err(EPERM);
  const MmId mmid = task.mm;
  Mm& mm = s_.mms[mmid];
  // "if (!(flags & MCL_CURRENT) || (current->mm->total_vm <= lock_limit) ||
  //  capable(CAP_IPC_LOCK))": total_vm counts every VMA, droppable ones too.
  uint64_t total_vm = 0;
  for (const Vma& vma : mm.vmas) total_vm += vma.pages();
  if ((flags & MCL_CURRENT_) && !task.cap_ipc_lock && total_vm > task.memlock) return Outcome::err(ENOMEM);
  // apply_mlockall_flags().
  mm.def_flags &= ~VM_LOCKED_MASK;
  if (flags & MCL_FUTURE_) {
    mm.def_flags |= VM_LOCKED;
    if (flags & MCL_ONFAULT_) mm.def_flags |= VM_LOCKONFAULT;
  }
  if (!(flags & MCL_CURRENT_)) return Outcome::ok();
  lru_add_drain();
  std::vector<std::pair<Vpn, Vpn>> ranges;
  for (const Vma& vma : mm.vmas) ranges.push_back({vma.start, vma.end});
  for (auto [start, end] : ranges) {
    Vma* vma = s_.mms[mmid].vma_at(start);
    if (!vma || vma->test(VM_LOCKED) || vma->test(VM_HUGETLB) || vma->test(VM_DROPPABLE)) continue;
    split_pmds(*this, mmid, start, end);
    mlock_vma(*this, s_.mms[mmid], *s_.mms[mmid].vma_at(start), (flags & MCL_ONFAULT_) ? uint64_t(VM_LOCKONFAULT) : 0);
  }
  merge_vmas(*this, s_.mms[mmid]);
  // mm_populate() unless MCL_ONFAULT; errors are ignored.
  if (!(flags & MCL_ONFAULT_))
    for (auto [start, end] : ranges)
      if (const Vma* vma = s_.mms[mmid].vma_at(start); vma && vma->test(VM_LOCKED))
        populate_range(*this, mmid, start, end, true);
  return Outcome::ok();
}

Outcome Kernel::munlockall(TaskId t) {
  if (!task_live(t)) return Outcome::err(ESRCH);
  Mm& mm = s_.mms[s_.tasks[t].mm];
  mm.def_flags &= ~VM_LOCKED_MASK;
  std::vector<std::pair<Vpn, Vpn>> ranges;
  for (const Vma& vma : mm.vmas)
    if (vma.test(VM_LOCKED)) ranges.push_back({vma.start, vma.end});
  for (auto [start, end] : ranges) munlock(t, start, end - start);
  return Outcome::ok();
}

}  // namespace mmsim
