# cow.c "vmsplice() + unmap in child" with single PTE of swapped-out THP,
# cow-gup.md §8.2 item 3, §8.3 #3, §8.6 "swapped-out base page" modifier.
# Single PTE of swapped-out THP (cow.c THP_RUN_SINGLE_PTE_SWAPOUT; config
# thp_order=2: the THP is the 4 pages A[4:8] of an 8-page mapping). cow.c's
# do_run_with_thp() order: the memset PMD-maps a THP, MADV_DONTNEED of all
# but the first subpage splits the PMD and leaves one PTE mapping subpage 0
# of a still-large folio (size = 1 page), and only then MADV_PAGEOUT of that
# one page (cow.c SKIPs unless it is swapped). The folio sticks out of the
# range and is split (split_folio(); the unmapped subpages are freed); subpage
# 0 gets a swap PTE (PTE_SWP_EXCLUSIVE in 5.19+) and comes back as a small
# page: it follows the "swapped-out base page" modifier of §8.6.
# CVE-2020-29374. fork duplicates each swap entry (swapcount 2; 5.19+ clears
# the exclusive bit). The child's vmsplice swaps each page in (R/O, swap
# cache, swapcount 2 -> 1), the child unmaps; the parent's write faults hit
# its swap PTEs:
# - <= 5.7 and 5.9-5.17: do_swap_page() -> reuse_swap_page(): mapcount 0 +
#   swapcount 1 -> reuse the page the pipe references: FAIL (LEAK, every page).
# - 5.8: the child's vmsplice is a forced write fault: its swap-in sees
#   swapcount 2 and copies; the pipe holds the child's copies: PASS.
# - 5.18 (c145e0b47c77): refcount > 1 -> R/O + do_wp_page() copy: PASS.
# - 5.19+: the exclusive bit was cleared at fork; refcount > 1: copy: PASS.
# Differs from cow-thp/vmsplice-unmap-in-child-with-single-pte-of-thp.mm (not swapped out: 5.9 PASS, 5.11 PASS).
# Outcome (cow.c): 5.7 FAIL, 5.8 PASS, 5.9 FAIL, 5.11 FAIL, 5.18 PASS, 5.19 PASS, 6.1 PASS, 6.13 PASS, 6.18 PASS.
scenario vmsplice-unmap-in-child-with-single-pte-of-swapped-out-thp
doc "CVE-2020-29374 on a swapped-out single PTE of a THP: the child's pipe must not see the parent's later writes"
ref CVE-2020-29374; tools/testing/selftests/mm/cow.c "vmsplice() + unmap in child" (with single PTE of swapped-out THP)
ref cow.c do_run_with_thp() (THP_RUN_SINGLE_PTE_SWAPOUT)
ref cow-gup.md §7.1, §8.2, §8.3 #3, §8.6; c145e0b47c77
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
P1: vmsplice A[4] -> pipe p     # R/O FOLL_GET (swap-in)
P1: munmap A[4]
P0: write A[4] = 0xff
P1: read pipe p -> x0

expect pmd == false
expect large0 == true
expect gone1 == false
expect gone2 == false
expect gone3 == false
expect s0 == true
expect x0 == 1                     # PASS: the pipe holds the old data
expect[linux-5.7,linux-5.9,linux-5.11] x0 == 0xff     # FAIL: leak
expect leaks == 0
expect[linux-5.7,linux-5.9,linux-5.11] leaks == 1
