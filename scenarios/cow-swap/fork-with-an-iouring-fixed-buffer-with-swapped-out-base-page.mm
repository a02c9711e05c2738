# cow.c "fork() with an iouring fixed buffer" with swapped out base page,
# cow-gup.md §7.4, §8.3 #8, §8.6. Registering swaps the page in (write
# fault) and pins it; then as for the base page:
# - <= 5.8: fork shares the pinned page; the parent's write copies: FAIL.
# - 5.9+: fork gives the child a copy of the maybe-pinned page: PASS.
scenario fork-with-an-iouring-fixed-buffer-with-swapped-out-base-page
doc "fork() must not share a pinned, previously swapped-out page"
ref tools/testing/selftests/mm/cow.c "fork() with an iouring fixed buffer" (with swapped out base page)
ref cow-gup.md §7.4, §8.3 #8, §8.6
config swap=4

P0: mmap A 1 rw
P0: write A[0] = 1
P0: madvise A pageout
P0: swapped A[0] -> swapped_out
P0: pin K = A[0] write longterm
P0: fork P1                         # child kept alive
P0: write A[0] = 0xff
dma read K[0] -> v
P1: read A[0] -> child_sees

expect swapped_out == true
expect v == 0xff                    # PASS
expect child_sees == 1
expect[linux-5.7,linux-5.8] v == 1         # FAIL: stale pin
expect lost_coherence == 0
expect[linux-5.7,linux-5.8] lost_coherence == 1
