# cow-gup.md §5.6, §6 row 14, §4.4, droppable.md §4.3. A long-term R/W pin
# (io_uring fixed buffer) on A[0]; MADV_PAGEOUT with swap configured.
# - 5.19+: try_to_unmap_one() -> folio_try_share_anon_rmap_pte() fails for
#   a maybe-pinned exclusive page: the unmap is aborted, the page stays mapped;
# - 5.11-5.18 (and 5.10.y): feb889fb40fa "mm: don't put pinned pages into the
#   swap cache": shrink_page_list() skips it (swapout-pinned=keep);
# - <= 5.9 (swapout-pinned=swap): the pinned page is added to the swap cache
#   and unmapped like any other: a swap PTE, the page itself lives on in the
#   swap cache because the pin holds it.
# The unpinned neighbour A[1] is swapped out in every profile.
scenario pinned-never-reclaimed
doc "A pinned anonymous page is not swapped out (5.11+); 5.9 and older swap it like any other"
ref cow-gup.md §5.6, §4.4; feb889fb40fa; try_to_unmap_one(), folio_try_share_anon_rmap_pte()
config swap=4

P0: mmap A 2 rw
P0: write A = 1
P0: pin K = A[0] write longterm
P0: madvise A pageout
P0: swapped A[0] -> s0
P0: swapped A[1] -> s1
P0: unpin K

expect s0 == false
expect s1 == true
expect[swapout-pinned=swap] s0 == true
