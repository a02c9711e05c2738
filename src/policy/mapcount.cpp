// cow=mapcount (A, mainline <= 5.7) and cow=mapcount+gup-break (A', 5.8 and
// the 5.7.3+/5.4.y/4.14.y/4.19.y backports of 17839856fd58). Source: v5.4
// mm/memory.c do_wp_page(), mm/swapfile.c reuse_swap_page(), v5.8.1 mm/gup.c
// should_force_cow_break(); spec cow-gup.md §3.
#include <algorithm>

#include "model/kernel.hpp"
#include "policy/registry.hpp"
#include "policy/reuse_swap_page.hpp"

namespace mmsim {
namespace {

class Mapcount final : public CowPolicy {
 public:
  explicit Mapcount(bool gup_break) : gup_break_(gup_break) {}
  std::string_view name() const override { return gup_break_ ? "mapcount+gup-break" : "mapcount"; }
  std::string_view summary() const override {
    return gup_break_ ? "5.8: reuse iff mapcount(+swapcount) <= 1, and any GUP in a COW mapping first breaks COW "
                        "with a write fault (should_force_cow_break, 17839856fd58)"
                      : "<= 5.7: reuse iff mapcount(+swapcount) <= 1 (reuse_swap_page); refcount, pins and pipes "
                        "are ignored; fork shares pinned pages";
  }
  bool tracks_anon_exclusive() const override { return false; }
  bool tracks_has_pinned() const override { return false; }  // mm->has_pinned arrived in 5.9

  WpAction wp_anon(Kernel& k, const WpFault& f) const override {
    const Folio& folio = k.folio(f.pfn);
    if (folio.test(FOLIO_KSM)) {
      // "if (PageKsm(page) && (PageSwapCache(page) || page_count(page) != 1)) goto copy";
      // reuse_ksm_page(): not in the swap cache and the refcount freezes at 1.
      const bool reuse = !folio.test(FOLIO_SWAPCACHE) && folio.refcount == 1;
      if (reuse) k.folio(f.pfn).clear(FOLIO_KSM);  // page_move_anon_rmap(): an ordinary anon page again
      return reuse ? WpAction::Reuse : WpAction::Copy;
    }
    // reuse_swap_page(): page_mapcount + swap references; the refcount is
    // not consulted at all.
    return reuse_swap_page(k, f.pfn, thp_mapcount(k, f.pfn), 0) ? WpAction::Reuse : WpAction::Copy;
  }

  // do_swap_page(): "if ((vmf->flags & FAULT_FLAG_WRITE) && reuse_swap_page(page,
  // NULL))" map it writable and dirty; else R/O (a write then runs do_wp_page()).
  SwapinAction swapin(Kernel& k, const SwapinFault& f) const override {
    const bool reuse = f.write && reuse_swap_page(k, f.pfn, k.page(f.pfn).mapcount, 1);
    try_to_free_swap_if(k, f);
    return SwapinAction{.exclusive = false, .writable = reuse};
  }

  // do_huge_pmd_wp_page(): "if (reuse_swap_page(page, NULL))" reuse; else
  // <= 5.7 allocates a new THP and copies it whole; 5.8 (3917c80280c9
  // "thp: change CoW semantics for anon-THP") splits and copies 4K.
  HugeWpAction wp_huge_pmd(Kernel& k, const WpFault& f) const override {
    if (thp_mapcount(k, f.pfn) <= 1) return HugeWpAction::Reuse;
    return gup_break_ ? HugeWpAction::Split : HugeWpAction::CopyWhole;
  }

  // copy_one_pte(): get_page + page_dup_rmap, both PTEs write-protected; no pin check.
  ForkAction fork_anon(Kernel&, MmId, Pfn) const override { return ForkAction::Share; }

  GupReadAction gup_read(Kernel&, const GupRead& g) const override {
    // 5.8 __get_user_pages(): "if (should_force_cow_break(vma, foll_flags))
    // foll_flags |= FOLL_WRITE", should_force_cow_break := is_cow_mapping &&
    // (flags & (FOLL_GET|FOLL_PIN)).
    if (gup_break_ && g.cow_mapping && (g.foll & (FOLL_GET | FOLL_PIN))) return GupReadAction::WriteFault;
    return GupReadAction::Grab;  // a reference on whatever is mapped, shared or not
  }

 private:
  // page_trans_huge_mapcount(): for a THP the largest per-page mapcount plus
  // the PMD (compound) mappings -- torn while a PMD split is in progress
  // (CVE-2020-29368, knob thp-split-lock); for a small page its mapcount.
  static int thp_mapcount(const Kernel& k, Pfn pfn) { return k.page_trans_huge_mapcount(pfn); }

  bool gup_break_;
};

}  // namespace

const CowPolicy& mapcount_policy() {
  static const Mapcount p(false);
  return p;
}
const CowPolicy& mapcount_gup_break_policy() {
  static const Mapcount p(true);
  return p;
}

}  // namespace mmsim
