# cow-gup.md §7.6d (io_uring_swap.c): a io_uring fixed buffer is a R/W
# long-term FOLL_PIN. MADV_PAGEOUT, then P reads and writes the buffer, and
# the device reads it.
# - 5.9 (and 5.10.0-8): shrink_page_list() swaps pinned pages like any
#   other (swapout-pinned=swap): the read swap-in maps X R/O from the swap
#   cache, the write sees refcount > 1 -> COPY: the device reads stale data.
# - 5.11+ (feb889fb40fa, 5.10.y): maybe-pinned pages are kept out of the
#   swap cache; 5.19+: folio_try_share_anon_rmap_pte() also refuses: never
#   unmapped -> coherent. (The 5.10+ check races with concurrent pinning:
#   rare corruption remained until 5.19; not modelled.)
# - <= 5.8: swapped out too, but reuse_swap_page() (mapcount 1) reuses X on
#   the write: coherent.
scenario iouring-pin-pageout
doc "io_uring fixed buffer + swap-out: 5.9 swaps the pinned page and the next write copies it"
ref cow-gup.md §7.6d, §4.4, §5.6; feb889fb40fa; io_uring_swap.c
config swap=4

P0: mmap A 1 rw
P0: write A[0] = 1
P0: pin K = A[0] write longterm
P0: madvise A pageout
P0: swapped A[0] -> s
P0: read A[0] -> x
P0: write A[0] = 2
dma read K[0] -> v
P0: unpin K

expect s == false
expect x == 1
expect v == 2                       # coherent
expect[swapout-pinned=swap] s == true
expect[linux-5.9] v == 1            # stale: the write copied
expect lost_coherence == 0
expect[linux-5.9] lost_coherence == 1
