# cow.c "Basic COW after fork()" with swapped out base page, cow-gup.md §8.2
# variant 2, §8.3 #1, §8.6. The page is swapped out before fork:
# copy_nonpresent_pte() duplicates the swap entry (swapcount 2) and, 5.19+,
# clears the exclusive bit. The child reads (swap-in, R/O, into the swap
# cache), the parent writes: its do_swap_page() finds the page in the swap
# cache, shared with the child, and copies (<= 5.17 reuse_swap_page():
# mapcount 1 + swapcount 1 = 2 -> no reuse; 5.18+ refcount > 1). PASS in
# every era.
scenario basic-cow-after-fork-with-swapped-out-base-page
doc "After fork() of a swapped-out page the parent's write must not be visible to the child"
ref tools/testing/selftests/mm/cow.c "Basic COW after fork()" (with swapped out base page)
ref cow-gup.md §8.2, §8.3 #1, §8.6
config swap=4

P0: mmap A 1 rw
P0: write A[0] = 1                  # memset(mem, 1, pagesize)
P0: madvise A pageout
P0: swapped A[0] -> swapped_out
P0: fork P1
P1: read A[0] -> old                # child backs up mem (swap-in)
P0: write A[0] = 0xff               # parent memset(mem, 0xff)
P0: pfn A[0] -> p1
P1: pfn A[0] -> c1
P1: read A[0] -> now
P0: read A[0] -> mine

expect swapped_out == true
expect old == 1
expect now == 1                     # PASS
expect mine == 0xff
expect c1 != p1
