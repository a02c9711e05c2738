# mm/rmap.c try_to_unmap_one(): a MADV_FREE'd folio written again is dirty,
# so the discard is refused and folio_set_swapbacked() makes it ordinary
# anon again (back on the anon list, activated). Here MADV_PAGEOUT does the
# first pass: the clean neighbour A[0] is discarded (reads 0, no swap), A[1]
# is kept. With a swap device, a later reclaim then swaps A[1] out like any
# other anon page -- its data survives.
scenario madvise-free-redirtied-then-swapped
doc "A re-dirtied MADV_FREE page becomes swap-backed again and is later swapped out, not discarded"
ref mm/rmap.c try_to_unmap_one(); mm/madvise.c madvise_free_pte_range()
config swap=4

P0: mmap A 2 rw
P0: write A = 0xaa
P0: madvise A free
P0: write A[1] = 0xbb
P0: madvise A pageout               # A[0] discarded; A[1] swap-backed again, activated
P0: lazyfree A[1] -> lf
P0: swapped A[1] -> s_first
reclaim                             # aged to the inactive list, then swapped
P0: swapped A[0] -> s0
P0: swapped A[1] -> s1
P0: read A[0] -> a0
P0: read A[1] -> a1

expect lf == false
expect s_first == false
expect s0 == false
expect s1 == true
expect a0 == 0
expect a1 == 0xbb
