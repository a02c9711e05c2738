// reuse_swap_page() (mm/swapfile.c, <= 5.17), shared by the mapcount and
// refcount eras: the page's mappings plus the swap PTEs still pointing at its
// slot decide; at most one and the page leaves the swap cache. The refcount
// (pins, pipes, GUP references) is not consulted at all.
#pragma once
#include "model/kernel.hpp"

namespace mmsim {

// `extra` counts a swap PTE already released by the caller that
// reuse_swap_page() would still have seen (do_swap_page() called it "while
// the page is counted on swap but not yet in mapcount").
inline bool reuse_swap_page(Kernel& k, Pfn pfn, int mapcount, int extra) {
  const Folio& f = k.folio(pfn);
  int count = mapcount + extra;
  if (f.test(FOLIO_SWAPCACHE)) count += int(k.swap_count(f.swap));
  if (count == 1 && f.test(FOLIO_SWAPCACHE) && !f.test(FOLIO_WRITEBACK)) {
    // delete_from_swap_cache(); SetPageDirty(): the swap copy is stale now.
    k.folio_free_swap(pfn);
    k.folio(pfn).set(FOLIO_DIRTY);
  }
  return count <= 1;
}

// 5.x do_swap_page() tail: "if (mem_cgroup_swap_full(page) || (vma->vm_flags
// & VM_LOCKED) || PageMlocked(page)) try_to_free_swap(page);"
inline void try_to_free_swap_if(Kernel& k, const SwapinFault& f) {
  if (f.free_hint && k.folio(f.pfn).test(FOLIO_SWAPCACHE)) k.folio_free_swap(f.pfn);
}

// 5.18+ should_try_to_free_swap(): the hint, or a write fault on a page that
// only the swap cache and this fault reference.
inline void should_try_to_free_swap(Kernel& k, const SwapinFault& f) {
  const Folio& folio = k.folio(f.pfn);
  if (!folio.test(FOLIO_SWAPCACHE)) return;
  if (f.free_hint || (f.write && !folio.test(FOLIO_KSM) && folio.refcount == 2)) k.folio_free_swap(f.pfn);
}

}  // namespace mmsim
