// Tracking interfaces a process drives on itself: soft-dirty reset through
// /proc/PID/clear_refs (fs/proc/task_mmu.c) and userfaultfd write-protection
// (fs/userfaultfd.c, mm/userfaultfd.c mwriteprotect_range()).
#include "model/huge_memory.hpp"
#include "model/internal.hpp"

namespace mmsim {
using namespace detail;

Outcome Kernel::clear_refs(TaskId t) {
  if (!task_live(t)) return Outcome::err(ESRCH);
  // Without CONFIG_MEM_SOFT_DIRTY the write of "4" succeeds and does nothing.
  if (!s_.config.soft_dirty) return Outcome::ok();
  const MmId mmid = s_.tasks[t].mm;
  Mm& mm = s_.mms[mmid];
  // clear_soft_dirty_pmd(): PMD-mapped THPs are write-protected and cleaned
  // without the pinned check that PTEs get (cow-gup.md §2.2 item 3).
  for (PteSlot& p : mm.pmds) {
    p.pte.wrprotect();
    p.pte.clear(PTE_SOFT_DIRTY);
  }
  for (Vma& vma : mm.vmas) {
    // clear_refs_write(): "vm_flags_clear(vma, VM_SOFTDIRTY)" turns soft-dirty
    // tracking on for the VMA (later upgrades must keep PTEs R/O).
    vma.flags &= ~uint64_t(VM_SOFTDIRTY);
    if (vma.test(VM_HUGETLB)) continue;  // clear_refs_walk_ops has no hugetlb_entry
    for (Vpn v : mm.pt.populated(vma.start, vma.end)) {
      Pte* pte = mm.pt.find(v);
      if (pte->kind == PteKind::Swap) {
        pte->clear(PTE_SOFT_DIRTY);  // pte_swp_clear_soft_dirty()
        continue;
      }
      if (!pte->is_present()) continue;
      // clear_soft_dirty(): "if (pte_is_pinned(vma, addr, ptent)) return;" (policy).
      if (pte->write() && p_.clear_refs->skip_pte(*this, mmid, vma, pte->pfn())) continue;
      pte->wrprotect();
      pte->clear(PTE_SOFT_DIRTY);
    }
  }
  return Outcome::ok();
}

Outcome Kernel::uffd_register_wp(TaskId t, Vpn start, uint64_t pages) {
  if (!task_live(t)) return Outcome::err(ESRCH);
  if (pages == 0) return Outcome::err(EINVAL);
  const MmId mmid = s_.tasks[t].mm;
  split_pmds(*this, mmid, start, start + pages);  // uffd-wp on PMDs is not modelled
  // userfaultfd_register(): "vma = vma_find(&vmi, end); if (!vma) goto
  // out_unlock" with ret = -EINVAL when no VMA meets the range; then
  // for_each_vma_range() checks and registers the VMAs there are, skipping
  // holes (fs/userfaultfd.c, the same loop over vm_next in 5.x; seen on the
  // 6.18 host: scenarios/host/uffd-register-errors.mm).
  const Vpn end = start + pages;
  std::vector<std::pair<Vpn, Vpn>> pieces;  // the parts of the range that VMAs cover
  for (const Vma& vma : s_.mms[mmid].vmas) {
    if (vma.end <= start || vma.start >= end) continue;
    if (vma.is_gmem()) return Outcome::err(EINVAL);  // vma_can_userfault(): not a guest_memfd VMA
    // vma_can_userfault(): "if (vm_flags & VM_DROPPABLE) return false" -> EINVAL.
    if (vma.test(VM_DROPPABLE)) return Outcome::err(EINVAL);
    pieces.emplace_back(std::max(start, vma.start), std::min(end, vma.end));
  }
  if (pieces.empty()) return Outcome::err(EINVAL);
  for (auto [lo, hi] : pieces)
    for_each_vma_piece(*this, s_.mms[mmid], lo, hi, true, [&](size_t i) { s_.mms[mmid].vmas[i].flags |= VM_UFFD_WP; });
  merge_vmas(*this, s_.mms[mmid]);
  return Outcome::ok();
}

Outcome Kernel::uffd_writeprotect(TaskId t, Vpn start, uint64_t pages, bool wp) {
  if (!task_live(t)) return Outcome::err(ESRCH);
  const MmId mmid = s_.tasks[t].mm;
  split_pmds(*this, mmid, start, start + pages);
  Mm& mm = s_.mms[mmid];
  // mwriteprotect_range(): every VMA of the range must be registered for WP.
  for (Vpn v = start; v < start + pages; ++v) {
    const Vma* vma = mm.vma_at(v);
    if (!vma) return Outcome::err(ENOENT);
    if (!vma->test(VM_UFFD_WP)) return Outcome::err(ENOENT);
  }
  for (Vpn v : mm.pt.populated(start, start + pages)) {
    Pte* pte = mm.pt.find(v);
    if (!pte->is_present()) continue;
    if (wp) {
      // change_pte_range(MM_CP_UFFD_WP): pte_wrprotect() + pte_mkuffd_wp().
      pte->wrprotect();
      pte->set(PTE_UFFD_WP);
      continue;
    }
    // MM_CP_UFFD_WP_RESOLVE clears the bit; with MM_CP_TRY_CHANGE_WRITABLE
    // (6.x) an exclusive page may become writable at once, as in mprotect().
    pte->clear(PTE_UFFD_WP);
    if (can_change_pte_writable(*this, *mm.vma_at(v), *pte, pte->pfn())) pte->set(PTE_WRITE);
  }
  return Outcome::ok();
}

}  // namespace mmsim
