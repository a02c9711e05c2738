// Anonymous multi-size THP (mTHP, 6.8+): the per-size sysfs controls and the
// order selection of alloc_anon_folio() (mm/memory.c, include/linux/huge_mm.h).
// An mTHP is a large anonymous folio of an order below the PMD order, mapped
// by PTEs from birth; every other path treats it like a PTE-mapped THP.
#pragma once
#include <optional>

#include "model/kernel.hpp"

namespace mmsim::detail {

// thp_vma_allowable_orders() (include/linux/huge_mm.h) for an anonymous VMA,
// sysfs settings enforced: the orders (bit n = order n, the PMD order included) whose
// hugepages-<size>kB/enabled allows a THP in this VMA: "always", "madvise"
// with VM_HUGEPAGE, "inherit" when the global `enabled` would. 0 for
// VM_NOHUGEPAGE (vma_thp_disabled()).
uint32_t thp_vma_allowable_orders(const State& s, const Vma& vma);

// The order alloc_anon_folio() tries first for a write fault at v: the
// highest allowed order below the PMD order whose naturally aligned range
// lies in the VMA and has only none PTEs (0: order 0). `orders` gets every
// order still to try, in the fallback order of the allocation loop.
unsigned mthp_fault_order(const Kernel& k, MmId mm, const Vma& vma, Vpn v, uint32_t* orders = nullptr);

// alloc_anon_folio() for orders 2..PMD-1 and the large-folio branch of
// do_anonymous_page(): the folio is mapped by 2^order writable, dirty PTEs,
// every subpage PG_anon_exclusive. nullopt: no order applies or none could be
// allocated (the caller falls back to a small page).
std::optional<Outcome> do_anonymous_mthp(Kernel& k, MmId mm, Vma& vma, Vpn v);

}  // namespace mmsim::detail
