# cow.c "R/O GUP pin on R/O-mapped exclusive page" with swapped out base
# page, cow-gup.md §8.3 #13, §8.6. mprotect(R), clear_refs, mprotect(RW)
# act on the swap PTE; the R/O pin swaps the page in. 5.19+: the swap PTE
# kept the exclusive bit, the page comes back PG_anon_exclusive (mapped R/O:
# soft-dirty tracking wants the write fault), the pin needs no unshare and
# the write reuses it: PASS.
# - <= 5.8: mapcount 1 -> reuse: PASS.
# - 5.9-5.18: the pin's references make the write copy: FAIL.
scenario ro-gup-pin-on-ro-mapped-exclusive-page-with-swapped-out-base-page
doc "A R/O long-term pin on an exclusive, swapped-out page stays coherent"
ref tools/testing/selftests/mm/cow.c "R/O GUP pin on R/O-mapped exclusive page" (with swapped out base page)
ref cow-gup.md §5.5, §5.6, §8.3 #13, §8.6
config swap=4

P0: mmap A 1 rw
P0: write A[0] = 1
P0: madvise A pageout
P0: swapped A[0] -> swapped_out
P0: mprotect A r
P0: clear_refs
P0: mprotect A rw
P0: pin K = A[0] longterm
P0: anon_exclusive A[0] -> pae
P0: write A[0] = 0xff
dma read K[0] -> v
P0: unpin K

expect swapped_out == true
expect pae == true
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] pae == none
expect v == 0xff                    # PASS
expect[linux-5.9,linux-5.11,linux-5.18] v == 1     # FAIL: stale pin
expect lost_coherence == 0
expect[linux-5.9,linux-5.11,linux-5.18] lost_coherence == 1
