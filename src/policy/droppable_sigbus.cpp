// droppable=sigbus: Linus's "caches want SIGSEGV or SIGBUS, not zeroes" and
// the volatile-ranges design (SWP_VRANGE_PURGED markers, "vrange: Send SIGBUS
// when user try to access purged page"): reclaim leaves a Dropped marker, an
// access to it raises SIGBUS until the range is re-armed with MADV_DONTNEED
// (which zaps the markers). Pages never touched read as zero. Spec §9.
#include "policy/registry.hpp"

namespace mmsim {
namespace {

class DroppableSigbus final : public DroppablePolicy {
 public:
  std::string_view name() const override { return "sigbus"; }
  bool proposal() const override { return true; }
  std::string_view summary() const override {
    return "proposal: an access to a dropped page raises SIGBUS until MADV_DONTNEED re-arms the range";
  }
  bool mark_dropped() const override { return true; }
  DroppedFault on_marker() const override { return DroppedFault::Sigbus; }
};

}  // namespace

const DroppablePolicy& droppable_sigbus_policy() {
  static const DroppableSigbus p;
  return p;
}

}  // namespace mmsim
