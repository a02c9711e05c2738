// Transparent huge pages (mm/huge_memory.c): PMD-mapped anonymous folios of
// order config.thp_order, their splitting into PTE mappings, and the PMD
// variants of fault, write fault and fork. Operations that are not THP-aware
// split the PMDs of their range first (as many kernel paths do).
#pragma once
#include <optional>

#include "model/kernel.hpp"

namespace mmsim::detail {

// The huge zero page (mm/huge_memory.c huge_zero_folio): a read fault in a
// THP-eligible range maps it with one special R/O PMD. The model stores that
// PMD with pfn kZeroPfn and PTE_SPECIAL, so every PTE-level path sees the
// small zero page (no refcount, no mapcount, no rss, reads 0). Only pagemap
// tells them apart: it reports kHugeZeroPfn + subpage (the huge zero page is
// a different physical page) and PM_FILE (pagemap_pmd_range() uses
// pmd_page(), not vm_normal_page(): the huge zero folio is not anon).
inline constexpr Pfn kHugeZeroPfn = Pfn(1) << 30;
inline bool is_huge_zero_pmd(const Pte& pmd) { return pmd.is_present() && pmd.pfn() == kZeroPfn; }

uint32_t hpage_nr(const State& s);
// The PMD slot mapping v, if any (Mm::pmds is sorted by aligned start).
PteSlot* pmd_at(Mm& mm, Vpn v, uint32_t nr);
const PteSlot* pmd_at(const Mm& mm, Vpn v, uint32_t nr);
// What a PTE walk sees at v: the PTE, or the PMD's entry narrowed to the
// subpage (pfn = head + offset). `pmd` tells which.
Pte effective_pte(const State& s, const Mm& mm, Vpn v, bool* pmd = nullptr);
// The entry whose A/D bits an access at v updates (PTE or PMD).
Pte* entry_for_update(State& s, Mm& mm, Vpn v);

// thp_vma_allowable_order() for an anonymous fault at v.
bool thp_eligible(const State& s, const Mm& mm, const Vma& vma, Vpn v);
// do_huge_pmd_anonymous_page(): nullopt = fall back to a small page. A read
// fault maps the huge zero page when transparent_hugepage/use_zero_page is
// set, else (like a write fault) a new THP.
std::optional<Outcome> do_huge_pmd_anonymous_page(Kernel& k, MmId mm, Vma& vma, Vpn v, bool write = true);
Outcome do_huge_pmd_wp_page(Kernel& k, MmId mm, Vma& vma, Vpn v, bool unshare);
// __split_huge_pmd(): one PMD becomes 2^order PTEs of the same folio.
void split_huge_pmd(Kernel& k, MmId mm, Vpn aligned);
// split_folio() / __split_huge_page(): a large anonymous folio becomes small
// folios (its PMD mappings are split first). false when references beyond
// the mappings exist (can_split_folio()) or the folio is mlocked.
bool split_folio(Kernel& k, Pfn head);
// Split every PMD that overlaps [start, end) (all = true) or only those that
// overlap it partially (all = false).
void split_pmds(Kernel& k, MmId mm, Vpn start, Vpn end, bool all = true);
// lock_page() of a THP by a fault (do_huge_pmd_wp_page(), do_wp_page()):
// when a PMD split of it is in progress and the split holds the page lock
// (thp-split-lock=page-lock), the fault sleeps until the splitter unlocks --
// the model finishes those splits first.
void folio_lock_wait(Kernel& k, Pfn pfn);
// zap_huge_pmd(): drop a whole PMD mapping.
void zap_huge_pmd(Kernel& k, MmId mm, Vpn aligned);
// MADV_COLLAPSE on one aligned range (madvise_collapse() -> collapse_huge_page()):
// 0 or an errno (EAGAIN: a page with extra references; ENOMEM: no THP).
int collapse_huge_page(Kernel& k, MmId mm, Vma& vma, Vpn aligned);
// copy_huge_pmd(): false if the PMD had to be split (the PTE copy follows).
bool copy_huge_pmd(Kernel& k, MmId src, Vma& src_vma, MmId dst, Vpn aligned);

}  // namespace mmsim::detail
