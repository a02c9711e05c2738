// The list of policy implementations (one accessor per policy). Adding a
// policy: write its file, declare its accessor here, list it in knobs()
// (registry.cpp) and choose it in the profiles that use it.
#pragma once
#include "policy/policy.hpp"

namespace mmsim {
const CowPolicy& mapcount_policy();
const CowPolicy& mapcount_gup_break_policy();
const CowPolicy& refcount_policy();
const CowPolicy& refcount_518_policy();
const CowPolicy& anon_exclusive_policy();
const CowPolicy& anon_exclusive_619_policy();  // 5.19-6.1
const CowPolicy& anon_exclusive_613_policy();  // 6.2-6.13
const ClearRefsPolicy& clear_refs_wrprotect_all_policy();
const ClearRefsPolicy& clear_refs_skip_pinned_policy();
const MprotectUpgradePolicy& mprotect_upgrade_never_policy();
const MprotectUpgradePolicy& mprotect_upgrade_exclusive_policy();
const MprotectUpgradePolicy& mprotect_upgrade_dirty_exclusive_policy();
const HugetlbForkPolicy& hugetlb_fork_share_pinned_policy();
const HugetlbForkPolicy& hugetlb_fork_copy_pinned_policy();
const GmemConversionPolicy& gmem_conversion_none_policy();
const GmemConversionPolicy& gmem_conversion_inplace_policy();
const GmemHugePolicy& gmem_huge_none_policy();
const GmemHugePolicy& gmem_huge_shatter_policy();
const GmemHugePolicy& gmem_huge_split_policy();
const GmemPinPolicy& gmem_pin_plain_policy();
const GmemPinPolicy& gmem_pin_exclusive_policy();
const HugeZeroWpPolicy& huge_zero_wp_alloc_thp_policy();
const HugeZeroWpPolicy& huge_zero_wp_split_policy();
const ThpSplitLockPolicy& thp_split_lock_none_policy();
const ThpSplitLockPolicy& thp_split_lock_page_lock_policy();
const SwapoutPinnedPolicy& swapout_pinned_swap_policy();
const SwapoutPinnedPolicy& swapout_pinned_keep_policy();
const DroppablePolicy& droppable_unsupported_policy();
const DroppablePolicy& droppable_zero_policy();
const DroppablePolicy& droppable_sigbus_policy();
const DroppablePolicy& droppable_refill_policy();
const DroppablePolicy& droppable_pinned_policy();
const MthpPolicy& mthp_unsupported_policy();
const MthpPolicy& mthp_anon_policy();
const DioPolicy& dio_get_policy();
const DioPolicy& dio_pin_policy();
const MremapMovePolicy& mremap_move_single_vma_policy();
const MremapMovePolicy& mremap_move_multi_vma_policy();
}  // namespace mmsim
