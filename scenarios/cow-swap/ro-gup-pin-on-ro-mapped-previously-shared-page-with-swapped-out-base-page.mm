# cow.c "R/O GUP pin on R/O-mapped previously-shared page" with swapped out
# base page, cow-gup.md §8.3 #11, §8.6. fork, the child exits at once: the
# parent's swap entry is no longer shared, but fork cleared its exclusive
# bit. The R/O pin swaps the page in R/O and not PG_anon_exclusive (5.19+),
# then unshares: folio_free_swap() succeeds, refcount 1 -> reuse and mark
# exclusive: the write reuses the pinned page: PASS (5.19+).
# - <= 5.8: mapcount 1 -> the write reuses: PASS.
# - 5.9-5.18: the pin's references make the write copy: FAIL.
scenario ro-gup-pin-on-ro-mapped-previously-shared-page-with-swapped-out-base-page
doc "A R/O long-term pin on a previously shared, swapped-out page stays coherent (5.19+)"
ref tools/testing/selftests/mm/cow.c "R/O GUP pin on R/O-mapped previously-shared page" (with swapped out base page)
ref cow-gup.md §5.5, §5.6, §8.3 #11, §8.6
config swap=4

P0: mmap A 1 rw
P0: write A[0] = 1
P0: madvise A pageout
P0: swapped A[0] -> swapped_out
P0: fork P1
P1: exit
P0: pin K = A[0] longterm
P0: anon_exclusive A[0] -> pae
P0: write A[0] = 0xff
dma read K[0] -> v
P0: unpin K

expect swapped_out == true
expect pae == true                  # the unshare marked it exclusive
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] pae == none
expect v == 0xff                    # PASS
expect[linux-5.9,linux-5.11,linux-5.18] v == 1     # FAIL: stale pin
expect lost_coherence == 0
expect[linux-5.9,linux-5.11,linux-5.18] lost_coherence == 1
