// Swap slots, the swap cache and do_swap_page(). The era-dependent decision
// (may the swapped-in page be reused/mapped writable and exclusive?) is the
// COW policy's swapin(); everything else here is common to all eras.
#include "model/swap.hpp"

#include <cassert>

#include "model/internal.hpp"

namespace mmsim {
namespace detail {

bool vm_swap_full(const State& s) {
  uint32_t used = 0;
  for (const SwapSlot& sl : s.swap) used += sl.used();
  return !s.swap.empty() && used * 2 > s.swap.size();
}

bool add_to_swap(Kernel& k, Pfn head) {
  State& s = k.state();
  for (uint32_t slot = 0; slot < s.swap.size(); ++slot) {
    if (s.swap[slot].used()) continue;
    s.swap[slot] = SwapSlot{.count = 0, .cache = head, .data = 0};
    Folio& f = k.folio(head);
    f.set(FOLIO_SWAPCACHE);
    f.set(FOLIO_DIRTY);  // add_to_swap(): "folio_mark_dirty(folio)" so that pageout() writes it
    f.swap = slot;
    folio_get(k, head, int32_t(f.nr_pages()));
    return true;
  }
  return false;  // get_swap_page() failed: the swap device is full or absent
}

void delete_from_swap_cache(Kernel& k, Pfn head) {
  State& s = k.state();
  Folio& f = k.folio(head);
  assert(f.test(FOLIO_SWAPCACHE));
  SwapSlot& sl = s.swap[f.swap];
  sl.cache = kNoPfn;
  if (sl.count == 0) sl = SwapSlot{};  // put_swap_folio(): the slot is free again
  f.clear(FOLIO_SWAPCACHE);
  f.swap = kNone;
  folio_put(k, head, int32_t(f.nr_pages()));
}

void swap_duplicate(State& s, uint32_t slot) { s.swap[slot].count += 1; }

void swap_free(State& s, uint32_t slot) {
  SwapSlot& sl = s.swap[slot];
  assert(sl.count > 0);
  sl.count -= 1;
  if (!sl.used()) sl = SwapSlot{};
}

void free_swap_and_cache(Kernel& k, uint32_t slot) {
  State& s = k.state();
  swap_free(s, slot);
  const Pfn cache = s.swap[slot].cache;
  // __try_to_reclaim_swap(TTRS_UNMAPPED | TTRS_FULL): the cached folio goes
  // when the slot is otherwise unused and the folio is unmapped (or swap is full).
  if (cache != kNoPfn && s.swap[slot].count == 0 &&
      (k.folio_mapcount(cache) == 0 || vm_swap_full(s)) && !k.folio(cache).test(FOLIO_WRITEBACK))
    delete_from_swap_cache(k, cache);
}

Outcome do_swap_page(Kernel& k, MmId mmid, Vma& vma, Vpn v, Pte orig, bool write) {
  State& s = k.state();
  const uint32_t slot = uint32_t(orig.val);
  Pfn pfn = s.swap[slot].cache;
  if (pfn == kNoPfn) {
    // swapin_readahead() -> __read_swap_cache_async(): a new folio in the swap
    // cache, read from the slot. The allocation reference is the fault's.
    if (!make_room(k, 0)) return Outcome::oom();
    auto np = s.mem.alloc(0);
    if (!np) return Outcome::oom();
    pfn = *np;
    anon_vma_prepare(k, vma);
    Folio& f = k.folio(pfn);
    f.flags = FOLIO_ANON | FOLIO_SWAPBACKED | FOLIO_SWAPCACHE;
    f.mapping = vma.anon_vma;
    f.index = uint32_t(v);
    f.swap = slot;
    f.refcount += 1;  // the swap cache's reference
    s.swap[slot].cache = pfn;
    k.page(pfn).data = s.swap[slot].data;
    folio_add_lru(k, pfn);
  } else {
    folio_get(k, pfn);  // swap_cache_get_folio(): the fault's reference
  }
  // Remove the swap entry (the slot stays while the swap cache holds it).
  swap_free(s, slot);
  const bool free_hint = vm_swap_full(s) || vma.test(VM_LOCKED) || k.folio(pfn).test(FOLIO_MLOCKED);
  const SwapinAction act =
      k.policies().cow->swapin(k, SwapinFault{mmid, v, pfn, slot, write, orig.has(PTE_SWP_EXCLUSIVE), free_hint});
  Mm& mm = s.mms[mmid];
  mm.rss.anon += 1;
  mm.rss.swapents -= 1;
  Pte pte = Pte::present(pfn, PTE_YOUNG);
  if (orig.has(PTE_SOFT_DIRTY)) pte.set(PTE_SOFT_DIRTY);  // pte_swp_soft_dirty() -> pte_mksoft_dirty()
  if (orig.has(PTE_UFFD_WP)) pte.set(PTE_UFFD_WP);        // pte_swp_uffd_wp() -> pte_mkuffd_wp()
  // The fault's reference becomes the PTE's.
  k.page(pfn).mapcount += 1;
  if (act.exclusive && k.policies().cow->tracks_anon_exclusive()) k.set_anon_exclusive(pfn, true);
  const bool may_write = act.writable && vma.test(VM_WRITE) && !pte.has(PTE_UFFD_WP) &&
                         (write || !pte_needs_soft_dirty_wp(s, vma, pte));
  if (may_write) {
    pte.set(PTE_WRITE);
    if (write) pte.mkdirty();  // the write fault is consumed
  }
  if (vma.test(VM_LOCKED)) mlock_page(k, pfn);
  mm.pt.set(v, pte);
  // A write that was not consumed continues as do_wp_page(): the caller's
  // fault loop faults again on the now present, R/O PTE.
  return Outcome::ok();
}

}  // namespace detail

bool Kernel::folio_free_swap(Pfn pfn) {
  const Pfn head = s_.mem.head(pfn);
  Folio& f = folio(head);
  if (!f.test(FOLIO_SWAPCACHE) || f.test(FOLIO_WRITEBACK)) return false;
  if (s_.swap[f.swap].count > 0) return false;  // folio_swapped(): a swap PTE still needs the slot
  detail::delete_from_swap_cache(*this, head);
  return true;
}

uint32_t Kernel::swap_count(uint32_t slot) const { return slot < s_.swap.size() ? s_.swap[slot].count : 0; }

bool Kernel::folio_lazyfree(Pfn pfn) const {
  const Folio& f = folio(pfn);
  return f.test(FOLIO_ANON) && !f.test(FOLIO_SWAPBACKED) && !f.test(FOLIO_HUGETLB);
}

}  // namespace mmsim
