// Anonymous multi-size THP (19eaf44954df "mm: thp: support allocation of
// anonymous multi-size THP", 6.8): alloc_anon_folio() picks the highest
// enabled order that fits, falls back order by order, then to order 0.
#include "model/mthp.hpp"

#include "model/internal.hpp"

namespace mmsim::detail {

uint32_t thp_vma_allowable_orders(const State& s, const Vma& vma) {
  if (vma.test(VM_NOHUGEPAGE)) return 0;  // vma_thp_disabled()
  const Config& c = s.config;
  const uint32_t pmd = 1u << c.thp_order;
  uint32_t inherit = c.mthp_inherit;
  if (!(c.mthp_set & pmd)) inherit |= pmd;  // boot default: huge_anon_orders_inherit = BIT(PMD_ORDER)
  // thp_vma_allowable_orders(): "mask = huge_anon_orders_always; if
  // (vm_flags & VM_HUGEPAGE) mask |= huge_anon_orders_madvise; if
  // (hugepage_global_always() || ((vm_flags & VM_HUGEPAGE) &&
  // hugepage_global_enabled())) mask |= huge_anon_orders_inherit".
  uint32_t mask = c.mthp_always;
  if (vma.test(VM_HUGEPAGE)) mask |= c.mthp_madvise;
  if (c.thp == 2 || (vma.test(VM_HUGEPAGE) && c.thp == 1)) mask |= inherit;
  return mask;
}

unsigned mthp_fault_order(const Kernel& k, MmId mmid, const Vma& vma, Vpn v, uint32_t* remaining) {
  const State& s = k.state();
  if (remaining) *remaining = 0;
  if (!k.policies().mthp->anon_orders()) return 0;  // < 6.8: no alloc_anon_folio()
  // The model keeps these small, as for PMD THPs (thp_eligible()).
  if (!vma.is_anonymous() || vma.is_shared() || vma.test(VM_HUGETLB) || vma.test(VM_LOCKED)) return 0;
  // "if (unlikely(userfaultfd_armed(vma))) goto fallback;"
  if (vma.test(VM_UFFD_WP)) return 0;
  // thp_vma_allowable_orders(..., BIT(PMD_ORDER) - 1); anonymous orders start at 2.
  uint32_t orders = thp_vma_allowable_orders(s, vma) & ((1u << s.config.thp_order) - 1) & ~3u;
  const Mm& mm = s.mms[mmid];
  // thp_vma_suitable_orders(): the aligned range lies inside the VMA. Then
  // "Find the highest order where the aligned range is completely pte_none()":
  // higher orders that fail are dropped (next_order()).
  for (int order = 31; order >= 2; --order) {
    const uint32_t bit = 1u << order;
    if (!(orders & bit)) continue;
    const Vpn nr = Vpn(1) << order;
    const Vpn start = v & ~(nr - 1);
    if (start < vma.start || start + nr > vma.end || !mm.pt.populated(start, start + nr).empty()) {
      orders &= ~bit;
      continue;
    }
    if (remaining) *remaining = orders & ((bit << 1) - 1);
    return unsigned(order);
  }
  return 0;
}

std::optional<Outcome> do_anonymous_mthp(Kernel& k, MmId mmid, Vma& vma, Vpn v) {
  uint32_t orders = 0;
  if (mthp_fault_order(k, mmid, vma, v, &orders) == 0) return std::nullopt;
  State& s = k.state();
  // "Try allocating the highest of the remaining orders": vma_alloc_folio()
  // with vma_thp_gfp_mask() -- the model does no direct reclaim for large
  // orders (as for PMD THPs); a failed order falls to the next lower one.
  for (int order = 31; order >= 2; --order) {
    if (!(orders & (1u << order))) continue;
    const uint32_t nr = 1u << order;
    auto head = s.mem.alloc(unsigned(order));
    if (!head) continue;
    const Vpn start = v & ~Vpn(nr - 1);
    anon_vma_prepare(k, vma);
    // do_anonymous_page(): folio_ref_add(folio, nr_pages - 1),
    // add_mm_counter(MM_ANONPAGES, nr_pages), folio_add_new_anon_rmap(...,
    // RMAP_EXCLUSIVE) (PAE on every subpage), folio_add_lru_vma(), then
    // set_ptes() of pte_mkwrite(pte_mkdirty(mk_pte())) for the whole range.
    Folio& f = k.folio(*head);
    f.flags = new_anon_folio_flags(k, vma);
    f.mapping = vma.anon_vma;
    f.index = uint32_t(start);
    f.refcount = int32_t(nr);
    f.large_mapcount = int32_t(nr);
    const bool pae = k.policies().cow->tracks_anon_exclusive();
    Mm& mm = s.mms[mmid];
    for (uint32_t i = 0; i < nr; ++i) {
      Page& p = k.page(*head + i);
      p.mapcount = 1;
      if (pae) p.flags |= PAGE_ANON_EXCLUSIVE;
      Pte pte = Pte::present(*head + i, PTE_YOUNG);
      pte.mkdirty();
      if (vma.test(VM_WRITE)) pte.set(PTE_WRITE);
      mm.pt.set(start + i, pte);
    }
    mm.rss.anon += nr;
    // folio_add_lru(): a large folio is added to the per-CPU batch and the
    // batch is moved at once ("!folio_may_be_lru_cached(folio)"): the
    // folios queued before it reach the LRU first.
    if (s.config.lru_batch) k.lru_add_drain();
    k.folio(*head).set(FOLIO_LRU);
    lru_touch(k, *head);
    return Outcome::ok();
  }
  return std::nullopt;  // "fallback: return folio_prealloc(..., true)" -- order 0
}

}  // namespace mmsim::detail
