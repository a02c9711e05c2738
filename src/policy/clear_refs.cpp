// clear-refs=wrprotect-all (<= 5.10.8) and clear-refs=skip-pinned (9348b73c2e1b
// "mm: don't play games with pinned pages in clear_page_refs", 5.11 and
// 5.10.9; still in 6.18). Source: fs/proc/task_mmu.c clear_soft_dirty(),
// pte_is_pinned(); spec cow-gup.md §2.2 item 3, §7.2.
#include "model/kernel.hpp"
#include "policy/registry.hpp"

namespace mmsim {
namespace {

class WrprotectAll final : public ClearRefsPolicy {
 public:
  std::string_view name() const override { return "wrprotect-all"; }
  std::string_view summary() const override {
    return "<= 5.10.8: clear_refs(4) write-protects every present PTE, pinned or not";
  }
  bool skip_pte(const Kernel&, MmId, const Vma&, Pfn) const override { return false; }
};

class SkipPinned final : public ClearRefsPolicy {
 public:
  std::string_view name() const override { return "skip-pinned"; }
  std::string_view summary() const override {
    return "5.10.9/5.11+: clear_refs(4) leaves writable PTEs of maybe-pinned pages alone (pte_is_pinned)";
  }
  // pte_is_pinned(): pte_write && is_cow_mapping && MMF_HAS_PINNED && page_maybe_dma_pinned.
  bool skip_pte(const Kernel& k, MmId mm, const Vma& vma, Pfn pfn) const override {
    return pfn != kZeroPfn && vma.is_cow_mapping() && k.folio_needs_cow_for_dma(mm, pfn);
  }
};

}  // namespace

const ClearRefsPolicy& clear_refs_wrprotect_all_policy() {
  static const WrprotectAll p;
  return p;
}
const ClearRefsPolicy& clear_refs_skip_pinned_policy() {
  static const SkipPinned p;
  return p;
}

}  // namespace mmsim
