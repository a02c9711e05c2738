// A page-table entry as a small value type (Zircon's VmPageOrMarker idea):
// none / present{pfn, W, D, young, soft-dirty, uffd-wp, special} /
// swap{entry, exclusive, soft-dirty, uffd-wp} / marker{kind}.
#pragma once
#include <cstdint>
#include <type_traits>

#include "model/types.hpp"

namespace mmsim {

enum class PteKind : uint8_t { None, Present, Swap, Marker };

enum PteBit : uint8_t {
  PTE_WRITE = 1u << 0,      // pte_write()
  PTE_DIRTY = 1u << 1,      // pte_dirty()
  PTE_YOUNG = 1u << 2,      // pte_young()
  PTE_SOFT_DIRTY = 1u << 3, // pte_soft_dirty() / pte_swp_soft_dirty()
  PTE_UFFD_WP = 1u << 4,    // pte_uffd_wp() / pte_swp_uffd_wp()
  PTE_SPECIAL = 1u << 5,    // pte_special(): the zero page, no struct page refcount
  PTE_SWP_EXCLUSIVE = 1u << 6,  // pte_swp_exclusive() (5.19+, "COW fixes part 3")
};

// Marker kinds (PTE_MARKER_*, include/linux/swapops.h).
// Dropped: model-only, left by reclaim in a droppable mapping under the
// `sigbus` policy (like vrange's SWP_VRANGE_PURGED) until the range is re-armed.
enum class PteMarker : uint8_t { None, UffdWp, Poisoned, Guard, Dropped };

struct Pte {
  PteKind kind = PteKind::None;
  uint8_t bits = 0;
  PteMarker marker = PteMarker::None;
  uint8_t pad0 = 0;
  uint32_t pad1 = 0;
  uint64_t val = 0;  // PFN (present) or swap offset (swap)

  static Pte present(Pfn pfn, uint8_t bits) { return Pte{PteKind::Present, bits, PteMarker::None, 0, 0, pfn}; }
  static Pte swap(uint64_t entry, uint8_t bits) { return Pte{PteKind::Swap, bits, PteMarker::None, 0, 0, entry}; }
  static Pte make_marker(PteMarker m) { return Pte{PteKind::Marker, 0, m, 0, 0, 0}; }
  bool is_swap() const { return kind == PteKind::Swap; }
  bool is_marker(PteMarker m) const { return kind == PteKind::Marker && marker == m; }

  bool none() const { return kind == PteKind::None; }
  bool is_present() const { return kind == PteKind::Present; }
  Pfn pfn() const { return Pfn(val); }
  bool has(PteBit b) const { return bits & b; }
  bool write() const { return has(PTE_WRITE); }
  bool dirty() const { return has(PTE_DIRTY); }
  void set(PteBit b) { bits |= b; }
  void clear(PteBit b) { bits &= uint8_t(~b); }
  // pte_mkdirty() on x86 also sets _PAGE_SOFT_DIRTY (arch/x86/include/asm/pgtable.h).
  void mkdirty() { bits |= PTE_DIRTY | PTE_SOFT_DIRTY; }
  void wrprotect() { clear(PTE_WRITE); }

  friend bool operator==(const Pte&, const Pte&) = default;
};
static_assert(std::has_unique_object_representations_v<Pte>);
static_assert(sizeof(Pte) == 16);

}  // namespace mmsim
