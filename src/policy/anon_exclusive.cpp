// cow=anon-exclusive: PG_anon_exclusive, mainline 5.19+ with the 6.18 rules
// ("mm: COW fixes part 2", 6c287605fd56 ff.; spec cow-gup.md §5).
#include "model/kernel.hpp"
#include "policy/registry.hpp"
#include "policy/reuse_swap_page.hpp"

namespace mmsim {
namespace {

class AnonExclusive final : public CowPolicy {
 public:
  // The era's features, each with its own flag (they arrived separately even
  // where today's policies switch them together).
  struct Era {
    bool longterm_nonanon;      // 6.2's 84209e87c696: R/O long-term pins unshare non-anonymous pages in COW mappings
    bool read_swapin_writable;  // 6.13+: do_swap_page() maps an exclusive page writable on a read fault too (§5.6)
    bool large_reuse;           // 6.18: reuse of PTE-mapped large folios (CONFIG_MM_ID; absent in 6.13)
  };
  AnonExclusive(std::string_view name, Era era)
      : name_(name), longterm_nonanon_(era.longterm_nonanon), read_swapin_writable_(era.read_swapin_writable),
        large_reuse_(era.large_reuse) {}
  std::string_view name() const override { return name_; }
  std::string_view summary() const override {
    if (!longterm_nonanon_)
      return "5.19-6.1: reuse iff PG_anon_exclusive, else iff refcount==1; R/O pins unshare anonymous pages "
             "only; large folios never reused";
    if (!large_reuse_)
      return "6.2-6.13: as 5.19, and R/O long-term pins unshare the zero page and page-cache pages in COW "
             "mappings (84209e87c696); large folios never reused";
    return "6.18: reuse iff PG_anon_exclusive, else iff refcount==1 (a PTE-mapped large folio: only this MM "
           "maps it); R/O pins unshare; fork copies maybe-pinned exclusive pages for the child";
  }
  bool tracks_anon_exclusive() const override { return true; }

  // do_wp_page(): "if (folio && folio_test_anon(folio) &&
  // (PageAnonExclusive(vmf->page) || wp_can_reuse_anon_folio(folio, vma)))".
  WpAction wp_anon(Kernel& k, const WpFault& f) const override {
    if (k.page_anon_exclusive(f.pfn)) return WpAction::Reuse;
    if (!wp_can_reuse_anon_folio(k, f.mm, f.pfn)) return WpAction::Copy;
    k.set_anon_exclusive(f.pfn, true);  // folio_move_anon_rmap() + SetPageAnonExclusive()
    return WpAction::Reuse;
  }

  // do_huge_pmd_wp_page() (6.18): PAE(head) -> reuse; refcount 1 (after
  // freeing the swap cache) -> folio_move_anon_rmap(), PAE, reuse; else split
  // the PMD and let the PTE rule copy the one subpage.
  HugeWpAction wp_huge_pmd(Kernel& k, const WpFault& f) const override {
    if (k.page_anon_exclusive(f.pfn)) return HugeWpAction::Reuse;
    const Folio& folio = k.folio(f.pfn);
    if (folio.refcount > 1 + (folio.test(FOLIO_SWAPCACHE) ? int32_t(folio.nr_pages()) : 0)) return HugeWpAction::Split;
    if (folio.test(FOLIO_SWAPCACHE)) k.folio_free_swap(f.pfn);
    if (k.folio(f.pfn).refcount != 1) return HugeWpAction::Split;
    k.set_anon_exclusive(f.pfn, true);
    return HugeWpAction::Reuse;
  }

  // copy_present_ptes() -> folio_try_dup_anon_rmap_pte(): an exclusive page
  // that may be pinned (MMF_HAS_PINNED && folio_maybe_dma_pinned) cannot be
  // shared: -EBUSY, and copy_present_page() gives the child a copy.
  ForkAction fork_anon(Kernel& k, MmId src, Pfn pfn) const override {
    if (!k.page_anon_exclusive(pfn)) return ForkAction::Share;  // "no need to check+clear for already shared pages"
    if (k.folio_needs_cow_for_dma(src, pfn)) return ForkAction::CopyForChild;
    k.set_anon_exclusive(pfn, false);
    return ForkAction::Share;
  }

  // do_swap_page() (5.19+): should_try_to_free_swap(), then "if
  // (!folio_test_ksm(folio) && (exclusive || folio_ref_count(folio) == 1))"
  // the page is PG_anon_exclusive. 5.19/6.1 map it writable only for a write
  // fault; 6.13/6.18 for a read fault too (spec cow-gup.md §5.6).
  SwapinAction swapin(Kernel& k, const SwapinFault& f) const override {
    should_try_to_free_swap(k, f);
    const Folio& folio = k.folio(f.pfn);
    const bool exclusive = !folio.test(FOLIO_KSM) && (f.exclusive_bit || folio.refcount == 1);
    return SwapinAction{.exclusive = exclusive, .writable = exclusive && (f.write || read_swapin_writable_)};
  }

  // gup_must_unshare() (mm/internal.h, 6.2+ form): only R/O FOLL_PIN unshares;
  // anon pages when not exclusive, other pages only for FOLL_LONGTERM in a
  // COW mapping (84209e87c696). FOLL_GET (vmsplice) never unshares.
  GupReadAction gup_read(Kernel& k, const GupRead& g) const override {
    if ((g.foll & (FOLL_WRITE | FOLL_PIN)) != FOLL_PIN) return GupReadAction::Grab;
    if (!g.anon) {
      if (!longterm_nonanon_ || !(g.foll & FOLL_LONGTERM)) return GupReadAction::Grab;
      return g.cow_mapping ? GupReadAction::Unshare : GupReadAction::Grab;
    }
    return k.page_anon_exclusive(g.pfn) ? GupReadAction::Grab : GupReadAction::Unshare;
  }

 private:
  std::string_view name_;
  bool longterm_nonanon_;
  bool read_swapin_writable_;
  bool large_reuse_;

  // __wp_can_reuse_large_anon_folio() (6.18, CONFIG_MM_ID): reuse one subpage
  // of a PTE-mapped large folio when this MM is the only one mapping it and
  // no reference exists beyond its mappings. The model decides "only this
  // MM" exactly, where the kernel's two MM-id slots may say "maybe shared".
  static bool wp_can_reuse_large_anon_folio(Kernel& k, MmId mm, Pfn pfn) {
    const Folio& f = k.folio(pfn);
    if (f.large_mapcount <= 1) return false;  // "just free up a large folio" instead
    if (k.folio_mapped_by_other_mm(pfn, mm)) return false;
    if (f.test(FOLIO_SWAPCACHE)) k.folio_free_swap(pfn);
    return k.folio(pfn).large_mapcount == k.folio(pfn).refcount;
  }

  // wp_can_reuse_anon_folio() (mm/memory.c, 6.18), small folios.
  bool wp_can_reuse_anon_folio(Kernel& k, MmId mm, Pfn pfn) const {
    const Folio& f = k.folio(pfn);
    // 5.19-6.13: "let's just consistently not reuse subpages" of large folios.
    if (f.large()) return large_reuse_ && wp_can_reuse_large_anon_folio(k, mm, pfn);
    if (f.test(FOLIO_KSM) || f.refcount > 3) return false;
    if (!f.test(FOLIO_LRU)) k.lru_add_drain();  // "Try to drain the local LRU batch"
    if (k.folio(pfn).refcount > 1 + (k.folio(pfn).test(FOLIO_SWAPCACHE) ? 1 : 0)) return false;
    // folio_trylock() always succeeds in the model (no concurrent lockers).
    if (k.folio(pfn).test(FOLIO_SWAPCACHE)) k.folio_free_swap(pfn);
    if (k.folio(pfn).test(FOLIO_KSM) || k.folio(pfn).refcount != 1) return false;
    return true;
  }
};

}  // namespace

const CowPolicy& anon_exclusive_policy() {
  static const AnonExclusive p("anon-exclusive", {.longterm_nonanon = true, .read_swapin_writable = true,
                                                  .large_reuse = true});
  return p;
}
const CowPolicy& anon_exclusive_619_policy() {
  static const AnonExclusive p("anon-exclusive-5.19", {.longterm_nonanon = false, .read_swapin_writable = false,
                                                       .large_reuse = false});
  return p;
}
const CowPolicy& anon_exclusive_613_policy() {
  static const AnonExclusive p("anon-exclusive-6.13", {.longterm_nonanon = true, .read_swapin_writable = true,
                                                       .large_reuse = false});
  return p;
}

}  // namespace mmsim
