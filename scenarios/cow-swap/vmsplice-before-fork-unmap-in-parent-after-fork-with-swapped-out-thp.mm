# cow.c "vmsplice() before fork(), unmap in parent after fork()" with swapped-out THP,
# cow-gup.md §8.2 item 3, §8.3 #5, §8.6 "swapped-out base page" modifier.
# Swapped-out THP (cow.c THP_RUN_PMD_SWAPOUT; config thp_order=2: the THP is
# the 4 pages A[4:8] of an 8-page mapping): the memset PMD-maps a THP, then
# MADV_PAGEOUT of the whole THP (cow.c SKIPs unless every page is swapped).
# The model splits the folio before swap-out (as with CONFIG_THP_SWAP=n,
# src/model/vmscan.cpp), so each subpage gets a swap PTE of its own
# (PTE_SWP_EXCLUSIVE in 5.19+: the PMD was PG_anon_exclusive) and comes back
# as a small page. No THP is left to fault on, so the PMD-mapped THP rules of
# §8.6 (do_huge_pmd_wp_page()) do not apply: every page follows the
# "swapped-out base page" modifier of §8.6.
# The parent's vmsplice swaps each page in (R/O FOLL_GET; 5.8 forces a write
# fault, but the page is exclusive: mapcount 0 + swapcount 1, no copy), fork
# shares the present pages, the parent unmaps, the child writes:
# - <= 5.8: mapcount 1 -> reuse the pages the pipe holds: FAIL (leak from
#   child into parent), as for the base page.
# - 5.9+: refcount > 1 (the pipe, and <= 5.17 the swap cache) -> copy: PASS.
# Differs from cow-thp/vmsplice-before-fork-unmap-in-parent-after-fork-with-thp.mm (not swapped out: 5.9 FAIL, 5.11 FAIL).
# Outcome (cow.c): 5.7 FAIL, 5.8 FAIL, 5.9 PASS, 5.11 PASS, 5.18 PASS, 5.19 PASS, 6.1 PASS, 6.13 PASS, 6.18 PASS.
scenario vmsplice-before-fork-unmap-in-parent-after-fork-with-swapped-out-thp
doc "A pipe reference to a swapped-in THP taken before fork() must not see the child's writes"
ref tools/testing/selftests/mm/cow.c "vmsplice() before fork(), unmap in parent after fork()" (with swapped-out THP)
ref cow.c do_run_with_thp() (THP_RUN_PMD_SWAPOUT)
ref cow-gup.md §7.1, §8.2, §8.3 #5, §8.6
config thp_order=2
config memory=64
config swap=16

P0: mmap A 8 rw
P0: madvise A hugepage
P0: write A[4:8] = 1               # memset(mem, 1, thpsize): PMD-mapped THP
P0: pmd_mapped A[4] -> pmd
P0: thp A[4:8] -> large0, large1, large2, large3
P0: madvise A[4:8] pageout          # MADV_PAGEOUT of the whole THP
P0: swapped A[4:8] -> s0, s1, s2, s3  # cow.c: SKIP unless all swapped
P0: vmsplice A[4:8] -> pipe p     # R/O FOLL_GET (swap-in)
P0: fork P1
P0: munmap A[4:8]
P1: write A[4:8] = 0xff
P1: exit
P0: read pipe p -> x0
P0: read pipe p -> x1
P0: read pipe p -> x2
P0: read pipe p -> x3

expect pmd == true
expect large0 == true
expect large1 == true
expect large2 == true
expect large3 == true
expect s0 == true
expect s1 == true
expect s2 == true
expect s3 == true
expect x0 == 1                     # PASS: the pipe holds the old data
expect[linux-5.7,linux-5.8] x0 == 0xff     # FAIL: leak
expect x1 == 1                     # PASS: the pipe holds the old data
expect[linux-5.7,linux-5.8] x1 == 0xff     # FAIL: leak
expect x2 == 1                     # PASS: the pipe holds the old data
expect[linux-5.7,linux-5.8] x2 == 0xff     # FAIL: leak
expect x3 == 1                     # PASS: the pipe holds the old data
expect[linux-5.7,linux-5.8] x3 == 0xff     # FAIL: leak
expect leaks == 0
expect[linux-5.7,linux-5.8] leaks == 4        # one per page read from the pipe
