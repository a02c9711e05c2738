// thp-split-lock=none (<= 5.7.4) and thp-split-lock=page-lock (c444eb564fb1
// "mm: thp: make the THP mapcount atomic against __split_huge_pmd_locked()",
// Andrea Arcangeli, 5.8-rc, stable 5.7.5; CVE-2020-29368, cow-gup.md §7.7).
// __split_huge_pmd_locked() moves a PMD mapping's count from the compound
// mapcount to the subpages' _mapcount with separate atomic ops; the write
// fault's reuse_swap_page() -> page_trans_huge_mapcount() reads them one by
// one under the page lock. Without the fix the split holds only the PMD lock,
// so the reader can combine old subpage counts with the new compound count
// and under-count (model: Kernel::page_trans_huge_mapcount()); with it,
// __split_huge_pmd() takes the page lock of an anonymous THP around the
// split, and the reader waits until the counts are consistent.
#include "policy/registry.hpp"

namespace mmsim {
namespace {

class NoLock final : public ThpSplitLockPolicy {
 public:
  std::string_view name() const override { return "none"; }
  std::string_view summary() const override {
    return "<= 5.7.4: __split_huge_pmd() holds only the PMD lock, so a write fault's THP mapcount "
           "(reuse_swap_page()) can read a half-moved count (CVE-2020-29368)";
  }
  bool split_holds_page_lock() const override { return false; }
};

class PageLock final : public ThpSplitLockPolicy {
 public:
  std::string_view name() const override { return "page-lock"; }
  std::string_view summary() const override {
    return "5.8+ (5.7.5): __split_huge_pmd() takes the anon THP's page lock around "
           "__split_huge_pmd_locked(), serialising it with reuse_swap_page() (c444eb564fb1)";
  }
  bool split_holds_page_lock() const override { return true; }
};

}  // namespace

const ThpSplitLockPolicy& thp_split_lock_none_policy() {
  static const NoLock p;
  return p;
}
const ThpSplitLockPolicy& thp_split_lock_page_lock_policy() {
  static const PageLock p;
  return p;
}

}  // namespace mmsim
