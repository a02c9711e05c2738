# cow.c "vmsplice() + unmap in child with mprotect() optimization" with
# swapped out base page, cow-gup.md §8.3 #4, §8.6: as #3, the parent's
# mprotect(R)+mprotect(RW) of its swap PTE changes nothing. FAIL (leak) in
# <= 5.7 and 5.9-5.17 through reuse_swap_page(); PASS elsewhere.
scenario vmsplice-unmap-in-child-with-mprotect-optimization-with-swapped-out-base-page
doc "CVE-2020-29374 on a swapped-out page, with the mprotect() optimization"
ref CVE-2020-29374; tools/testing/selftests/mm/cow.c "vmsplice() + unmap in child with mprotect() optimization" (with swapped out base page)
ref cow-gup.md §7.1, §8.3 #4, §8.6
config swap=4

P0: mmap A 1 rw
P0: write A[0] = 1
P0: madvise A pageout
P0: swapped A[0] -> swapped_out
P0: fork P1
P1: vmsplice A[0] -> pipe p
P1: munmap A
P0: mprotect A r
P0: mprotect A rw
P0: write A[0] = 0xff
P1: read pipe p -> x

expect swapped_out == true
expect x == 1                       # PASS
expect[linux-5.7,linux-5.9,linux-5.11] x == 0xff     # FAIL: leak
expect leaks == 0
expect[linux-5.7,linux-5.9,linux-5.11] leaks == 1
