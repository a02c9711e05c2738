// Transparent huge pages: PMD-mapped anonymous folios (mm/huge_memory.c).
// Counters (cow-gup.md §1.2, §5.3): a PMD mapping holds one reference, one
// entire_mapcount and one large_mapcount; splitting it gives every subpage a
// PTE (mapcount +1 each), adds nr-1 references and propagates PAE.
#include "model/huge_memory.hpp"

#include <algorithm>

#include "model/internal.hpp"
#include "model/mthp.hpp"

namespace mmsim::detail {

uint32_t hpage_nr(const State& s) { return 1u << s.config.thp_order; }

PteSlot* pmd_at(Mm& mm, Vpn v, uint32_t nr) {
  return const_cast<PteSlot*>(pmd_at(static_cast<const Mm&>(mm), v, nr));
}

const PteSlot* pmd_at(const Mm& mm, Vpn v, uint32_t nr) {
  for (const PteSlot& s : mm.pmds)
    if (v >= s.vpn && v < s.vpn + nr) return &s;
  return nullptr;
}

Pte effective_pte(const State& s, const Mm& mm, Vpn v, bool* pmd) {
  if (pmd) *pmd = false;
  if (!mm.pmds.empty())
    if (const PteSlot* p = pmd_at(mm, v, hpage_nr(s))) {
      if (pmd) *pmd = true;
      Pte pte = p->pte;
      // The huge zero PMD: every subpage reads as the (small) zero page.
      if (!is_huge_zero_pmd(pte)) pte.val = p->pte.val + (v - p->vpn);
      return pte;
    }
  return mm.pt.get(v);
}

Pte* entry_for_update(State& s, Mm& mm, Vpn v) {
  if (!mm.pmds.empty())
    if (PteSlot* p = pmd_at(mm, v, hpage_nr(s))) return &p->pte;
  return mm.pt.find(v);
}

bool thp_eligible(const State& s, const Mm& mm, const Vma& vma, Vpn v) {
  if (s.config.thp_order == 0) return false;
  if (!vma.is_anonymous() || vma.is_shared() || vma.test(VM_HUGETLB) || vma.test(VM_NOHUGEPAGE)) return false;
  if (vma.test(VM_LOCKED)) return false;  // the model keeps mlocked ranges small (see README)
  // `thp` never/madvise/always, or the PMD size's own hugepages-<size>kB/enabled (6.8+).
  if (!(thp_vma_allowable_orders(s, vma) & (1u << s.config.thp_order))) return false;
  const uint32_t nr = hpage_nr(s);
  const Vpn start = v & ~Vpn(nr - 1);
  if (start < vma.start || start + nr > vma.end) return false;
  // A PTE table already exists for this range: no PMD can be installed.
  return mm.pt.populated(start, start + nr).empty();
}

namespace {

void insert_pmd(Mm& mm, Vpn start, Pte pmd) {
  mm.pmds.insert(std::lower_bound(mm.pmds.begin(), mm.pmds.end(), start,
                                  [](const PteSlot& a, Vpn x) { return a.vpn < x; }),
                 PteSlot{start, pmd});
}

// vma_alloc_anon_folio_pmd() and the counters map_anon_folio_pmd() sets: a
// new anonymous THP of `vma` on the LRU (THPs skip the LRU add batch), mapped
// once by a PMD, PG_anon_exclusive on its head where the COW policy tracks it
// (folio_add_new_anon_rmap(RMAP_EXCLUSIVE): a PMD's exclusivity lives on the
// head). nullopt: no free huge page.
std::optional<Pfn> alloc_anon_thp(Kernel& k, Vma& vma) {
  State& s = k.state();
  auto head = s.mem.alloc(s.config.thp_order);
  if (!head) return std::nullopt;
  anon_vma_prepare(k, vma);
  Folio& f = k.folio(*head);
  f.flags = new_anon_folio_flags(k, vma) | FOLIO_LRU;
  lru_touch(k, *head);
  f.mapping = vma.anon_vma;
  f.entire_mapcount = 1;
  f.large_mapcount = 1;
  if (k.policies().cow->tracks_anon_exclusive()) k.set_anon_exclusive(*head, true);
  return head;
}

// maybe_pmd_mkwrite(pmd_mkdirty(mk_huge_pmd())): the PMD of a new anonymous
// THP, dirty, writable where the VMA is.
Pte mk_anon_pmd(Pfn head, const Vma& vma, uint8_t bits = PTE_YOUNG) {
  Pte pmd = Pte::present(head, bits);
  pmd.mkdirty();
  if (vma.test(VM_WRITE)) pmd.set(PTE_WRITE);
  return pmd;
}

// do_huge_zero_wp_pmd() (6.13+) / the "alloc:" path with page == NULL (<= 5.7):
// a new cleared THP replaces the huge zero PMD, mapped dirty and writable
// (maybe_pmd_mkwrite()) and exclusive (RMAP_EXCLUSIVE) -- for an unshare
// fault too. false: no THP (the caller splits and falls back).
bool huge_zero_alloc_thp(Kernel& k, MmId mmid, Vma& vma, PteSlot* slot) {
  State& s = k.state();
  const auto head = alloc_anon_thp(k, vma);
  if (!head) return false;
  slot->pte = mk_anon_pmd(*head, vma);
  s.mms[mmid].rss.anon += hpage_nr(s);
  return true;
}

}  // namespace

std::optional<Outcome> do_huge_pmd_anonymous_page(Kernel& k, MmId mmid, Vma& vma, Vpn v, bool write) {
  State& s = k.state();
  const uint32_t nr = hpage_nr(s);
  // "if (!(vmf->flags & FAULT_FLAG_WRITE) && !mm_forbids_zeropage(vma->vm_mm) &&
  // transparent_hugepage_use_zero_page())": set_huge_zero_folio() maps the huge
  // zero page with mk_pmd(zero, vma->vm_page_prot) -- R/O, no refcount on any
  // folio, no MM_ANONPAGES (mm_forbids_zeropage() is s390 KVM only; the model
  // has no userfaultfd missing mode).
  if (!write && s.config.use_zero_page) {
    anon_vma_prepare(k, vma);  // done before the zero-page branch since 4.x
    insert_pmd(s.mms[mmid], v & ~Vpn(nr - 1), Pte::present(kZeroPfn, PTE_SPECIAL | PTE_YOUNG));
    return Outcome::ok();
  }
  const auto head = alloc_anon_thp(k, vma);
  if (!head) return std::nullopt;  // no huge page: fall back to a small one
  Mm& mm = s.mms[mmid];
  insert_pmd(mm, v & ~Vpn(nr - 1), mk_anon_pmd(*head, vma));
  mm.rss.anon += nr;
  return Outcome::ok();
}

void split_huge_pmd(Kernel& k, MmId mmid, Vpn aligned) {
  State& s = k.state();
  Mm& mm = s.mms[mmid];
  const uint32_t nr = hpage_nr(s);
  auto it = std::find_if(mm.pmds.begin(), mm.pmds.end(), [&](const PteSlot& p) { return p.vpn == aligned; });
  if (it == mm.pmds.end()) return;
  const Pte pmd = it->pte;
  mm.pmds.erase(it);
  if (is_huge_zero_pmd(pmd)) {
    // __split_huge_zero_page_pmd(): every PTE maps the small zero page
    // (pte_mkspecial(pfn_pte(my_zero_pfn(addr), vma->vm_page_prot))), keeping
    // the PMD's uffd-wp and soft-dirty bits; nothing is counted.
    for (uint32_t i = 0; i < nr; ++i) mm.pt.set(aligned + i, Pte::present(kZeroPfn, pmd.bits));
    return;
  }
  const Pfn head = pmd.pfn();
  const bool exclusive = k.page_anon_exclusive(head);
  for (uint32_t i = 0; i < nr; ++i) {
    mm.pt.set(aligned + i, Pte::present(head + i, pmd.bits));
    k.page(head + i).mapcount += 1;
    // "if (anon_exclusive) rmap_flags |= RMAP_EXCLUSIVE": PAE goes to every subpage.
    if (exclusive) k.set_anon_exclusive(head + i, true);
  }
  Folio& f = k.folio(head);
  f.refcount += int32_t(nr) - 1;  // folio_ref_add(folio, HPAGE_PMD_NR - 1)
  f.entire_mapcount -= 1;
  f.large_mapcount += int32_t(nr) - 1;
}

bool split_folio(Kernel& k, Pfn head) {
  State& s = k.state();
  head = s.mem.head(head);
  if (!k.folio(head).large()) return true;
  // can_split_folio(): no references beyond the mappings (a pin, a GUP get, a
  // pipe or the LRU batch make the split fail with -EAGAIN); mlocked THPs are
  // left alone by the model.
  {
    const Folio& f = k.folio(head);
    if (f.test(FOLIO_MLOCKED) || f.test(FOLIO_SWAPCACHE) || f.test(FOLIO_LRU_BATCH) || f.pincount > 0) return false;
    // Every PTE and every PMD mapping holds one reference and one large mapcount.
    if (f.refcount != k.folio_expected_ref_count(head)) return false;
  }
  // __split_huge_page(): PMD mappings become PTEs first (TTU_SPLIT_HUGE_PMD).
  for (const RmapHit& h : rmap_walk_pmds(s, head)) split_huge_pmd(k, h.mm, h.vpn);
  const Folio big = k.folio(head);
  if (big.refcount != big.large_mapcount) return false;  // cannot happen after the check above
  for (uint32_t i = 0; i < big.nr_pages(); ++i) {
    const Pfn p = head + i;
    s.mem.pages[p].head = p;
    Folio nf = big;
    nf.order = 0;
    nf.refcount = s.mem.pages[p].mapcount;  // one reference per PTE mapping
    nf.pincount = 0;
    nf.entire_mapcount = 0;
    nf.large_mapcount = 0;
    nf.splitting = 0;  // a folio split ends any PMD split window
    nf.index = big.index + i;
    s.mem.folios[p] = nf;
  }
  // Subpages nobody maps any more (a partially unmapped THP) are freed.
  for (uint32_t i = 0; i < big.nr_pages(); ++i)
    if (s.mem.folios[head + i].refcount == 0) s.mem.free(head + i);
  return true;
}

void split_pmds(Kernel& k, MmId mmid, Vpn start, Vpn end, bool all) {
  const uint32_t nr = hpage_nr(k.state());
  std::vector<Vpn> doomed;
  for (const PteSlot& p : k.state().mms[mmid].pmds) {
    const bool overlaps = p.vpn < end && p.vpn + nr > start;
    const bool inside = p.vpn >= start && p.vpn + nr <= end;
    if (overlaps && (all || !inside)) doomed.push_back(p.vpn);
  }
  for (Vpn v : doomed) split_huge_pmd(k, mmid, v);
}

void zap_huge_pmd(Kernel& k, MmId mmid, Vpn aligned) {
  State& s = k.state();
  Mm& mm = s.mms[mmid];
  auto it = std::find_if(mm.pmds.begin(), mm.pmds.end(), [&](const PteSlot& p) { return p.vpn == aligned; });
  if (it == mm.pmds.end()) return;
  const Pfn head = it->pte.pfn();
  const bool zero = is_huge_zero_pmd(it->pte);
  mm.pmds.erase(it);
  if (zero) return;  // zap_huge_pmd(): the huge zero PMD only goes (no counters)
  mm.rss.anon -= hpage_nr(s);
  Folio& f = k.folio(head);
  f.entire_mapcount -= 1;
  f.large_mapcount -= 1;
  folio_put(k, head);
}

Outcome do_huge_pmd_wp_page(Kernel& k, MmId mmid, Vma& vma, Vpn v, bool unshare) {
  State& s = k.state();
  const uint32_t nr = hpage_nr(s);
  PteSlot* slot = pmd_at(s.mms[mmid], v, nr);
  const Vpn aligned = slot->vpn;
  const Pfn head = slot->pte.pfn();
  if (!unshare && slot->pte.has(PTE_UFFD_WP) && vma.test(VM_UFFD_WP)) return Outcome::userfault();
  if (is_huge_zero_pmd(slot->pte)) {
    // "if (is_huge_zero_pmd(orig_pmd))": <= 5.7 goto alloc, 5.8-6.12 goto
    // fallback, 6.13+ do_huge_zero_wp_pmd() and fallback if no THP.
    if (k.policies().huge_zero_wp->wp_huge_zero() == HugeZeroWpAction::AllocThp &&
        huge_zero_alloc_thp(k, mmid, vma, slot))
      return Outcome::ok();
    split_huge_pmd(k, mmid, aligned);
    return k.handle_mm_fault(mmid, v, !unshare, unshare);
  }
  folio_lock_wait(k, head);  // "if (!trylock_page(page)) ... lock_page(page)" before reuse_swap_page()
  switch (k.policies().cow->wp_huge_pmd(k, WpFault{mmid, v, head, unshare})) {
    case HugeWpAction::Reuse:
      if (!unshare) {
        slot->pte.set(PTE_YOUNG);
        slot->pte.mkdirty();
        if (vma.test(VM_WRITE)) slot->pte.set(PTE_WRITE);
      }
      return Outcome::ok();
    case HugeWpAction::CopyWhole: {
      // <= 5.7: a new THP, all subpages copied, mapped W by the same PMD.
      const auto nh = alloc_anon_thp(k, vma);
      if (!nh) break;  // do_huge_pmd_wp_page_fallback(): split and copy 4K
      for (uint32_t i = 0; i < nr; ++i) k.page(*nh + i).data = k.page(head + i).data;
      pmd_at(s.mms[mmid], v, nr)->pte = mk_anon_pmd(*nh, vma);
      Folio& old = k.folio(head);
      old.entire_mapcount -= 1;
      old.large_mapcount -= 1;
      folio_put(k, head);
      return Outcome::ok();
    }
    case HugeWpAction::Split:
      break;
  }
  // __split_huge_pmd() and VM_FAULT_FALLBACK: the PTE rules decide for the subpage.
  split_huge_pmd(k, mmid, aligned);
  return k.handle_mm_fault(mmid, v, !unshare, unshare);
}

int collapse_huge_page(Kernel& k, MmId mmid, Vma& vma, Vpn aligned) {
  State& s = k.state();
  const uint32_t nr = hpage_nr(s);
  Mm& mm = s.mms[mmid];
  if (pmd_at(mm, aligned, nr)) return 0;  // already PMD-mapped
  // hpage_collapse_scan_pmd() / __collapse_huge_page_isolate(): every
  // present page must be a small anonymous, non-KSM page with no reference
  // beyond its mappings (is_refcount_suitable(); SCAN_PAGE_COUNT -> EAGAIN).
  // MADV_COLLAPSE ignores max_ptes_none/max_ptes_shared; swap is not modelled.
  for (uint32_t i = 0; i < nr; ++i) {
    const Pte pte = mm.pt.get(aligned + i);
    if (pte.none() || (pte.is_present() && pte.pfn() == kZeroPfn)) continue;
    if (!pte.is_present()) return EAGAIN;
    const Folio& f = k.folio(pte.pfn());
    if (!f.test(FOLIO_ANON) || f.test(FOLIO_KSM)) return EAGAIN;
    // The mappings (all of a PTE-mapped THP's: it is copied like small pages)
    // and the swap cache; madvise_collapse() drains the LRU add batch first.
    if (f.refcount != k.folio_expected_ref_count(pte.pfn()) + (f.test(FOLIO_LRU_BATCH) ? 1 : 0)) return EAGAIN;
  }
  const auto head = alloc_anon_thp(k, vma);
  if (!head) return ENOMEM;
  uint8_t bits = PTE_YOUNG;
  for (uint32_t i = 0; i < nr; ++i) {
    const Pte pte = s.mms[mmid].pt.get(aligned + i);
    if (pte.is_present() && pte.pfn() != kZeroPfn) k.page(*head + i).data = k.page(pte.pfn()).data;
    bits |= pte.bits & (PTE_SOFT_DIRTY | PTE_DIRTY);
    zap_pte(k, mmid, vma, aligned + i);  // the old pages are unmapped (and freed)
  }
  // map_anon_folio_pmd_nopf(): the PMD keeps the old PTEs' dirty and soft-dirty bits.
  Mm& m = s.mms[mmid];
  insert_pmd(m, aligned, mk_anon_pmd(*head, vma, bits));
  m.rss.anon += nr;
  return 0;
}

bool copy_huge_pmd(Kernel& k, MmId src, Vma& src_vma, MmId dst, Vpn aligned) {
  State& s = k.state();
  const uint32_t nr = hpage_nr(s);
  PteSlot* slot = pmd_at(s.mms[src], aligned, nr);
  const Pfn head = slot->pte.pfn();
  if (is_huge_zero_pmd(slot->pte)) {
    // copy_huge_pmd(): "if (is_huge_zero_pmd(pmd))" the child shares the huge
    // zero PMD (mm_get_huge_zero_folio(), no folio counters), old, R/O,
    // without uffd-wp (the child's VMA has no uffd-wp context).
    Pte pmd = slot->pte;
    pmd.wrprotect();
    pmd.clear(PTE_YOUNG);
    pmd.clear(PTE_UFFD_WP);
    insert_pmd(s.mms[dst], aligned, pmd);
    return true;
  }
  // __folio_try_dup_anon_rmap(PMD) / 5.9 d042035eaf5f: a maybe-pinned THP
  // cannot be shared; split the parent's PMD and retry per PTE.
  if (k.policies().cow->fork_anon(k, src, head) == ForkAction::CopyForChild) {
    split_huge_pmd(k, src, aligned);
    return false;
  }
  Folio& f = k.folio(head);
  f.refcount += 1;
  f.entire_mapcount += 1;
  f.large_mapcount += 1;
  Pte pmd = pmd_at(s.mms[src], aligned, nr)->pte;
  if (src_vma.is_cow_mapping() && pmd.write()) {
    pmd_at(s.mms[src], aligned, nr)->pte.wrprotect();
    pmd.wrprotect();
  }
  pmd.clear(PTE_YOUNG);
  pmd.clear(PTE_UFFD_WP);
  Mm& d = s.mms[dst];
  insert_pmd(d, aligned, pmd);
  d.rss.anon += nr;
  return true;
}

}  // namespace mmsim::detail

namespace mmsim {
using namespace detail;

// page_trans_huge_mapcount() (v5.7 mm/huge_memory.c; also
// page_trans_huge_map_swapcount() with CONFIG_THP_SWAP): "max over subpages
// of atomic_read(&page[i]._mapcount) + 1, minus 1 if PageDoubleMap, plus
// compound_mapcount()". The kernel keeps a PMD mapping's count in
// compound_mapcount and, while PMD and PTE mappings coexist (PageDoubleMap),
// one extra in every subpage's _mapcount; the model keeps exact PTE and PMD
// counts, so at rest this is max(PTE mappings of a subpage) + PMD mappings.
//
// While a PMD split is in progress (Folio::splitting), __split_huge_pmd_locked()
// has done, in this order: atomic_inc(&page[i]._mapcount) for every new PTE;
// "if (compound_mapcount(page) > 1 && !TestSetPageDoubleMap(page))" one more
// atomic_inc per subpage; atomic_add_negative(-1, compound_mapcount_ptr(page))
// (and TestClearPageDoubleMap() when that was the last PMD). The reader takes
// no lock the splitter holds unless thp-split-lock=page-lock, and reads the
// subpages first, PageDoubleMap and the compound count last. The model gives
// the reading in which its subpage loop ran ahead of the splitter's and its last
// reads came after the splitter's: old subpage counts, new PageDoubleMap, new
// compound count -- the under-count of CVE-2020-29368 (fixed by c444eb564fb1).
int Kernel::page_trans_huge_mapcount(Pfn pfn) const {
  const Folio& f = folio(pfn);
  if (!f.large()) return page(pfn).mapcount;
  const Pfn head = s_.mem.head(pfn);
  int max = 0;
  for (uint32_t i = 0; i < f.nr_pages(); ++i) max = std::max(max, page(head + i).mapcount);
  if (f.splitting == 0) return max + f.entire_mapcount;
  const int w = f.splitting;              // splits in progress: each added one PTE per subpage
  const int max_before = max - w;         // the subpage PTE counts the reader's loop saw
  const int entire_before = f.entire_mapcount + w;
  // PageDoubleMap before: PTE and PMD mappings already coexisted (an earlier
  // split while another PMD remained); after: a PMD mapping is left.
  const int double_map_before = max_before > 0 && entire_before > 0;
  const int double_map_after = f.entire_mapcount > 0;
  return max_before + double_map_before - double_map_after + f.entire_mapcount;
}

Outcome Kernel::split_pmd_begin(TaskId t, Vpn v) {
  if (!task_live(t)) return Outcome::err(ESRCH);
  if (s_.tasks[t].in_split) return Outcome::err(EINVAL);  // already inside one
  const MmId mmid = s_.tasks[t].mm;
  Mm& mm = s_.mms[mmid];
  if (!mm.vma_at(v)) return Outcome::err(EFAULT);
  s_.tasks[t].in_split = 1;  // in the kernel until split_pmd_end, split or not
  s_.tasks[t].split_vpn = v;
  const PteSlot* slot = pmd_at(mm, v, hpage_nr(s_));
  if (!slot) return Outcome::ok();  // "if (pmd_trans_huge(*pmd))": nothing to split
  const Vpn aligned = slot->vpn;
  const bool zero = is_huge_zero_pmd(slot->pte);
  const Pfn head = slot->pte.pfn();
  // c444eb564fb1: "if (PageAnon(page)) { if (unlikely(!trylock_page(page))) ...
  // lock_page(page) ..." -- a second splitter waits for the first one too.
  if (!zero) folio_lock_wait(*this, head);
  split_huge_pmd(*this, mmid, aligned);
  if (!zero) folio(head).splitting += 1;  // preempted before the PMD lock (and page lock) are released
  return Outcome::ok();
}

Outcome Kernel::split_pmd_end(TaskId t, Vpn v) {
  if (!task_live(t)) return Outcome::err(ESRCH);
  if (!s_.tasks[t].in_split) return Outcome::err(EINVAL);  // not inside a split
  Mm& mm = s_.mms[s_.tasks[t].mm];
  if (!mm.vma_at(v)) return Outcome::err(EFAULT);
  v = s_.tasks[t].split_vpn;  // the split this task began (v names the same PMD in a scenario)
  s_.tasks[t].in_split = 0;
  s_.tasks[t].split_vpn = 0;
  const Pte pte = mm.pt.get(v);
  if (!pte.is_present() || pte.pfn() == kZeroPfn) return Outcome::ok();
  Folio& f = folio(pte.pfn());
  // A fault that waited on the page lock already saw this split finish.
  if (f.large() && f.splitting > 0) f.splitting -= 1;
  return Outcome::ok();
}

namespace detail {

void folio_lock_wait(Kernel& k, Pfn pfn) {
  if (pfn == kZeroPfn) return;
  Folio& f = k.folio(pfn);
  if (f.large() && f.splitting > 0 && k.policies().thp_split_lock->split_holds_page_lock()) f.splitting = 0;
}

}  // namespace detail
}  // namespace mmsim
