# cow.c "Basic COW after fork()" with single PTE of swapped-out THP,
# cow-gup.md §8.2 item 3, §8.3 #1, §8.6 "swapped-out base page" modifier.
# Single PTE of swapped-out THP (cow.c THP_RUN_SINGLE_PTE_SWAPOUT; config
# thp_order=2: the THP is the 4 pages A[4:8] of an 8-page mapping). cow.c's
# do_run_with_thp() order: the memset PMD-maps a THP, MADV_DONTNEED of all
# but the first subpage splits the PMD and leaves one PTE mapping subpage 0
# of a still-large folio (size = 1 page), and only then MADV_PAGEOUT of that
# one page (cow.c SKIPs unless it is swapped). The folio sticks out of the
# range and is split (split_folio(); the unmapped subpages are freed); subpage
# 0 gets a swap PTE (PTE_SWP_EXCLUSIVE in 5.19+) and comes back as a small
# page: it follows the "swapped-out base page" modifier of §8.6.
# fork duplicates each swap entry (swapcount 2; 5.19+ clears the exclusive
# bit). The child reads (swap-in, R/O, into the swap cache); the parent's
# write fault finds the page in the swap cache, mapped by the child, and
# copies (<= 5.17 reuse_swap_page(): mapcount 1 + swapcount 1 = 2 -> no
# reuse; 5.18+ refcount > 1, and 5.19+ the swap PTE is no longer exclusive).
# PASS in every era.
# Same outcomes as cow-thp/basic-cow-after-fork-with-single-pte-of-thp.mm (not swapped out).
# Outcome (cow.c): 5.7 PASS, 5.8 PASS, 5.9 PASS, 5.11 PASS, 5.18 PASS, 5.19 PASS, 6.1 PASS, 6.13 PASS, 6.18 PASS.
scenario basic-cow-after-fork-with-single-pte-of-swapped-out-thp
doc "After fork() of a swapped-out single PTE of a THP the parent's write must not be visible to the child"
ref tools/testing/selftests/mm/cow.c "Basic COW after fork()" (with single PTE of swapped-out THP)
ref cow.c do_run_with_thp() (THP_RUN_SINGLE_PTE_SWAPOUT)
ref cow-gup.md §8.2, §8.3 #1, §8.6
config thp_order=2
config memory=64
config swap=16

P0: mmap A 8 rw
P0: madvise A hugepage
P0: write A[4:8] = 1               # memset(mem, 1, thpsize): PMD-mapped THP
P0: madvise A[5:8] dontneed         # cow.c: MADV_DONTNEED on all but the first subpage
P0: present A[5:8] -> gone1, gone2, gone3
P0: pmd_mapped A[4] -> pmd
P0: thp A[4] -> large0
P0: madvise A[4] pageout            # cow.c: MADV_PAGEOUT of size = pagesize
P0: swapped A[4] -> s0              # cow.c: SKIP unless swapped
P0: fork P1
P1: read A[4] -> o0  # child backs up mem (swap-in)
P0: write A[4] = 0xff             # parent memset(mem, 0xff)
P1: read A[4] -> c0  # child memcmp(old, mem)
P0: read A[4] -> m0

expect pmd == false
expect large0 == true
expect gone1 == false
expect gone2 == false
expect gone3 == false
expect s0 == true
expect o0 == 1
expect c0 == 1                     # PASS: the child still sees the old data
expect m0 == 0xff
expect leaks == 0
