// KSM merging as one explicit step (mm/ksm.c try_to_merge_one_page(),
// write_protect_page(), replace_page()): identical anonymous pages end up as
// one write-protected KSM page. A KSM page is never PG_anon_exclusive.
#include "model/huge_memory.hpp"
#include "model/internal.hpp"

namespace mmsim {
using namespace detail;

namespace {

// write_protect_page(): refuse a page with references beyond its mappings
// ("Check that no O_DIRECT or similar I/O is in progress": mapcount + 1 +
// swapcache == refcount, the 1 being KSM's own temporary reference) and, 5.19+,
// a pinned page (folio_try_share_anon_rmap_pte() fails); then write-protect
// every PTE mapping it and clear PG_anon_exclusive.
bool write_protect_page(Kernel& k, Pfn pfn) {
  const Folio& f = k.folio(pfn);
  const int32_t expected = k.page(pfn).mapcount + (f.test(FOLIO_SWAPCACHE) ? int32_t(f.nr_pages()) : 0);
  if (f.refcount != expected) return false;
  if (k.policies().cow->tracks_anon_exclusive() && k.page_anon_exclusive(pfn) && k.folio_maybe_dma_pinned(pfn))
    return false;
  for (const RmapHit& h : rmap_walk_ptes(k.state(), k.state().mem.head(pfn))) {
    Pte* pte = k.state().mms[h.mm].pt.find(h.vpn);
    if (pte->pfn() != pfn) continue;
    pte->wrprotect();
    pte->clear(PTE_DIRTY);  // pte_mkclean(): the dirty bit moves to the folio
  }
  k.folio(pfn).set(FOLIO_DIRTY);
  k.set_anon_exclusive(pfn, false);
  return true;
}

}  // namespace

Outcome Kernel::ksm_merge(TaskId t, Vpn start, uint64_t pages) {
  if (!task_live(t)) return Outcome::err(ESRCH);
  const MmId mmid = s_.tasks[t].mm;
  lru_add_drain();  // scan_get_next_rmap_item(): lru_add_drain_all() before a scan
  split_pmds(*this, mmid, start, start + pages);  // KSM splits THPs before merging
  bool all = true;
  for (Vpn v = start; v < start + pages; ++v) {
    const Vma* vma = s_.mms[mmid].vma_at(v);
    if (!vma) return Outcome::err(ENOMEM);
    const Pte pte = s_.mms[mmid].pt.get(v);
    // Only present, private anonymous pages are candidates (unstable/stable tree).
    if (!pte.is_present() || pte.pfn() == kZeroPfn || !vma->is_anonymous() || vma->is_shared() ||
        vma->test(VM_HUGETLB) || vma->test(VM_DROPPABLE)) {  // vma_ksm_compatible() refuses VM_DROPPABLE
      all = false;
      continue;
    }
    const Pfn pfn = pte.pfn();
    if (folio(pfn).test(FOLIO_KSM)) continue;
    // try_to_merge_one_page(): "if (folio_test_large(folio)) { if
    // (split_huge_page(page)) goto out_unlock;" -- KSM pages are small (a
    // PTE-mapped THP or an mTHP is split; extra references make that fail).
    if (folio(pfn).large() && !detail::split_folio(*this, pfn)) {
      all = false;
      continue;
    }
    // The stable tree: a KSM page with the same contents, if any.
    Pfn kpage = kNoPfn;
    for (Pfn q = 1; q < s_.mem.pages.size(); ++q)
      if (s_.mem.pages[q].head == q && s_.mem.folios[q].test(FOLIO_KSM) && s_.mem.pages[q].data == page(pfn).data) {
        kpage = q;
        break;
      }
    if (!write_protect_page(*this, pfn)) {
      all = false;
      continue;
    }
    if (kpage == kNoPfn) {
      folio(pfn).set(FOLIO_KSM);  // this page becomes the stable KSM page
      continue;
    }
    // replace_page(): map the KSM page R/O instead, drop the old page.
    Mm& mm = s_.mms[mmid];
    Pte npte = Pte::present(kpage, pte.bits & (PTE_SOFT_DIRTY | PTE_UFFD_WP | PTE_YOUNG));
    mm.pt.set(v, npte);
    folio_get(*this, kpage);
    page(kpage).mapcount += 1;
    if (vma->test(VM_LOCKED)) {
      mlock_page(*this, kpage);
      munlock_page(*this, pfn);
    }
    page(pfn).mapcount -= 1;
    if (folio(pfn).large()) folio(pfn).large_mapcount -= 1;
    folio_put(*this, pfn);
  }
  return all ? Outcome::ok() : Outcome::err(EBUSY);
}

}  // namespace mmsim
