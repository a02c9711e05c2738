# cow.c "vmsplice() + unmap in child with mprotect() optimization" with swapped-out THP,
# cow-gup.md §8.2 item 3, §8.3 #4, §8.6 "swapped-out base page" modifier.
# Swapped-out THP (cow.c THP_RUN_PMD_SWAPOUT; config thp_order=2: the THP is
# the 4 pages A[4:8] of an 8-page mapping): the memset PMD-maps a THP, then
# MADV_PAGEOUT of the whole THP (cow.c SKIPs unless every page is swapped).
# The model splits the folio before swap-out (as with CONFIG_THP_SWAP=n,
# src/model/vmscan.cpp), so each subpage gets a swap PTE of its own
# (PTE_SWP_EXCLUSIVE in 5.19+: the PMD was PG_anon_exclusive) and comes back
# as a small page. No THP is left to fault on, so the PMD-mapped THP rules of
# §8.6 (do_huge_pmd_wp_page()) do not apply: every page follows the
# "swapped-out base page" modifier of §8.6.
# CVE-2020-29374 as #3; the parent's mprotect(R)+mprotect(RW) of its swap
# PTEs changes nothing. <= 5.7 and 5.9-5.17: reuse_swap_page() (mapcount 0 +
# swapcount 1) reuses the pages the child's pipe holds: FAIL (LEAK). 5.8:
# the child's forced write fault copied: PASS. 5.18+: refcount > 1 (5.19+
# and no exclusive bit) -> copy: PASS.
# Same outcomes as cow-thp/vmsplice-unmap-in-child-with-mprotect-optimization-with-thp.mm (not swapped out).
# Outcome (cow.c): 5.7 FAIL, 5.8 PASS, 5.9 FAIL, 5.11 FAIL, 5.18 PASS, 5.19 PASS, 6.1 PASS, 6.13 PASS, 6.18 PASS.
scenario vmsplice-unmap-in-child-with-mprotect-optimization-with-swapped-out-thp
doc "CVE-2020-29374 on a swapped-out THP, with the mprotect() optimization"
ref CVE-2020-29374; tools/testing/selftests/mm/cow.c "vmsplice() + unmap in child with mprotect() optimization" (with swapped-out THP)
ref cow.c do_run_with_thp() (THP_RUN_PMD_SWAPOUT)
ref cow-gup.md §7.1, §8.2, §8.3 #4, §8.6; c145e0b47c77
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
P0: fork P1
P1: vmsplice A[4:8] -> pipe p     # R/O FOLL_GET (swap-in)
P1: munmap A[4:8]
P0: mprotect A[4:8] r
P0: mprotect A[4:8] rw
P0: write A[4:8] = 0xff
P1: read pipe p -> x0
P1: read pipe p -> x1
P1: read pipe p -> x2
P1: read pipe p -> x3

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
expect[linux-5.7,linux-5.9,linux-5.11] x0 == 0xff     # FAIL: leak
expect x1 == 1                     # PASS: the pipe holds the old data
expect[linux-5.7,linux-5.9,linux-5.11] x1 == 0xff     # FAIL: leak
expect x2 == 1                     # PASS: the pipe holds the old data
expect[linux-5.7,linux-5.9,linux-5.11] x2 == 0xff     # FAIL: leak
expect x3 == 1                     # PASS: the pipe holds the old data
expect[linux-5.7,linux-5.9,linux-5.11] x3 == 0xff     # FAIL: leak
expect leaks == 0
expect[linux-5.7,linux-5.9,linux-5.11] leaks == 4        # one per page read from the pipe
