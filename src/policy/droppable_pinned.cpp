// droppable=pinned: Ingo Molnar's "just pin these vDSO data pages" (Jan 2023):
// the pages are never dropped, because they are locked: the mapping is
// VM_LOCKED and charged to RLIMIT_MEMLOCK like MAP_LOCKED (mmap fails with
// EAGAIN at the limit), and its folios are ordinary swap-backed anon. Jason's
// objection shows in the model: mlock is not inherited by fork, so a child's
// pages in the same mapping are swappable. Spec droppable.md §9.
#include "model/vma.hpp"
#include "policy/registry.hpp"

namespace mmsim {
namespace {

class DroppablePinned final : public DroppablePolicy {
 public:
  std::string_view name() const override { return "pinned"; }
  bool proposal() const override { return true; }
  std::string_view summary() const override {
    return "proposal: never dropped; the mapping is mlocked and charged to RLIMIT_MEMLOCK";
  }
  uint64_t extra_vm_flags() const override { return VM_LOCKED; }
  bool lazyfree() const override { return false; }
};

}  // namespace

const DroppablePolicy& droppable_pinned_policy() {
  static const DroppablePinned p;
  return p;
}

}  // namespace mmsim
