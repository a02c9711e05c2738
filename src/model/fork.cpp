// Process lifetime: spawn, fork (kernel/fork.c dup_mmap, mm/memory.c
// copy_page_range / copy_present_ptes) and exit (exit_mmap).
#include "model/huge_memory.hpp"
#include "model/hugetlb.hpp"
#include "model/internal.hpp"
#include "model/swap.hpp"

namespace mmsim {
using namespace detail;

namespace {

// vma_needs_copy(): a fork copies PTEs only where a later fault could not
// fill them correctly, i.e. where the VMA has anonymous pages (anon_vma).
bool vma_needs_copy(const Vma& src) {
  return src.anon_vma != kNone || src.test(VM_UFFD_WP) || src.test(VM_HUGETLB);
}

// copy_present_page(): the child gets its own copy of a (maybe pinned) page;
// the parent's PTE and the page stay exactly as they were.
Outcome copy_present_page(Kernel& k, MmId dst, Vma& dst_vma, Vpn v, const Pte& src_pte) {
  const Pfn src = src_pte.pfn();
  auto pfn = alloc_anon_folio(k, dst, dst_vma, v, k.page(src).data);
  if (!pfn) return Outcome::err(ENOMEM);
  Pte pte = Pte::present(*pfn, PTE_YOUNG);
  pte.mkdirty();
  if (dst_vma.test(VM_WRITE)) pte.set(PTE_WRITE);
  if (dst_vma.test(VM_UFFD_WP) && src_pte.has(PTE_UFFD_WP)) pte.set(PTE_UFFD_WP);
  Mm& mm = k.state().mms[dst];
  mm.pt.set(v, pte);
  mm.rss.anon += 1;
  return Outcome::ok();
}

// copy_nonpresent_pte() for a swap entry: swap_duplicate(); the exclusive
// bit is cleared in the parent and not given to the child (5.19+), the child
// has no uffd-wp context.
void copy_swap_pte(Kernel& k, MmId src, MmId dst, const Vma& dst_vma, Vpn v) {
  Pte* spte = k.state().mms[src].pt.find(v);
  spte->clear(PTE_SWP_EXCLUSIVE);
  Pte cpte = *spte;
  if (!dst_vma.test(VM_UFFD_WP)) cpte.clear(PTE_UFFD_WP);
  swap_duplicate(k.state(), uint32_t(cpte.val));
  k.state().mms[dst].pt.set(v, cpte);
  k.state().mms[dst].rss.swapents += 1;
}

// copy_present_ptes() for one PTE.
Outcome copy_present_pte(Kernel& k, MmId src, Vma& src_vma, MmId dst, Vma& dst_vma, Vpn v) {
  Pte pte = k.state().mms[src].pt.get(v);
  const Pfn pfn = pte.pfn();
  const bool anon = pfn != kZeroPfn && k.folio(pfn).test(FOLIO_ANON);
  if (anon && k.policies().cow->fork_anon(k, src, pfn) == ForkAction::CopyForChild)
    return copy_present_page(k, dst, dst_vma, v, pte);
  if (pfn != kZeroPfn) {
    folio_get(k, pfn);
    k.page(pfn).mapcount += 1;
    if (k.folio(pfn).large()) k.folio(pfn).large_mapcount += 1;
    add_mm_counter(k.state().mms[dst].rss, k.folio(pfn), 1);
  }
  // __copy_present_ptes(): "If it's a COW mapping, write protect it both processes".
  if (src_vma.is_cow_mapping() && pte.write()) {
    k.state().mms[src].pt.find(v)->wrprotect();
    pte.wrprotect();
  }
  if (src_vma.is_shared()) pte.clear(PTE_DIRTY);     // pte_mkclean()
  pte.clear(PTE_YOUNG);                               // pte_mkold()
  if (!dst_vma.test(VM_UFFD_WP)) pte.clear(PTE_UFFD_WP);
  k.state().mms[dst].pt.set(v, pte);
  return Outcome::ok();
}

// Tear down an mm (exit_mmap()).
void exit_mmap(Kernel& k, MmId mmid) {
  Mm& mm = k.state().mms[mmid];
  for (const Vma& vma : mm.vmas) {
    zap_range(k, mmid, vma, vma.start, vma.end);
    if (vma.file != kNone) file_put(k, vma.file);
    if (vma.gmem != kNone) gmem_put(k, vma.gmem);
  }
  Mm& m = k.state().mms[mmid];
  m.vmas.clear();
  m.rss.locked_vm = 0;
  m.live = 0;
}

}  // namespace

TaskId Kernel::spawn() {
  s_.mms.push_back(Mm{});
  s_.tasks.push_back(Task{.mm = MmId(s_.mms.size() - 1)});
  return TaskId(s_.tasks.size() - 1);
}

Outcome Kernel::fork(TaskId parent, TaskId* child) {
  if (!task_live(parent)) return Outcome::err(ESRCH);  // no such (live) process
  const MmId src = s_.tasks[parent].mm;
  s_.mms.push_back(Mm{});
  const MmId dst = MmId(s_.mms.size() - 1);
  // MMF_HAS_PINNED is not in MMF_INIT_LEGACY_MASK: the child starts clean.
  for (size_t i = 0; i < s_.mms[src].vmas.size(); ++i) {
    Vma vma = s_.mms[src].vmas[i];
    if (vma.test(VM_DONTCOPY)) continue;  // MADV_DONTFORK: no VMA in the child
    Vma tmp = vma;
    tmp.flags &= ~VM_LOCKED_MASK;  // mlock is not inherited
    tmp.flags &= ~uint64_t(VM_UFFD_WP);  // no UFFD_FEATURE_EVENT_FORK context in the child
    if (tmp.file != kNone) s_.files[tmp.file].users += 1;
    if (tmp.gmem != kNone) s_.gmems[tmp.gmem].users += 1;
    if (vma.test(VM_WIPEONFORK)) {
      tmp.anon_vma = kNone;  // an empty VMA: the child faults in zeroes
      s_.mms[dst].vmas.push_back(tmp);
      continue;
    }
    if (vma.anon_vma != kNone) tmp.anon_vma = s_.next_anon_vma++;  // anon_vma_fork()
    s_.mms[dst].vmas.push_back(tmp);
    if (!vma_needs_copy(vma)) continue;
    // copy_pmd_range(): PMD-mapped THPs first; a pinned one is split and its
    // PTEs are copied below.
    std::vector<Vpn> pmds;
    for (const PteSlot& p : s_.mms[src].pmds)
      if (p.vpn >= vma.start && p.vpn < vma.end) pmds.push_back(p.vpn);
    for (Vpn v : pmds) copy_huge_pmd(*this, src, s_.mms[src].vmas[i], dst, v);
    for (Vpn v : s_.mms[src].pt.populated(vma.start, vma.end)) {
      const Pte pte = s_.mms[src].pt.get(v);
      if (pte.is_swap()) {
        copy_swap_pte(*this, src, dst, s_.mms[dst].vmas.back(), v);
        continue;
      }
      if (!pte.is_present()) continue;  // markers: uffd-wp markers need VM_UFFD_WP, which the child lacks
      Outcome o = vma.test(VM_HUGETLB)
                      ? copy_hugetlb_pte(*this, src, s_.mms[src].vmas[i], dst, s_.mms[dst].vmas.back(), v)
                      : copy_present_pte(*this, src, s_.mms[src].vmas[i], dst, s_.mms[dst].vmas.back(), v);
      if (!o) {
        // dup_mmap() failed: the half-built child mm is torn down, no child exists.
        exit_mmap(*this, dst);
        s_.mms.pop_back();
        return o;
      }
    }
  }
  // Rlimits and capabilities are inherited; mm->def_flags (MCL_FUTURE) is not
  // (mm_init(): "mm->def_flags = current->mm->def_flags & VM_INIT_DEF_MASK").
  Task t{.mm = dst,
         .cap_ipc_lock = s_.tasks[parent].cap_ipc_lock,
         .memlock = s_.tasks[parent].memlock,
         .pipes = s_.tasks[parent].pipes,
         .files = s_.tasks[parent].files,
         .vm_fds = s_.tasks[parent].vm_fds,
         .gmem_fds = s_.tasks[parent].gmem_fds};
  for (PipeId p : t.pipes) s_.pipes[p].users += 1;  // the child inherits the pipe fds
  for (FileId f : t.files) s_.files[f].users += 1;  // ... and the memfd fds
  for (uint32_t v : t.vm_fds) s_.vms[v].users += 1;      // ... the KVM VM fds
  for (uint32_t g : t.gmem_fds) s_.gmems[g].users += 1;  // ... and the guest_memfd fds
  s_.tasks.push_back(std::move(t));
  *child = TaskId(s_.tasks.size() - 1);
  return Outcome::ok();
}

Outcome Kernel::exit(TaskId t) {
  if (!task_live(t)) return Outcome::err(ESRCH);  // no such (live) process
  // Devices owned by the task (io_uring rings, gup_test files) are closed:
  // their pins and references are released.
  for (GupId g = 0; g < s_.gups.size(); ++g)
    if (s_.gups[g].live && s_.gups[g].owner == t) gup_release(g, false);
  for (PipeId p : s_.tasks[t].pipes) pipe_put(*this, p);
  s_.tasks[t].pipes.clear();
  exit_mmap(*this, s_.tasks[t].mm);
  for (FileId f : s_.tasks[t].files) file_put(*this, f);  // close the fds after the mappings
  s_.tasks[t].files.clear();
  for (uint32_t g : s_.tasks[t].gmem_fds) gmem_put(*this, g);
  s_.tasks[t].gmem_fds.clear();
  for (uint32_t v : s_.tasks[t].vm_fds) vm_put(*this, v);
  s_.tasks[t].vm_fds.clear();
  s_.tasks[t].live = 0;
  return Outcome::ok();
}

}  // namespace mmsim
