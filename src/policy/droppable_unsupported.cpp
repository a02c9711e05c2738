// droppable=unsupported: kernels before 6.11 have no MAP_DROPPABLE. The value
// 0x08 of the MAP_TYPE field falls into do_mmap()'s "default: return -EINVAL"
// (it is not silently ignored). Spec droppable.md §2.1.
#include "policy/registry.hpp"

namespace mmsim {
namespace {

class DroppableUnsupported final : public DroppablePolicy {
 public:
  std::string_view name() const override { return "unsupported"; }
  std::string_view summary() const override { return "< 6.11: mmap(MAP_DROPPABLE) fails with EINVAL"; }
  bool supported() const override { return false; }
};

}  // namespace

const DroppablePolicy& droppable_unsupported_policy() {
  static const DroppableUnsupported p;
  return p;
}

}  // namespace mmsim
