// cow=refcount (B, mainline 5.9-5.17) and cow=refcount-5.18 (B18, "COW fixes
// part 1"). Source: 09854ba94c6a "mm: do_wp_page() simplification" (v5.9.4,
// v5.11.14, v5.17 do_wp_page), 70e806e4e645 "mm: Do early cow for pinned
// pages during fork() for ptes" (copy_present_page), 5.18 do_wp_page with
// 53a05ad9f21d / d4c470970d45; spec cow-gup.md §4.
#include <algorithm>

#include "model/kernel.hpp"
#include "policy/registry.hpp"
#include "policy/reuse_swap_page.hpp"

namespace mmsim {
namespace {

class Refcount final : public CowPolicy {
 public:
  explicit Refcount(bool v518) : v518_(v518) {}
  std::string_view name() const override { return v518_ ? "refcount-5.18" : "refcount"; }
  std::string_view summary() const override {
    return v518_ ? "5.18: reuse iff refcount == 1 after draining the local LRU batch and freeing the swap cache; "
                   "fork copies maybe-pinned pages for the child"
                 : "5.9-5.17: reuse iff refcount == 1 && mapcount == 1 (any extra reference copies); fork copies "
                   "maybe-pinned pages for the child";
  }
  bool tracks_anon_exclusive() const override { return false; }

  WpAction wp_anon(Kernel& k, const WpFault& f) const override {
    const Pfn pfn = f.pfn;
    if (!v518_) {
      // "if (PageKsm(page) || page_count(page) != 1) goto copy; if (!trylock_page(page))
      // goto copy; if (PageKsm(page) || page_mapcount(page) != 1 || page_count(page) != 1) ..."
      const Folio& folio = k.folio(pfn);
      if (folio.test(FOLIO_KSM) || folio.refcount != 1) return WpAction::Copy;
      if (k.page(pfn).mapcount != 1) return WpAction::Copy;
      return WpAction::Reuse;
    }
    // 5.18: "if (PageKsm(page) || page_count(page) > 3) goto copy; if (!PageLRU(page))
    // lru_add_drain(); if (page_count(page) > 1 + PageSwapCache(page)) goto copy; ..."
    if (k.folio(pfn).test(FOLIO_KSM) || k.folio(pfn).refcount > 3) return WpAction::Copy;
    if (!k.folio(pfn).test(FOLIO_LRU)) k.lru_add_drain();
    if (k.folio(pfn).refcount > 1 + (k.folio(pfn).test(FOLIO_SWAPCACHE) ? 1 : 0)) return WpAction::Copy;
    if (k.folio(pfn).test(FOLIO_SWAPCACHE)) k.folio_free_swap(pfn);  // try_to_free_swap()
    if (k.folio(pfn).test(FOLIO_KSM) || k.folio(pfn).refcount != 1) return WpAction::Copy;
    return WpAction::Reuse;
  }

  // do_swap_page(): <= 5.17 still reuse_swap_page() (mapcount: the swap
  // variant of CVE-2020-29374); 5.18 (c145e0b47c77 "mm: streamline COW logic
  // in do_swap_page()"): free the swap cache if only it and the fault hold
  // the page, then "page_count(page) == 1" maps it writable.
  SwapinAction swapin(Kernel& k, const SwapinFault& f) const override {
    if (!v518_) {
      const bool reuse = f.write && reuse_swap_page(k, f.pfn, k.page(f.pfn).mapcount, 1);
      try_to_free_swap_if(k, f);
      return SwapinAction{.exclusive = false, .writable = reuse};
    }
    should_try_to_free_swap(k, f);
    const Folio& folio = k.folio(f.pfn);
    return SwapinAction{.exclusive = false, .writable = f.write && !folio.test(FOLIO_KSM) && folio.refcount == 1};
  }

  // do_huge_pmd_wp_page(): <= 5.17 still reuse_swap_page() (mapcount: the
  // THP variants of CVE-2020-29374 fixed by 3bff7e3f1f16); 5.18: "if
  // (page_count(page) == 1)" reuse, else split and fall back to the PTE rule.
  HugeWpAction wp_huge_pmd(Kernel& k, const WpFault& f) const override {
    const Folio& folio = k.folio(f.pfn);
    if (!v518_)  // page_trans_huge_mapcount() (torn during a PMD split without thp-split-lock=page-lock)
      return k.page_trans_huge_mapcount(f.pfn) <= 1 ? HugeWpAction::Reuse : HugeWpAction::Split;
    if (folio.refcount > 1 + (folio.test(FOLIO_SWAPCACHE) ? int32_t(folio.nr_pages()) : 0)) return HugeWpAction::Split;
    if (folio.test(FOLIO_SWAPCACHE)) k.folio_free_swap(f.pfn);
    return k.folio(f.pfn).refcount == 1 ? HugeWpAction::Reuse : HugeWpAction::Split;
  }

  // copy_present_pte(): "if (is_cow_mapping(src_vma->vm_flags) && src_mm->has_pinned &&
  // page_maybe_dma_pinned(page))" -> copy_present_page() for the child.
  ForkAction fork_anon(Kernel& k, MmId src, Pfn pfn) const override {
    return k.folio_needs_cow_for_dma(src, pfn) ? ForkAction::CopyForChild : ForkAction::Share;
  }

  // a308c71bf1e6 removed the forced COW break: R/O GUP references whatever is mapped.
  GupReadAction gup_read(Kernel&, const GupRead&) const override { return GupReadAction::Grab; }

 private:
  bool v518_;
};

}  // namespace

const CowPolicy& refcount_policy() {
  static const Refcount p(false);
  return p;
}
const CowPolicy& refcount_518_policy() {
  static const Refcount p(true);
  return p;
}

}  // namespace mmsim
