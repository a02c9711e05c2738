// Page reclaim (mm/vmscan.c shrink_folio_list(), mm/rmap.c try_to_unmap_one()),
// reduced to what decides outcomes: which folios can go, in which order, and
// what is left in the page tables afterwards.
//
//   LRU lists     derived from folio flags: swap-backed anon on the anon
//                 lists, page cache / lazyfree / droppable on the file lists;
//                 PG_active picks active or inactive, PG_unevictable (mlock)
//                 takes a folio off both; Folio::lru_seq orders a list
//                 (higher = nearer the head = younger).
//   a pass        scans the inactive lists from the tail. A referenced folio
//                 (young PTE) gets a second chance (file LRU) or is activated
//                 (swap-backed anon); others are unmapped and freed:
//                   swap-backed anon -> swap cache -> swap PTEs -> pageout ->
//                     freed when only the swap cache still holds it;
//                   lazyfree (MADV_FREE, clean) or droppable (even dirty) ->
//                     discarded, the PTE becomes none (or a marker).
//                 When the inactive lists run dry the active lists are aged.
//
// Not modelled: shmem swap-out (shmem folios stay), THP_SWAP (a large
// swap-backed folio is split before swap-out, as with CONFIG_THP_SWAP=n;
// lazyfree and droppable THPs are discarded whole), MGLRU, swappiness
// balancing, writeback latency.
#include <algorithm>

#include "model/huge_memory.hpp"
#include "model/internal.hpp"
#include "model/swap.hpp"

namespace mmsim {
namespace detail {
namespace {

// folio_referenced(): how many mappings were young; their young bits are cleared.
int folio_referenced(Kernel& k, Pfn head) {
  int young = 0;
  for (const RmapHit& m : rmap_walk_pmds(k.state(), head)) {
    PteSlot* p = pmd_at(k.state().mms[m.mm], m.vpn, hpage_nr(k.state()));
    if (p && p->pte.has(PTE_YOUNG)) {
      ++young;
      p->pte.clear(PTE_YOUNG);
    }
  }
  for (const RmapHit& m : rmap_walk_ptes(k.state(), head)) {
    Pte* pte = k.state().mms[m.mm].pt.find(m.vpn);
    if (pte->has(PTE_YOUNG)) {
      ++young;
      pte->clear(PTE_YOUNG);
    }
  }
  return young;
}

bool has_free_slot(const State& s) {
  return std::any_of(s.swap.begin(), s.swap.end(), [](const SwapSlot& sl) { return !sl.used(); });
}

bool any_mapping_locked(const State& s, const std::vector<RmapHit>& maps) {
  for (const RmapHit& m : maps)
    if (const Vma* vma = s.mms[m.mm].vma_at(m.vpn); vma && vma->test(VM_LOCKED)) return true;
  return false;
}

// try_to_unmap() of a swap-backed anon folio in the swap cache: every PTE
// becomes a swap PTE for its slot. false (nothing changed): a mapping is
// VM_LOCKED, or (5.19+) an exclusive page may be pinned
// (folio_try_share_anon_rmap_pte() fails).
bool try_to_unmap_swap(Kernel& k, Pfn head) {
  State& s = k.state();
  const std::vector<RmapHit> maps = rmap_walk_ptes(s, head);
  if (any_mapping_locked(s, maps)) return false;
  const bool pae = k.policies().cow->tracks_anon_exclusive();
  if (pae)
    for (const RmapHit& m : maps)
      if (k.page_anon_exclusive(s.mms[m.mm].pt.get(m.vpn).pfn()) && k.folio_maybe_dma_pinned(head)) return false;
  const uint32_t slot = k.folio(head).swap;
  for (const RmapHit& m : maps) {
    Mm& mm = s.mms[m.mm];
    const Pte old = mm.pt.get(m.vpn);
    const Pfn pfn = old.pfn();
    uint8_t bits = old.bits & (PTE_SOFT_DIRTY | PTE_UFFD_WP);
    // An exclusive page keeps its exclusivity in the swap PTE (5.19+).
    if (pae && k.page_anon_exclusive(pfn)) {
      bits |= PTE_SWP_EXCLUSIVE;
      k.set_anon_exclusive(pfn, false);
    }
    if (old.dirty()) k.folio(head).set(FOLIO_DIRTY);
    mm.pt.set(m.vpn, Pte::swap(slot, bits));
    swap_duplicate(s, slot);
    mm.rss.anon -= 1;
    mm.rss.swapents += 1;
    k.page(pfn).mapcount -= 1;
    folio_put(k, head);  // never the last: the swap cache holds one
  }
  return true;
}

}  // namespace

bool make_room(Kernel& k, unsigned order) {
  const uint32_t need = 1u << order;
  if (k.state().mem.nr_free >= need) return true;
  // Direct reclaim: SWAP_CLUSTER_MAX folios per round while it makes progress.
  for (int round = 0; round < 8 && k.state().mem.nr_free < need; ++round) {
    uint32_t freed = 0;
    k.reclaim(32, &freed);
    if (freed == 0) break;
  }
  return k.state().mem.nr_free >= need;
}

ShrinkResult shrink_folio(Kernel& k, Pfn head, bool ignore_references) {
  State& s = k.state();
  Folio& f = k.folio(head);
  // Page cache (shmem) and the swap-out of mapped KSM pages are not modelled;
  // an unmapped KSM page left in the swap cache (after a COW copy) is freed.
  if (!f.test(FOLIO_LRU) || f.test(FOLIO_UNEVICTABLE) || !f.test(FOLIO_ANON) ||
      (f.test(FOLIO_KSM) && (k.folio_mapcount(head) > 0 || !f.test(FOLIO_SWAPCACHE))))
    return ShrinkResult::Keep;
  if (!ignore_references) {
    // folio_check_references(): referenced swap-backed anon is activated;
    // a file-LRU folio gets a second chance first (PG_referenced).
    const bool referenced_folio = f.test(FOLIO_REFERENCED);
    f.clear(FOLIO_REFERENCED);
    const int young = folio_referenced(k, head);
    if (young > 0) {
      if (f.test(FOLIO_SWAPBACKED) || referenced_folio || young > 1) return ShrinkResult::Activate;
      k.folio(head).set(FOLIO_REFERENCED);
      return ShrinkResult::Keep;
    }
  } else {
    folio_referenced(k, head);  // MADV_PAGEOUT: ptep_test_and_clear_young() on the way
  }
  if (f.test(FOLIO_SWAPBACKED) && f.large()) {
    // Without CONFIG_THP_SWAP a large folio is split before it is swapped out
    // (shrink_folio_list(): split_folio_to_list()); the model always does that.
    if (!has_free_slot(s)) return ShrinkResult::Activate;
    const uint32_t nr = f.nr_pages();
    if (!split_folio(k, head)) return ShrinkResult::Keep;
    ShrinkResult best = ShrinkResult::Keep;
    for (uint32_t i = 0; i < nr; ++i) {
      if (s.mem.pages[head + i].head != head + i) continue;  // freed by the split
      const ShrinkResult r = shrink_folio(k, head + i, true);
      if (r == ShrinkResult::Activate) {
        k.folio(head + i).set(FOLIO_ACTIVE);
        lru_touch(k, head + i);
      }
      if (r == ShrinkResult::Reclaimed || (r == ShrinkResult::Dropped && best != ShrinkResult::Reclaimed)) best = r;
    }
    return best;
  }
  if (f.test(FOLIO_SWAPBACKED)) {
    if (!f.test(FOLIO_SWAPCACHE)) {
      // feb889fb40fa (5.11): "don't put pinned pages into the swap cache".
      if (k.policies().swapout_pinned->keep_pinned() && k.folio_maybe_dma_pinned(head)) return ShrinkResult::Keep;
      if (!add_to_swap(k, head)) return ShrinkResult::Activate;  // no swap space
    }
    if (k.folio_mapcount(head) > 0 && !try_to_unmap_swap(k, head)) return ShrinkResult::Activate;
    // pageout(): the contents reach the slot. A folio someone else still
    // references (a GUP get, a pipe) stays in the swap cache, unmapped.
    s.swap[k.folio(head).swap].data = k.page(head).data;
    k.folio(head).clear(FOLIO_DIRTY);
    if (k.folio(head).refcount != k.folio_expected_ref_count(head)) return ShrinkResult::Keep;  // unmapped: the swap cache's
    delete_from_swap_cache(k, head);  // __remove_mapping(): the last reference
    return ShrinkResult::Reclaimed;
  }
  // Lazyfree (MADV_FREE) or droppable anon: try_to_unmap_one()'s "MADV_FREE
  // page check". A PMD mapping is split first (TTU_SPLIT_HUGE_PMD).
  for (const RmapHit& m : rmap_walk_pmds(s, head)) split_huge_pmd(k, m.mm, m.vpn);
  const std::vector<RmapHit> maps = rmap_walk_ptes(s, head);
  if (any_mapping_locked(s, maps)) return ShrinkResult::Activate;
  const bool large = f.large();
  bool dirty = f.test(FOLIO_DIRTY), droppable = false;
  for (const RmapHit& m : maps) {
    dirty |= s.mms[m.mm].pt.get(m.vpn).dirty();
    droppable |= s.mms[m.mm].vma_at(m.vpn)->test(VM_DROPPABLE);
  }
  // "ref_count == 1 + map_count && (!folio_test_dirty(folio) || VM_DROPPABLE)"
  // (the 1 is the isolation reference, not modelled here).
  if (k.folio(head).refcount != int32_t(maps.size()) || (dirty && !droppable)) {
    if (dirty && !droppable) {
      // Re-dirtied since MADV_FREE: an ordinary swap-backed anon folio again.
      k.folio(head).set(FOLIO_SWAPBACKED);
      k.folio(head).set(FOLIO_DIRTY);
    }
    return ShrinkResult::Activate;
  }
  for (const RmapHit& m : maps) {
    Mm& mm = s.mms[m.mm];
    const Vma& vma = *mm.vma_at(m.vpn);
    const Pfn pfn = mm.pt.get(m.vpn).pfn();
    if (vma.test(VM_DROPPABLE) && k.policies().droppable->mark_dropped())
      mm.pt.set(m.vpn, Pte::make_marker(PteMarker::Dropped));
    else
      mm.pt.clear(m.vpn);
    mm.rss.anon -= 1;
    k.page(pfn).mapcount -= 1;
    if (large) k.folio(head).large_mapcount -= 1;
    folio_put(k, head);  // the last one frees the folio
  }
  // A dirty folio takes the "dirty file folio -> activate" path and is freed
  // when isolation ends, not counted as reclaimed (spec droppable.md §4.2.4).
  return dirty ? ShrinkResult::Dropped : ShrinkResult::Reclaimed;
}

void madvise_free_range(Kernel& k, MmId mmid, Vpn start, Vpn end) {
  // madvise_free_pte_range(), after the PMDs of the range were split.
  State& s = k.state();
  for (Vpn v : s.mms[mmid].pt.populated(start, end)) {
    Mm& mm = s.mms[mmid];
    Pte* pte = mm.pt.find(v);
    if (pte->is_swap()) {
      // A swapped-out page is simply forgotten.
      const uint32_t slot = uint32_t(pte->val);
      mm.pt.clear(v);
      mm.rss.swapents -= 1;
      free_swap_and_cache(k, slot);
      continue;
    }
    if (!pte->is_present() || pte->pfn() == kZeroPfn) continue;  // markers stay
    Pfn head = s.mem.head(pte->pfn());
    if (!k.folio(head).test(FOLIO_ANON) || k.folio(head).test(FOLIO_KSM)) continue;
    std::vector<RmapHit> maps = {{mmid, v}};
    if (k.folio(head).large()) {
      // A large folio: lazyfree as a whole when this range maps all of it
      // and nobody else does; otherwise split it first (split_folio()) and
      // go on with this page alone. A folio that cannot be split is skipped.
      maps = rmap_walk_ptes(s, head);
      bool whole = int32_t(maps.size()) == k.folio(head).large_mapcount;
      for (const RmapHit& m : maps) whole &= m.mm == mmid && m.vpn >= start && m.vpn < end;
      if (!whole) {
        if (!split_folio(k, head)) continue;
        head = s.mem.head(s.mms[mmid].pt.get(v).pfn());
        maps = {{mmid, v}};
      } else if (maps.front().vpn != v) {
        continue;  // handled with its first page
      }
    }
    Folio& f = k.folio(head);
    if (!f.large() && k.folio_mapcount(head) != 1) continue;  // folio_maybe_mapped_shared(): leave it alone
    if (f.test(FOLIO_SWAPCACHE) && !k.folio_free_swap(head)) continue;
    k.folio(head).clear(FOLIO_DIRTY);
    for (const RmapHit& m : maps) {
      Pte* e = s.mms[m.mm].pt.find(m.vpn);
      e->clear(PTE_DIRTY);
      e->clear(PTE_YOUNG);
    }
    // folio_mark_lazyfree(): swap-backed anon moves to the inactive file
    // list; a droppable folio is already !swapbacked and stays where it is.
    Folio& g = k.folio(head);
    if (g.test(FOLIO_SWAPBACKED) && !g.test(FOLIO_UNEVICTABLE)) {
      g.clear(FOLIO_SWAPBACKED);
      g.clear(FOLIO_ACTIVE);
      g.clear(FOLIO_REFERENCED);
      if (g.test(FOLIO_LRU)) lru_touch(k, head);
    }
  }
}

void madvise_cold_or_pageout_range(Kernel& k, MmId mmid, Vpn start, Vpn end, bool pageout) {
  // madvise_cold_or_pageout_pte_range(): exclusively mapped anon folios are
  // deactivated (cold) or reclaimed at once, references ignored (pageout).
  // Work address by address, resolving the folio each time: an earlier step
  // may have split or freed it.
  State& s = k.state();
  const uint32_t hnr = hpage_nr(s);
  std::vector<Vpn> addrs;
  for (const PteSlot& p : s.mms[mmid].pmds)
    if (p.vpn < end && p.vpn + hnr > start) addrs.push_back(std::max(p.vpn, start));
  for (Vpn v : s.mms[mmid].pt.populated(start, end)) addrs.push_back(v);
  std::vector<Pfn> done;
  for (Vpn v : addrs) {
    const Pte pte = effective_pte(s, s.mms[mmid], v);
    if (!pte.is_present() || pte.pfn() == kZeroPfn) continue;
    Pfn head = s.mem.head(pte.pfn());
    if (std::find(done.begin(), done.end(), head) != done.end()) continue;
    if (!k.folio(head).test(FOLIO_ANON) || k.folio(head).test(FOLIO_KSM)) continue;  // page cache: not modelled
    // folio_maybe_mapped_shared(): leave folios other processes map alone.
    const bool shared = k.folio(head).large() ? folio_mapped_by_other_mm(s, head, mmid)
                                              : k.folio_mapcount(head) != 1;
    if (shared) continue;
    if (k.folio(head).large()) {
      // A large folio that sticks out of the range is split first
      // (split_folio(); a PMD is split by the PMD walk); only the pages
      // inside the range are then handled. Failing to split: skipped.
      bool inside = true;
      for (const RmapHit& m : rmap_walk_ptes(s, head)) inside &= m.mm == mmid && m.vpn >= start && m.vpn < end;
      for (const RmapHit& m : rmap_walk_pmds(s, head)) inside &= m.vpn >= start && m.vpn + hnr <= end;
      if (!inside) {
        if (!pageout || !split_folio(k, head)) continue;
        head = s.mem.head(effective_pte(s, s.mms[mmid], v).pfn());
      }
    }
    done.push_back(head);
    Folio& f = k.folio(head);
    // "Do not interfere with ... non-LRU folio" (one in the LRU add batch).
    if (!f.test(FOLIO_LRU)) continue;
    if (!pageout) {
      folio_referenced(k, head);  // ptep_test_and_clear_young()
      f.clear(FOLIO_ACTIVE);      // folio_deactivate()
      f.clear(FOLIO_REFERENCED);
      lru_touch(k, head);
      continue;
    }
    // reclaim_pages() -> shrink_folio_list(ignore_references = true);
    // what cannot go is put back on the LRU (the active list when activated).
    switch (shrink_folio(k, head, true)) {
      case ShrinkResult::Reclaimed:
      case ShrinkResult::Dropped:
        break;
      case ShrinkResult::Activate:
        k.folio(head).set(FOLIO_ACTIVE);
        lru_touch(k, head);
        break;
      case ShrinkResult::Keep:
        if (s.mem.pages[head].head == head) lru_touch(k, head);
        break;
    }
  }
}

}  // namespace detail

Outcome Kernel::reclaim(uint32_t nr, uint32_t* freed) {
  using namespace detail;
  lru_add_drain();  // shrink_inactive_list()/shrink_active_list() start with it
  const uint32_t target = nr ? nr : UINT32_MAX;
  uint32_t counted = 0, all = 0;
  int idle = 0;
  // get_scan_count(): no free swap slot, no anon scanning (a folio already in
  // the swap cache needs none).
  auto free_slot = [&] { return has_free_slot(s_); };
  while (counted < target && idle < 3) {
    std::vector<std::pair<uint32_t, Pfn>> inactive, active;
    for (Pfn pfn = 1; pfn < s_.mem.pages.size(); ++pfn) {
      if (s_.mem.pages[pfn].head != pfn) continue;
      const Folio& f = s_.mem.folios[pfn];
      if (!f.test(FOLIO_LRU) || f.test(FOLIO_UNEVICTABLE)) continue;
      (f.test(FOLIO_ACTIVE) ? active : inactive).push_back({f.lru_seq, pfn});
    }
    std::sort(inactive.begin(), inactive.end());
    std::sort(active.begin(), active.end());
    bool progress = false;
    for (auto [seq, pfn] : inactive) {
      if (counted >= target) break;
      if (s_.mem.pages[pfn].head != pfn || folio(pfn).lru_seq != seq) continue;  // freed or moved meanwhile
      const Folio& f = folio(pfn);
      if (f.test(FOLIO_SWAPBACKED) && f.test(FOLIO_ANON) && !f.test(FOLIO_SWAPCACHE) && !free_slot()) continue;
      switch (shrink_folio(*this, pfn, false)) {
        case ShrinkResult::Reclaimed:
          ++counted, ++all, progress = true;
          break;
        case ShrinkResult::Dropped:
          ++all, progress = true;
          break;
        case ShrinkResult::Activate:
          folio(pfn).set(FOLIO_ACTIVE);
          lru_touch(*this, pfn);
          break;
        case ShrinkResult::Keep:
          if (s_.mem.pages[pfn].head == pfn) lru_touch(*this, pfn);  // rotated to the head
          break;
      }
    }
    if (counted >= target) break;
    // shrink_active_list(): the active lists refill the inactive ones (only
    // executable file folios would be rotated; none here).
    for (auto [seq, pfn] : active) {
      (void)seq;
      folio(pfn).clear(FOLIO_ACTIVE);
      folio(pfn).clear(FOLIO_REFERENCED);
      lru_touch(*this, pfn);
    }
    idle = progress ? 0 : idle + 1;
  }
  *freed = all;
  return Outcome::ok();
}

}  // namespace mmsim
