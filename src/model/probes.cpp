// What can be observed: /proc/PID/pagemap (fs/proc/task_mmu.c) and the
// model-only predicates that policies share (include/linux/mm.h).
#include <algorithm>

#include "model/huge_memory.hpp"
#include "model/internal.hpp"

namespace mmsim {

PagemapEntry Kernel::pagemap(TaskId t, Vpn v) const {
  PagemapEntry e;
  if (!task_live(t)) return e;
  const Mm& mm = mm_of(t);
  const Vma* vma = mm.vma_at(v);
  if (!vma) return e;
  // VM_SOFTDIRTY reports the whole VMA soft-dirty (pagemap_pte_hole / pte_to_pagemap_entry).
  const bool vma_sd = s_.config.soft_dirty && vma->test(VM_SOFTDIRTY);
  bool pmd = false;
  const Pte pte = detail::effective_pte(s_, mm, v, &pmd);
  e.soft_dirty = vma_sd;
  switch (pte.kind) {
    case PteKind::None:
    case PteKind::Marker:
      break;
    case PteKind::Swap:
      e.swap = true;
      e.soft_dirty |= s_.config.soft_dirty && pte.has(PTE_SOFT_DIRTY);
      e.uffd_wp = pte.has(PTE_UFFD_WP);
      break;
    case PteKind::Present: {
      e.present = true;
      e.pfn = pte.pfn();
      e.soft_dirty |= s_.config.soft_dirty && pte.has(PTE_SOFT_DIRTY);
      e.uffd_wp = pte.has(PTE_UFFD_WP);
      if (pmd && pte.pfn() == kZeroPfn) {
        // pagemap_pmd_range() on the huge zero PMD: frame pmd_pfn() + offset,
        // PM_FILE (pmd_page() is not anon), mapcount 0: not exclusive.
        e.pfn = detail::kHugeZeroPfn + Pfn(v & (detail::hpage_nr(s_) - 1));
        e.file = true;
      } else if (pte.pfn() != kZeroPfn) {  // the zero page is not a normal page: no FILE, no EXCLUSIVE
        e.file = !folio(pte.pfn()).test(FOLIO_ANON);
        // PM_MMAP_EXCLUSIVE: the page's precise mapcount (PTE + PMD mappings)
        // is 1 — not PAE, not the refcount.
        e.exclusive = page(pte.pfn()).mapcount + folio(pte.pfn()).entire_mapcount == 1;
      }
      break;
    }
  }
  return e;
}

std::optional<Pfn> Kernel::mapped_page(TaskId t, Vpn v) const {
  if (!task_live(t)) return std::nullopt;
  const Pte pte = detail::effective_pte(s_, mm_of(t), v);
  if (!pte.is_present() || pte.pfn() == kZeroPfn) return std::nullopt;
  return pte.pfn();
}

void Kernel::set_anon_exclusive(Pfn pfn, bool on) {
  if (on)
    page(pfn).flags |= PAGE_ANON_EXCLUSIVE;
  else
    page(pfn).flags &= ~uint32_t(PAGE_ANON_EXCLUSIVE);
}

bool Kernel::folio_maybe_dma_pinned(Pfn pfn) const { return folio(pfn).maybe_dma_pinned(); }

bool Kernel::folio_needs_cow_for_dma(MmId mm, Pfn pfn) const {
  return s_.mms[mm].test(MMF_HAS_PINNED) && folio_maybe_dma_pinned(pfn);
}

bool Kernel::folio_mapped_by_other_mm(Pfn pfn, MmId self) const {
  return detail::folio_mapped_by_other_mm(state(), state().mem.head(pfn), self);
}

int Kernel::folio_mapcount(Pfn pfn) const {
  const Folio& f = folio(pfn);
  if (f.large()) return f.large_mapcount;
  return page(pfn).mapcount;
}

int Kernel::folio_expected_ref_count(Pfn pfn) const {
  const Folio& f = folio(pfn);
  return folio_mapcount(pfn) + (f.test(FOLIO_SWAPCACHE) ? int(f.nr_pages()) : 0);
}

void Kernel::lru_add_drain() {
  // folio_batch_move_lru(): every folio of the (single, local) LRU add batch
  // goes onto the LRU and the batch drops its reference (which may free it).
  const std::vector<Pfn> batch = std::move(s_.lru_add);
  s_.lru_add.clear();
  for (Pfn pfn : batch) {
    Folio& f = folio(pfn);
    f.clear(FOLIO_LRU_BATCH);
    f.set(FOLIO_LRU);
    detail::lru_touch(*this, pfn);
    detail::folio_put(*this, pfn);
  }
}


}  // namespace mmsim

namespace mmsim {

std::optional<bool> Kernel::mincore(TaskId t, Vpn v) const {
  if (!task_live(t)) return std::nullopt;
  const Mm& mm = mm_of(t);
  const Vma* vma = mm.vma_at(v);
  if (!vma) return std::nullopt;  // ENOMEM
  const uint64_t idx = vma->file_index(v);
  if (vma->is_gmem()) {
    // mincore_page() -> filemap_get_incore_folio(): guest_memfd folios count
    // only once uptodate (kvm_gmem_fault_user_mapping() / prepare).
    const GmemPage* p = detail::gmem_find(s_.gmems[vma->gmem], idx);
    return p && (p->flags & GMEM_UPTODATE);
  }
  if (vma->file != kNone && vma->is_shared())
    return idx < s_.files[vma->file].pages.size() && s_.files[vma->file].pages[idx] != kNoPfn;
  return detail::effective_pte(s_, mm, v).is_present();
}

}  // namespace mmsim
