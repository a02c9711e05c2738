// hugetlb (mm/hugetlb.c): private MAP_HUGETLB memory and mappings of hugetlbfs
// files (memfd_create(MFD_HUGETLB)). The unit of a hugetlb
// mapping is one huge page (one model page, one pool entry). Its COW rule is
// the mapcount in every era — hugetlb_wp(): "If no-one else is actually using
// this page, we're the exclusive owner and can reuse this page. Note that we
// don't rely on the (safer) folio refcount here ... there can still be leaks
// between processes, for example, with FOLL_GET users." (cow-gup.md §5.9)
#include "model/hugetlb.hpp"

#include "model/internal.hpp"

namespace mmsim::detail {

std::optional<Pfn> alloc_hugetlb_folio(Kernel& k, Vma& vma, Vpn v, Token data) {
  State& s = k.state();
  if (s.hugetlb_used >= s.config.hugetlb) return std::nullopt;  // pool empty
  auto pfn = alloc_anon_folio(k, 0, vma, v, data);               // hugetlb_add_new_anon_rmap()
  if (!pfn) return std::nullopt;
  Folio& f = k.folio(*pfn);
  f.clear(FOLIO_SWAPBACKED);  // hugetlb folios are neither swap-backed nor on the LRU
  f.set(FOLIO_HUGETLB);
  s.hugetlb_used += 1;
  return pfn;
}

// hugetlb_wp(): reuse when mapped once (setting PG_anon_exclusive where that
// exists), else copy. The refcount — pins, pipes — is never consulted.
Outcome hugetlb_wp(Kernel& k, MmId mmid, Vma& vma, Vpn v, Pte pte, bool unshare) {
  const Pfn old = pte.pfn();
  const bool pae = k.policies().cow->tracks_anon_exclusive();
  if (!unshare && pte.has(PTE_UFFD_WP) && vma.test(VM_UFFD_WP)) return Outcome::userfault();
  // "Let's take out MAP_SHARED mappings first": a shared hugetlbfs mapping
  // is made writable in place (unshare is meaningless there).
  if (vma.flags & VM_MAYSHARE) {
    if (unshare) return Outcome::ok();
    Pte* p = k.state().mms[mmid].pt.find(v);
    p->mkdirty();
    p->set(PTE_YOUNG);
    if (vma.test(VM_WRITE)) p->set(PTE_WRITE);
    k.folio(old).set(FOLIO_DIRTY);
    return Outcome::ok();
  }
  // A page-cache page of a private mapping is never reused: "if
  // (folio_mapcount(old_folio) == 1 && folio_test_anon(old_folio))" fails and
  // it is copied into a new anonymous huge page (for unshare: mapped R/O,
  // 6.2+ 8d6a0ac09a16 "extend FAULT_FLAG_UNSHARE support to anything in a COW mapping").
  if (unshare && pae && k.page_anon_exclusive(old)) return Outcome::ok();
  if (k.folio_mapcount(old) == 1 && k.folio(old).test(FOLIO_ANON)) {
    if (pae) k.set_anon_exclusive(old, true);  // folio_move_anon_rmap() + SetPageAnonExclusive()
    if (!unshare) {
      Pte* p = k.state().mms[mmid].pt.find(v);
      p->mkdirty();
      p->set(PTE_YOUNG);
      if (vma.test(VM_WRITE)) p->set(PTE_WRITE);
    }
    return Outcome::ok();
  }
  auto pfn = alloc_hugetlb_folio(k, vma, v, k.page(old).data);
  if (!pfn) return Outcome::sig(SIGBUS);  // no huge page for the copy
  Pte npte = Pte::present(*pfn, PTE_YOUNG);
  if (!unshare) {
    npte.mkdirty();
    if (vma.test(VM_WRITE)) npte.set(PTE_WRITE);
  }
  k.state().mms[mmid].pt.set(v, npte);
  k.page(old).mapcount -= 1;
  folio_put(k, old);
  return Outcome::ok();
}

// hugetlb_fault() / hugetlb_no_page(): no zero page — even a read fault
// allocates, mapped R/O in a private mapping; a write then goes through
// hugetlb_wp() at once (and reuses: mapcount 1).
Outcome hugetlb_fault(Kernel& k, MmId mmid, Vma& vma, Vpn v, bool write, bool unshare) {
  Mm& mm = k.state().mms[mmid];
  const Pte pte = mm.pt.get(v);
  if (pte.none()) {
    if (unshare && !write) return Outcome::ok();
    if (vma.file != kNone) {
      // hugetlb_no_page() for a hugetlbfs file (memfd_create(MFD_HUGETLB)):
      // beyond i_size is SIGBUS; the page-cache folio is looked up, or
      // allocated into the page cache for a shared mapping. A private mapping
      // without a page-cache folio gets a new anonymous page (below).
      const uint64_t idx = vma.file_index(v);
      const ShmemFile& file = k.state().files[vma.file];
      if (idx >= file.pages.size()) return Outcome::sig(SIGBUS);
      if (file.pages[idx] != kNoPfn || vma.is_shared()) {
        auto pc = shmem_get_page(k, vma.file, idx);
        if (!pc) return Outcome::sig(SIGBUS);  // pool empty: VM_FAULT_SIGBUS
        // hugetlb_add_file_rmap(); make_huge_pte(vma, folio, vma->vm_flags & VM_SHARED):
        // writable only in a shared writable mapping.
        add_pte_mapping(k, vma, *pc);
        Pte npte = Pte::present(*pc, PTE_YOUNG);
        if (vma.is_shared() && vma.test(VM_WRITE)) npte.set(PTE_WRITE);
        if (write && vma.is_shared()) {
          npte.mkdirty();
          k.folio(*pc).set(FOLIO_DIRTY);
        }
        k.state().mms[mmid].pt.set(v, npte);
        // "if ((vmf->flags & FAULT_FLAG_WRITE) && !(vma->vm_flags & VM_SHARED))":
        // a private write copies at once (hugetlb_wp()).
        if (write && !vma.is_shared()) return hugetlb_wp(k, mmid, vma, v, k.state().mms[mmid].pt.get(v), false);
        return Outcome::ok();
      }
    }
    auto pfn = alloc_hugetlb_folio(k, vma, v, 0);
    if (!pfn) return Outcome::sig(SIGBUS);  // alloc_hugetlb_folio() -ENOSPC -> VM_FAULT_SIGBUS
    k.state().mms[mmid].pt.set(v, Pte::present(*pfn, PTE_YOUNG));
    if (!write) return Outcome::ok();
    return hugetlb_wp(k, mmid, vma, v, k.state().mms[mmid].pt.get(v), false);
  }
  if ((write || unshare) && !pte.write()) return hugetlb_wp(k, mmid, vma, v, pte, unshare);
  Pte* p = mm.pt.find(v);
  p->set(PTE_YOUNG);
  if (write) p->mkdirty();
  return Outcome::ok();
}

// copy_hugetlb_page_range() for one present entry: a maybe-pinned exclusive
// page is copied for the child (4eae4efa2c29, hugetlb_try_dup_anon_rmap());
// otherwise both map it write-protected.
Outcome copy_hugetlb_pte(Kernel& k, MmId src, Vma& src_vma, MmId dst, Vma& dst_vma, Vpn v) {
  Pte pte = k.state().mms[src].pt.get(v);
  const Pfn pfn = pte.pfn();
  // "if (!folio_test_anon(pte_folio)) hugetlb_add_file_rmap()": page-cache
  // folios are always shared; only anonymous ones may be copied.
  const bool anon = k.folio(pfn).test(FOLIO_ANON);
  if (anon && k.policies().hugetlb_fork->fork_hugetlb(k, src, pfn) == ForkAction::CopyForChild) {
    auto npfn = alloc_hugetlb_folio(k, dst_vma, v, k.page(pfn).data);
    if (!npfn) return Outcome::err(ENOMEM);
    Pte npte = Pte::present(*npfn, PTE_YOUNG);
    npte.mkdirty();
    if (dst_vma.test(VM_WRITE)) npte.set(PTE_WRITE);
    k.state().mms[dst].pt.set(v, npte);
    return Outcome::ok();
  }
  folio_get(k, pfn);
  k.page(pfn).mapcount += 1;
  if (src_vma.is_cow_mapping() && pte.write()) {
    k.state().mms[src].pt.find(v)->wrprotect();
    pte.wrprotect();
  }
  pte.clear(PTE_UFFD_WP);
  k.state().mms[dst].pt.set(v, pte);
  return Outcome::ok();
}

}  // namespace mmsim::detail
