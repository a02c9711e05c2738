# cow.c "vmsplice() before fork(), unmap in parent after fork()" with
# swapped out base page, cow-gup.md §7.1 mirror images, §8.3 #5, §8.6. The
# parent's vmsplice swaps the page in (R/O FOLL_GET; 5.8 forces a write
# fault, but the page is exclusive, so no copy), fork shares it, the parent
# unmaps, the child writes:
# - <= 5.8: mapcount 1 -> reuse the page the pipe holds: FAIL (leak from
#   child into parent), as for the base page.
# - 5.9+: refcount > 1 (the pipe) -> copy: PASS.
scenario vmsplice-before-fork-unmap-in-parent-after-fork-with-swapped-out-base-page
doc "A pipe reference to a swapped-in page taken before fork() must not see the child's writes"
ref tools/testing/selftests/mm/cow.c "vmsplice() before fork(), unmap in parent after fork()" (with swapped out base page)
ref cow-gup.md §7.1, §8.3 #5, §8.6
config swap=4

P0: mmap A 1 rw
P0: write A[0] = 1
P0: madvise A pageout
P0: swapped A[0] -> swapped_out
P0: vmsplice A[0] -> pipe p
P0: fork P1
P0: munmap A
P1: write A[0] = 0xff
P1: exit
P0: read pipe p -> x

expect swapped_out == true
expect x == 1                       # PASS
expect[linux-5.7,linux-5.8] x == 0xff         # FAIL: leak from child into parent
expect leaks == 0
expect[linux-5.7,linux-5.8] leaks == 1
