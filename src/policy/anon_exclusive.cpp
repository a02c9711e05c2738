// cow=anon-exclusive: PG_anon_exclusive, mainline 5.19+ with the 6.18 rules
// ("mm: COW fixes part 2", 6c287605fd56 ff.; spec cow-gup.md §5).
#include "model/kernel.hpp"
#include "policy/registry.hpp"

namespace mmsim {
namespace {

class AnonExclusive final : public CowPolicy {
 public:
  std::string_view name() const override { return "anon-exclusive"; }
  std::string_view summary() const override {
    return "reuse iff PG_anon_exclusive, else iff refcount==1 (5.19+); R/O pins unshare; "
           "fork copies maybe-pinned exclusive pages for the child";
  }
  bool tracks_anon_exclusive() const override { return true; }

  // do_wp_page(): "if (folio && folio_test_anon(folio) &&
  // (PageAnonExclusive(vmf->page) || wp_can_reuse_anon_folio(folio, vma)))".
  WpAction wp_anon(Kernel& k, const WpFault& f) const override {
    if (k.page_anon_exclusive(f.pfn)) return WpAction::Reuse;
    if (!wp_can_reuse_anon_folio(k, f.pfn)) return WpAction::Copy;
    k.set_anon_exclusive(f.pfn, true);  // folio_move_anon_rmap() + SetPageAnonExclusive()
    return WpAction::Reuse;
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

  // gup_must_unshare() (mm/internal.h, 6.2+ form): only R/O FOLL_PIN unshares;
  // anon pages when not exclusive, other pages only for FOLL_LONGTERM in a
  // COW mapping (84209e87c696). FOLL_GET (vmsplice) never unshares.
  GupReadAction gup_read(Kernel& k, const GupRead& g) const override {
    if ((g.foll & (FOLL_WRITE | FOLL_PIN)) != FOLL_PIN) return GupReadAction::Grab;
    if (!g.anon) {
      if (!(g.foll & FOLL_LONGTERM)) return GupReadAction::Grab;
      return g.cow_mapping ? GupReadAction::Unshare : GupReadAction::Grab;
    }
    return k.page_anon_exclusive(g.pfn) ? GupReadAction::Grab : GupReadAction::Unshare;
  }

 private:
  // wp_can_reuse_anon_folio() (mm/memory.c, 6.18), small folios.
  static bool wp_can_reuse_anon_folio(Kernel& k, Pfn pfn) {
    const Folio& f = k.folio(pfn);
    // Large folios need MM-id tracking (__wp_can_reuse_large_anon_folio), which
    // arrives with THP; until then a large folio is never reused (as in 6.13).
    if (f.large()) return false;
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
  static const AnonExclusive p;
  return p;
}

}  // namespace mmsim
