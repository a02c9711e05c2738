// swapout-pinned=swap (<= 5.10.0) and swapout-pinned=keep (feb889fb40fa "mm:
// don't put pinned pages into the swap cache", 5.11-rc5, 5.10.y): whether
// shrink_folio_list() may add a maybe-pinned anonymous folio to the swap
// cache. Unmapping a pinned page and copying it on the next write fault loses
// the device's view of it (cow-gup.md §7.6d, io_uring_swap.c).
#include "policy/registry.hpp"

namespace mmsim {
namespace {

class SwapoutPinned final : public SwapoutPinnedPolicy {
 public:
  explicit SwapoutPinned(bool keep) : keep_(keep) {}
  std::string_view name() const override { return keep_ ? "keep" : "swap"; }
  std::string_view summary() const override {
    return keep_ ? "5.11+: reclaim keeps maybe-pinned anonymous folios out of the swap cache"
                 : "<= 5.10.0: reclaim swaps out pinned anonymous folios like any other";
  }
  bool keep_pinned() const override { return keep_; }

 private:
  bool keep_;
};

}  // namespace

const SwapoutPinnedPolicy& swapout_pinned_swap_policy() {
  static const SwapoutPinned p(false);
  return p;
}
const SwapoutPinnedPolicy& swapout_pinned_keep_policy() {
  static const SwapoutPinned p(true);
  return p;
}

}  // namespace mmsim
