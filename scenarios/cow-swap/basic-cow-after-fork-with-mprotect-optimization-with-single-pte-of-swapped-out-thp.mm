# cow.c "Basic COW after fork() with mprotect() optimization" with single PTE of swapped-out THP,
# cow-gup.md §8.2 item 3, §8.3 #2, §8.6 "swapped-out base page" modifier.
# Single PTE of swapped-out THP (cow.c THP_RUN_SINGLE_PTE_SWAPOUT; config
# thp_order=2: the THP is the 4 pages A[4:8] of an 8-page mapping). cow.c's
# do_run_with_thp() order: the memset PMD-maps a THP, MADV_DONTNEED of all
# but the first subpage splits the PMD and leaves one PTE mapping subpage 0
# of a still-large folio (size = 1 page), and only then MADV_PAGEOUT of that
# one page (cow.c SKIPs unless it is swapped). The folio sticks out of the
# range and is split (split_folio(); the unmapped subpages are freed); subpage
# 0 gets a swap PTE (PTE_SWP_EXCLUSIVE in 5.19+) and comes back as a small
# page: it follows the "swapped-out base page" modifier of §8.6.
# As #1: fork duplicates the swap entries; mprotect(R)+mprotect(RW) of swap
# PTEs changes nothing that could map a page writable; the parent's write
# swaps in a page the child also maps and copies. PASS in every era.
# Same outcomes as cow-thp/basic-cow-after-fork-with-mprotect-optimization-with-single-pte-of-thp.mm (not swapped out).
# Outcome (cow.c): 5.7 PASS, 5.8 PASS, 5.9 PASS, 5.11 PASS, 5.18 PASS, 5.19 PASS, 6.1 PASS, 6.13 PASS, 6.18 PASS.
scenario basic-cow-after-fork-with-mprotect-optimization-with-single-pte-of-swapped-out-thp
doc "mprotect(R)+mprotect(RW) after fork() of a swapped-out single PTE of a THP must not map it writable"
ref tools/testing/selftests/mm/cow.c "Basic COW after fork() with mprotect() optimization" (with single PTE of swapped-out THP)
ref cow.c do_run_with_thp() (THP_RUN_SINGLE_PTE_SWAPOUT)
ref cow-gup.md §8.2, §8.3 #2, §8.6
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
P0: mprotect A[4] r
P0: mprotect A[4] rw
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
