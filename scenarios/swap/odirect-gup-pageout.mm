# cow-gup.md §7.6c (Andrea Arcangeli's page_count_do_wp_page-swap.c): an
# O_DIRECT read in flight holds a FOLL_GET|FOLL_WRITE reference on X
# (gup ... write). Reclaim unmaps X into the swap cache anyway (a FOLL_GET
# reference blocks neither the unmap nor, 5.19+, folio_try_share_anon_rmap_pte()).
# P reads (swap-in: the same X, still in the swap cache) and then writes;
# the DMA completes into X.
# - <= 5.8 (A, A'): reuse_swap_page(): mapcount 1 -> REUSE -> coherent.
# - 5.9-5.17 (B): the write fault after the R/O swap-in sees refcount > 1
#   -> COPY -> the DMA lands in the orphaned X: lost ("we can similarly create
#   a memory corruption without clear_refs, simply by concurrently swapping
#   out the buffer pages", 15 Nov 2021 summary).
# - 5.18: refcount > 1 + swapcache -> COPY -> lost.
# - 5.19+: the swap PTE carried the exclusive bit -> PG_anon_exclusive at
#   swap-in -> REUSE -> coherent.
scenario odirect-gup-pageout
doc "O_DIRECT (FOLL_GET) + swap-out + write: the DMA is lost in 5.9-5.18"
ref cow-gup.md §7.6c, §5.6; page_count_do_wp_page-swap.c
config swap=4

P0: mmap A 1 rw
P0: write A[0] = 1
P0: gup K = A[0] write
P0: madvise A pageout
P0: swapped A[0] -> s
P0: read A[0] -> x
P0: write A[0] = 2
dma write K[0] = 0xd0
P0: read A[0] -> seen
P0: put K

expect s == true
expect x == 1
expect seen == 0xd0                 # coherent: the DMA reached P's page
expect[linux-5.9,linux-5.11,linux-5.18] seen == 2   # lost
expect lost_coherence == 0
expect[linux-5.9,linux-5.11,linux-5.18] lost_coherence == 1
