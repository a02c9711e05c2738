// droppable=zero: MAP_DROPPABLE as merged in 6.11 (9651fcedf7b9) and shipped
// in 6.18. Folios stay !PG_swapbacked (folio_add_new_anon_rmap()), reclaim
// discards them even when dirty (try_to_unmap_one()), the PTE becomes none
// and the next access reads zeros. Spec droppable.md §3-§4.
#include "policy/registry.hpp"

namespace mmsim {
namespace {

class DroppableZero final : public DroppablePolicy {
 public:
  std::string_view name() const override { return "zero"; }
  std::string_view summary() const override {
    return "6.11+: dropped pages read back as zeros, no notification (MAP_DROPPABLE as merged)";
  }
};

}  // namespace

const DroppablePolicy& droppable_zero_policy() {
  static const DroppableZero p;
  return p;
}

}  // namespace mmsim
