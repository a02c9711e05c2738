# mm/swap_slots.c / mm/swapfile.c folio_alloc_swap() (get_swap_page()):
# with 2 swap slots, MADV_PAGEOUT of 4 pages swaps the first two; for the
# others add_to_swap() fails and the folio is activated and kept.
# free_swap counts free slots; rss_swap is MM_SWAPENTS.
scenario swap-exhaustion
doc "When the swap device is full, the remaining anonymous pages stay resident"
ref mm/vmscan.c shrink_folio_list() add_to_swap() failure; mm/swapfile.c
config swap=2

P0: mmap A 4 rw
P0: write A = 1
P0: madvise A pageout
P0: swapped A -> s0, s1, s2, s3
P0: free_swap -> fs
P0: rss_swap -> rs
P0: rss_anon -> ra

expect s0 == true
expect s1 == true
expect s2 == false
expect s3 == false
expect fs == 0
expect rs == 2
expect ra == 2
