// hugetlb-fork=share-pinned (<= 5.11: copy_hugetlb_page_range() shares every
// page, pinned or not) and hugetlb-fork=copy-pinned (5.12+, 4eae4efa2c29:
// a maybe-pinned page is copied for the child; 5.19+ through
// hugetlb_try_dup_anon_rmap(), i.e. the cow policy's PG_anon_exclusive rule).
#include "model/kernel.hpp"
#include "policy/registry.hpp"

namespace mmsim {
namespace {

class SharePinned final : public HugetlbForkPolicy {
 public:
  std::string_view name() const override { return "share-pinned"; }
  std::string_view summary() const override {
    return "<= 5.11: fork shares a pinned hugetlb page like any other (the parent's next write copies)";
  }
  ForkAction fork_hugetlb(Kernel&, MmId, Pfn) const override { return ForkAction::Share; }
};

class CopyPinned final : public HugetlbForkPolicy {
 public:
  std::string_view name() const override { return "copy-pinned"; }
  std::string_view summary() const override {
    return "5.12+: fork copies a maybe-pinned hugetlb page for the child (4eae4efa2c29)";
  }
  // The same test as for small pages: MMF_HAS_PINNED && maybe pinned (and,
  // with PG_anon_exclusive, only exclusive pages) — the cow policy's rule.
  ForkAction fork_hugetlb(Kernel& k, MmId src, Pfn pfn) const override {
    return k.policies().cow->fork_anon(k, src, pfn);
  }
};

}  // namespace

const HugetlbForkPolicy& hugetlb_fork_share_pinned_policy() {
  static const SharePinned p;
  return p;
}
const HugetlbForkPolicy& hugetlb_fork_copy_pinned_policy() {
  static const CopyPinned p;
  return p;
}

}  // namespace mmsim
