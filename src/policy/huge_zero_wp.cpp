// huge-zero-wp=alloc-thp (<= 5.7: do_huge_pmd_wp_page() "goto alloc", a
// cleared THP; 6.13+: do_huge_zero_wp_pmd(), 1ced09e0331f "mm: allocate THP
// on hugezeropage wp-fault") and huge-zero-wp=split (5.8-6.12: 3917c80280c9
// "thp: change CoW semantics for anon-THP" sends the huge zero PMD to
// "fallback": __split_huge_pmd() into small-zero-page PTEs, then a 4K COW).
#include "policy/registry.hpp"

namespace mmsim {
namespace {

class AllocThp final : public HugeZeroWpPolicy {
 public:
  std::string_view name() const override { return "alloc-thp"; }
  std::string_view summary() const override {
    return "<= 5.7 and 6.13+: a write or unshare fault on the huge zero PMD maps a new zeroed THP "
           "(split and 4K COW only if no THP can be allocated)";
  }
  HugeZeroWpAction wp_huge_zero() const override { return HugeZeroWpAction::AllocThp; }
};

class Split final : public HugeZeroWpPolicy {
 public:
  std::string_view name() const override { return "split"; }
  std::string_view summary() const override {
    return "5.8-6.12: a write or unshare fault on the huge zero PMD splits it into small-zero-page PTEs "
           "and COWs one 4K page (3917c80280c9)";
  }
  HugeZeroWpAction wp_huge_zero() const override { return HugeZeroWpAction::Split; }
};

}  // namespace

const HugeZeroWpPolicy& huge_zero_wp_alloc_thp_policy() {
  static const AllocThp p;
  return p;
}
const HugeZeroWpPolicy& huge_zero_wp_split_policy() {
  static const Split p;
  return p;
}

}  // namespace mmsim
