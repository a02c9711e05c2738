// khugepaged as the kernel's actor (mm/khugepaged.c): one pass over every
// mm, collapsing each eligible, PMD-aligned range of PTEs into a new
// PMD-mapped THP. The scan is hpage_collapse_scan_pmd() with khugepaged's
// limits (cc->is_khugepaged); the collapse itself is collapse_huge_page()
// (huge_memory.cpp), which MADV_COLLAPSE uses too.
#include "model/huge_memory.hpp"
#include "model/internal.hpp"
#include "model/mthp.hpp"
#include "model/swap.hpp"

namespace mmsim {
using namespace detail;

namespace {

// folio_maybe_mapped_shared() (6.18, CONFIG_MM_ID): a small folio mapped
// more than once; a large one mapped by a PMD and PTEs, more often than it
// has pages, or by another MM (the model decides "another MM" exactly).
bool maybe_mapped_shared(const Kernel& k, MmId self, Pfn pfn) {
  const State& s = k.state();
  const Pfn head = s.mem.head(pfn);
  const Folio& f = s.mem.folios[head];
  if (!f.large()) return s.mem.pages[pfn].mapcount > 1;
  if (f.large_mapcount <= 1) return false;
  if (f.entire_mapcount > 0 || f.large_mapcount > int32_t(f.nr_pages())) return true;
  return folio_mapped_by_other_mm(s, head, self);
}

// is_refcount_suitable(): no reference beyond the mappings and the swap
// cache (a GUP pin or get, a pipe buffer).
bool is_refcount_suitable(const Kernel& k, Pfn pfn) { return k.folio(pfn).refcount == k.folio_expected_ref_count(pfn); }

enum class Scan { Succeed, Fail };

// hpage_collapse_scan_pmd() with cc->is_khugepaged: the defaults of
// khugepaged_init() scaled to the model's PMD size -- max_ptes_none =
// HPAGE_PMD_NR - 1, max_ptes_swap = HPAGE_PMD_NR / 8, max_ptes_shared =
// HPAGE_PMD_NR / 2. *unmapped counts the swap PTEs to bring in first.
Scan scan_pmd(const Kernel& k, MmId mmid, const Vma& vma, Vpn start, uint32_t* unmapped) {
  const State& s = k.state();
  const Mm& mm = s.mms[mmid];
  const uint32_t nr = hpage_nr(s);
  const uint32_t max_none = nr - 1, max_swap = nr / 8, max_shared = nr / 2;
  // find_pmd_or_thp_or_none(): already a PMD (SCAN_PMD_MAPPED) or no page
  // table at all (SCAN_PMD_NONE; the model has one when any entry exists).
  if (pmd_at(mm, start, nr) || mm.pt.populated(start, start + nr).empty()) return Scan::Fail;
  uint32_t none_or_zero = 0, shared = 0, referenced = 0;
  *unmapped = 0;
  for (uint32_t i = 0; i < nr; ++i) {
    const Pte pte = mm.pt.get(start + i);
    if (pte.is_swap()) {
      // SCAN_EXCEED_SWAP_PTE; uffd-wp swap entries are never collapsed.
      if (++*unmapped > max_swap || pte.has(PTE_UFFD_WP)) return Scan::Fail;
      continue;
    }
    if (pte.none() || (pte.is_present() && pte.pfn() == kZeroPfn)) {
      // SCAN_EXCEED_NONE_PTE; "!userfaultfd_armed(vma)" for any none PTE.
      if (vma.test(VM_UFFD_WP) || ++none_or_zero > max_none) return Scan::Fail;
      continue;
    }
    if (!pte.is_present()) return Scan::Fail;  // a marker
    if (pte.has(PTE_UFFD_WP)) return Scan::Fail;  // SCAN_PTE_UFFD_WP
    const Pfn pfn = pte.pfn();
    const Folio& f = k.folio(pfn);
    if (!f.test(FOLIO_ANON) || f.test(FOLIO_KSM)) return Scan::Fail;  // SCAN_PAGE_ANON (KSM: not copied by the model)
    // "We treat a single page as shared if any part of the THP is shared."
    if (maybe_mapped_shared(k, mmid, pfn) && ++shared > max_shared) return Scan::Fail;  // SCAN_EXCEED_SHARED_PTE
    if (!f.test(FOLIO_LRU)) return Scan::Fail;       // SCAN_PAGE_LRU (e.g. in the LRU add batch)
    if (!is_refcount_suitable(k, pfn)) return Scan::Fail;  // SCAN_PAGE_COUNT: pinned, GUP'ed, in a pipe
    if (pte.has(PTE_YOUNG) || f.test(FOLIO_REFERENCED)) ++referenced;
  }
  // 6.18 has no "!writable -> SCAN_PAGE_RO" any more (see docs/thp.md).
  // SCAN_LACK_REFERENCED_PAGE: at least one young PTE, half of them when
  // pages must come back from swap.
  if (referenced == 0 || (*unmapped && referenced < nr / 2)) return Scan::Fail;
  return Scan::Succeed;
}

}  // namespace

Outcome Kernel::khugepaged(uint32_t max, uint32_t* collapsed) {
  *collapsed = 0;
  const uint32_t nr = hpage_nr(s_);
  if (s_.config.thp_order < 2) return Outcome::ok();
  // khugepaged_do_scan(): "lru_add_drain_all();" before the scan, so folios
  // in the per-CPU LRU add batch are on the LRU (and lose the batch's
  // reference) when the scan looks at them.
  lru_add_drain();
  // khugepaged_scan_mm_slot(): every registered mm (the model registers them
  // all: khugepaged_enter_vma() only skips mms without an eligible VMA),
  // VMA by VMA, each PMD-aligned range inside the VMA.
  for (MmId m = 0; m < s_.mms.size(); ++m) {
    if (!s_.mms[m].live) continue;
    for (size_t vi = 0; vi < s_.mms[m].vmas.size(); ++vi) {
      const Vma vma = s_.mms[m].vmas[vi];
      // hugepage_vma_revalidate(): thp_vma_allowable_order(TVA_ENFORCE_SYSFS,
      // PMD_ORDER) and an anonymous VMA with an anon_vma. Like faults, the
      // model leaves mlocked VMAs small.
      if (!vma.is_anonymous() || vma.is_shared() || vma.test(VM_HUGETLB) || vma.test(VM_LOCKED) ||
          vma.anon_vma == kNone)
        continue;
      if (!(thp_vma_allowable_orders(s_, vma) & (1u << s_.config.thp_order))) continue;
      const Vpn hstart = (vma.start + nr - 1) & ~Vpn(nr - 1), hend = vma.end & ~Vpn(nr - 1);
      for (Vpn a = hstart; a + nr <= hend; a += nr) {
        if (max && *collapsed >= max) return Outcome::ok();
        uint32_t unmapped = 0;
        if (scan_pmd(*this, m, s_.mms[m].vmas[vi], a, &unmapped) != Scan::Succeed) continue;
        // __collapse_huge_page_swapin(): do_swap_page() for each swap PTE,
        // then lru_add_drain() "to remove extra pin on the swapped in pages".
        if (unmapped) {
          bool ok = true;
          for (uint32_t i = 0; i < nr && ok; ++i) {
            const Pte pte = s_.mms[m].pt.get(a + i);
            if (pte.is_swap()) ok = bool(do_swap_page(*this, m, s_.mms[m].vmas[vi], a + i, pte, false));
          }
          lru_add_drain();
          if (!ok) continue;  // SCAN_FAIL
        }
        // collapse_huge_page(): copy into a new THP, mapped by a PMD.
        if (collapse_huge_page(*this, m, s_.mms[m].vmas[vi], a) == 0) ++*collapsed;
      }
    }
  }
  return Outcome::ok();
}

}  // namespace mmsim
