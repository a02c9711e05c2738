// The swap device and the swap cache (mm/swapfile.c, mm/swap_state.c) and the
// swap-in fault (do_swap_page(), mm/memory.c). A swap PTE holds the slot
// index; a slot counts the swap PTEs that reference it (swap_map) and may
// have a folio in the swap cache (SWAP_HAS_CACHE), which holds one reference.
#pragma once
#include "model/kernel.hpp"

namespace mmsim::detail {

// vm_swap_full(): more than half of the swap space is in use.
bool vm_swap_full(const State& s);
// add_to_swap(): give a folio a free slot (the lowest) and put it into the
// swap cache (+1 reference, PG_swapcache, dirty). false: no free slot.
bool add_to_swap(Kernel& k, Pfn head);
// __delete_from_swap_cache() + put: the folio leaves the swap cache; the slot
// is released once no swap PTE references it.
void delete_from_swap_cache(Kernel& k, Pfn head);
// swap_duplicate(): one more swap PTE references the slot (fork, unmap).
void swap_duplicate(State& s, uint32_t slot);
// swap_free(): one swap PTE fewer.
void swap_free(State& s, uint32_t slot);
// free_swap_and_cache(): a swap PTE was zapped; also drop the swap-cache
// folio when nothing maps it and nothing else uses the slot.
void free_swap_and_cache(Kernel& k, uint32_t slot);
// do_swap_page() for the swap PTE `orig` at v.
Outcome do_swap_page(Kernel& k, MmId mm, Vma& vma, Vpn v, Pte orig, bool write);

}  // namespace mmsim::detail
