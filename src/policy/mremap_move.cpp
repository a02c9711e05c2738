// mremap-move=single-vma (<= 6.16) and mremap-move=multi-vma (6.17+): what an
// mremap(MREMAP_MAYMOVE|MREMAP_FIXED) of the same size may move. Every kernel
// before 6.17 requires the old range to lie in one VMA (vma_to_resize() /
// check_prep_vma(): old_len > vma->vm_end - addr -> EFAULT). d23cb648e365
// "mm/mremap: permit mremap() move of multiple VMAs" (6.17) sends a move-only
// call (vrm_move_only()) to remap_move(), which moves every VMA of the range
// and keeps the gaps between them; vma_multi_allowed() refuses uffd-armed VMAs
// (and files with their own get_unmapped_area) unless the move is of one VMA.
#include "policy/registry.hpp"

namespace mmsim {
namespace {

class SingleVma final : public MremapMovePolicy {
 public:
  std::string_view name() const override { return "single-vma"; }
  std::string_view summary() const override {
    return "<= 6.16: an mremap() move must lie in one VMA (vma_to_resize()/check_prep_vma(): EFAULT)";
  }
  bool multi_vma() const override { return false; }
};

class MultiVma final : public MremapMovePolicy {
 public:
  std::string_view name() const override { return "multi-vma"; }
  std::string_view summary() const override {
    return "6.17+: a same-size MREMAP_FIXED move takes every VMA of the range, gaps kept, none at the start "
           "(remap_move(), d23cb648e365); uffd-armed VMAs only alone";
  }
  bool multi_vma() const override { return true; }
};

}  // namespace

const MremapMovePolicy& mremap_move_single_vma_policy() {
  static const SingleVma p;
  return p;
}
const MremapMovePolicy& mremap_move_multi_vma_policy() {
  static const MultiVma p;
  return p;
}

}  // namespace mmsim
