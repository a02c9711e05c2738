# cow.c "R/O-mapping a page registered as iouring fixed buffer" with swapped
# out base page, cow-gup.md §7.3, §8.3 #7, §8.6. Registering the buffer
# (R/W long-term pin) swaps the page in with a write fault; then
# mprotect(R), clear_refs, mprotect(RW) and a write:
# - <= 5.8: mapcount 1 -> reuse: PASS.
# - 5.9-5.18: refcount >= 1025 -> copy: the fixed buffer is stale: FAIL.
# - 5.19+: PG_anon_exclusive -> reuse: PASS.
scenario ro-mapping-a-page-registered-as-iouring-fixed-buffer-with-swapped-out-base-page
doc "mprotect(R)+clear_refs+mprotect(RW) of a pinned, previously swapped-out page must keep the pin coherent"
ref tools/testing/selftests/mm/cow.c "R/O-mapping a page registered as iouring fixed buffer" (with swapped out base page)
ref cow-gup.md §7.3, §8.3 #7, §8.6
config swap=4

P0: mmap A 1 rw
P0: write A[0] = 1
P0: madvise A pageout
P0: swapped A[0] -> swapped_out
P0: pin K = A[0] write longterm     # io_uring fixed buffer (swap-in)
P0: mprotect A r
P0: clear_refs
P0: mprotect A rw
P0: write A[0] = 0xff
dma read K[0] -> v
P0: unpin K

expect swapped_out == true
expect v == 0xff                    # PASS
expect[linux-5.9,linux-5.11,linux-5.18] v == 1     # FAIL: stale fixed buffer
expect lost_coherence == 0
expect[linux-5.9,linux-5.11,linux-5.18] lost_coherence == 1
