# mm/memory.c zap_nonpresent_ptes() -> free_swap_and_cache(): unmapping a
# swap PTE drops its reference on the slot; the last one frees the slot
# (and a page in the swap cache that nobody maps). rss_swap (MM_SWAPENTS)
# goes back to 0 and free_swap to the whole device.
scenario munmap-frees-swap-entries
doc "munmap() of swapped-out pages frees their swap slots"
ref mm/memory.c zap_nonpresent_ptes(); mm/swapfile.c free_swap_and_cache()
config swap=4

P0: mmap A 3 rw
P0: write A = 1
P0: madvise A pageout
P0: free_swap -> before
P0: rss_swap -> rs_before
P0: munmap A
P0: free_swap -> after
P0: rss_swap -> rs_after

expect before == 1
expect rs_before == 3
expect after == 4
expect rs_after == 0
