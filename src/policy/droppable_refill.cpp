// droppable=refill: Andy Lutomirski's special mapping with a ->fault callback
// (Jan 2023): "Memory pressure: have it free and unmap it self", and every
// fault on a missing page is filled by the callback, "without needing to ever
// read zeros". The callback the scenario declares (`refill T` or `refill gen`)
// writes a fixed token or the next value of a generation counter. Spec §9.
#include "policy/registry.hpp"

namespace mmsim {
namespace {

class DroppableRefill final : public DroppablePolicy {
 public:
  std::string_view name() const override { return "refill"; }
  bool proposal() const override { return true; }
  std::string_view summary() const override {
    return "proposal: every fault on a missing page is filled by the mapping's ->fault callback; no zeros";
  }
  DroppedFault on_none() const override { return DroppedFault::Refill; }
  DroppedFault on_marker() const override { return DroppedFault::Refill; }
};

}  // namespace

const DroppablePolicy& droppable_refill_policy() {
  static const DroppableRefill p;
  return p;
}

}  // namespace mmsim
