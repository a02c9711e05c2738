# cow.c "R/O GUP-fast pin on R/O-mapped shared page" with swapped out base page,
# cow-gup.md §8.3 #10, §8.6. fork shares the swap entry (child alive); the
# R/O long-term pin swaps the page in for the parent (R/O, shared with the
# child's swap entry), then the parent writes and the device reads.
# - 5.19+: the page is not PG_anon_exclusive (the exclusive bit was cleared
#   at fork) -> the pin unshares; the child still holds the swap entry, so
#   the unshare copies; the write reuses the pinned copy: PASS.
# - 5.8: the forced write fault copies at pin time: PASS.
# - 5.7, 5.9-5.18: the pin takes the shared page, the write copies: FAIL.
scenario ro-gup-fast-pin-on-ro-mapped-shared-page-with-swapped-out-base-page
doc "A R/O long-term pin on a COW-shared, swapped-out page must see the parent's later writes"
ref tools/testing/selftests/mm/cow.c "R/O GUP-fast pin on R/O-mapped shared page" (with swapped out base page)
ref cow-gup.md §5.5, §5.6, §8.3 #10, §8.6
config swap=4

P0: mmap A 1 rw
P0: write A[0] = 1
P0: madvise A pageout
P0: swapped A[0] -> swapped_out
P0: fork P1                         # child stays alive
P0: pin K = A[0] longterm fast
P0: write A[0] = 0xff
dma read K[0] -> v
P1: read A[0] -> child_sees
P0: unpin K

expect swapped_out == true
expect v == 0xff                    # PASS
expect child_sees == 1
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] v == 1     # FAIL: stale pin
expect lost_coherence == 0
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] lost_coherence == 1
