# cow.c "vmsplice() + unmap in parent after fork()" with swapped out base
# page, cow-gup.md §7.1 mirror images, §8.3 #6, §8.6 "swapped-out" modifier.
# fork shares the swap entry (swapcount 2); the parent's vmsplice swaps the
# page in, the parent unmaps; the child's write hits its swap PTE:
# - <= 5.7 and 5.9-5.17: reuse_swap_page(): mapcount 0 + swapcount 1 ->
#   reuse the page the parent's pipe holds: FAIL (leak from child into
#   parent); under B this is the difference from the base page.
# - 5.8: the parent's vmsplice was a forced write fault and copied: PASS.
# - 5.18+: refcount > 1 -> copy: PASS.
scenario vmsplice-unmap-in-parent-after-fork-with-swapped-out-base-page
doc "The parent's pipe reference to a swapped-in page must not see the child's writes"
ref tools/testing/selftests/mm/cow.c "vmsplice() + unmap in parent after fork()" (with swapped out base page)
ref cow-gup.md §7.1, §8.3 #6, §8.6
config swap=4

P0: mmap A 1 rw
P0: write A[0] = 1
P0: madvise A pageout
P0: swapped A[0] -> swapped_out
P0: fork P1
P0: vmsplice A[0] -> pipe p
P0: munmap A
P1: write A[0] = 0xff
P1: exit
P0: read pipe p -> x

expect swapped_out == true
expect x == 1                       # PASS
expect[linux-5.7,linux-5.9,linux-5.11] x == 0xff     # FAIL: leak
expect leaks == 0
expect[linux-5.7,linux-5.9,linux-5.11] leaks == 1
