# cow.c "vmsplice() + unmap in child" with swapped out base page
# (CVE-2020-29374), cow-gup.md §7.1 swapped-out variant, §8.3 #3, §8.6
# "swapped-out base page" modifier. The child's vmsplice swaps the page in
# (R/O, swap cache, swapcount 2 -> 1), the child unmaps; the parent's write
# fault hits its swap PTE:
# - <= 5.7 and 5.9-5.17: do_swap_page() -> reuse_swap_page(): mapcount 0 +
#   swapcount 1 -> reuse the page the pipe references: FAIL (LEAK); under B
#   this is the difference from the base page, which PASSes.
# - 5.8: the child's vmsplice is a forced write fault: its swap-in copies;
#   the pipe holds the child's copy: PASS.
# - 5.18 (c145e0b47c77): refcount > 1 -> R/O + do_wp_page() copy: PASS.
# - 5.19+: the exclusive bit was cleared at fork; refcount > 1: copy: PASS.
scenario vmsplice-unmap-in-child-with-swapped-out-base-page
doc "CVE-2020-29374 on a swapped-out page: the child's pipe must not see the parent's later writes"
ref CVE-2020-29374; tools/testing/selftests/mm/cow.c "vmsplice() + unmap in child" (with swapped out base page)
ref cow-gup.md §7.1, §8.3 #3, §8.6; c145e0b47c77
config swap=4

P0: mmap A 1 rw
P0: write A[0] = 1
P0: madvise A pageout
P0: swapped A[0] -> swapped_out
P0: fork P1
P1: vmsplice A[0] -> pipe p
P1: munmap A
P0: write A[0] = 0xff
P1: read pipe p -> x

expect swapped_out == true
expect x == 1                       # PASS
expect[linux-5.7,linux-5.9,linux-5.11] x == 0xff     # FAIL: leak
expect leaks == 0
expect[linux-5.7,linux-5.9,linux-5.11] leaks == 1
