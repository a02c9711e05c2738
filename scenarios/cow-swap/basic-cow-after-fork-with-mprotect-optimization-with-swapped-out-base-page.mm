# cow.c "Basic COW after fork() with mprotect() optimization" with swapped
# out base page, cow-gup.md §8.3 #2, §8.6. mprotect(R)+mprotect(RW) of swap
# PTEs changes nothing that could map the page writable; the parent's write
# swaps in a page the child also maps (or still references by swap entry)
# and copies. PASS in every era.
scenario basic-cow-after-fork-with-mprotect-optimization-with-swapped-out-base-page
doc "mprotect(R)+mprotect(RW) after fork() of a swapped-out page must not map it writable"
ref tools/testing/selftests/mm/cow.c "Basic COW after fork() with mprotect() optimization" (with swapped out base page)
ref cow-gup.md §8.3 #2, §8.6
config swap=4

P0: mmap A 1 rw
P0: write A[0] = 1
P0: madvise A pageout
P0: swapped A[0] -> swapped_out
P0: fork P1
P1: read A[0] -> old
P0: mprotect A r
P0: mprotect A rw
P0: write A[0] = 0xff
P0: pfn A[0] -> p1
P1: pfn A[0] -> c1
P1: read A[0] -> now

expect swapped_out == true
expect old == 1
expect now == 1                     # PASS
expect c1 != p1
