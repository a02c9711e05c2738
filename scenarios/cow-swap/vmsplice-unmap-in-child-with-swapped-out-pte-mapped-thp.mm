# cow.c "vmsplice() + unmap in child" with swapped-out, PTE-mapped THP,
# cow-gup.md §8.2 item 3, §8.3 #3, §8.6 "swapped-out base page" modifier.
# Swapped-out, PTE-mapped THP (cow.c THP_RUN_PTE_SWAPOUT; config thp_order=2:
# the THP is the 4 pages A[4:8] of an 8-page mapping): the memset PMD-maps a
# THP, mprotect(R)+mprotect(RW) of its second page splits the PMD (all 4
# PTEs keep PAE in 5.19+), then MADV_PAGEOUT of the whole THP (cow.c SKIPs
# unless every page is swapped). The model splits the folio before swap-out
# (as with CONFIG_THP_SWAP=n, src/model/vmscan.cpp), so each subpage gets a
# swap PTE (PTE_SWP_EXCLUSIVE in 5.19+) and comes back as a small page: the
# PTE-mapped THP rules of §8.6 (subpage refcount >= the folio's PTE mappings
# under B) do not apply; every page follows the "swapped-out base page"
# modifier of §8.6.
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
# Differs from cow-thp/vmsplice-unmap-in-child-with-pte-mapped-thp.mm (not swapped out: 5.9 PASS, 5.11 PASS).
# Outcome (cow.c): 5.7 FAIL, 5.8 PASS, 5.9 FAIL, 5.11 FAIL, 5.18 PASS, 5.19 PASS, 6.1 PASS, 6.13 PASS, 6.18 PASS.
scenario vmsplice-unmap-in-child-with-swapped-out-pte-mapped-thp
doc "CVE-2020-29374 on a swapped-out PTE-mapped THP: the child's pipe must not see the parent's later writes"
ref CVE-2020-29374; tools/testing/selftests/mm/cow.c "vmsplice() + unmap in child" (with swapped-out, PTE-mapped THP)
ref cow.c do_run_with_thp() (THP_RUN_PTE_SWAPOUT)
ref cow-gup.md §7.1, §8.2, §8.3 #3, §8.6; c145e0b47c77
config thp_order=2
config memory=64
config swap=16

P0: mmap A 8 rw
P0: madvise A hugepage
P0: write A[4:8] = 1               # memset(mem, 1, thpsize): PMD-mapped THP
P0: mprotect A[5] r                # cow.c: mprotect(mem + pagesize, pagesize, PROT_READ)
P0: mprotect A[5] rw               # ... and back: the PMD is split
P0: pmd_mapped A[4] -> pmd
P0: thp A[4:8] -> large0, large1, large2, large3
P0: madvise A[4:8] pageout          # MADV_PAGEOUT of the whole THP
P0: swapped A[4:8] -> s0, s1, s2, s3  # cow.c: SKIP unless all swapped
P0: fork P1
P1: vmsplice A[4:8] -> pipe p     # R/O FOLL_GET (swap-in)
P1: munmap A[4:8]
P0: write A[4:8] = 0xff
P1: read pipe p -> x0
P1: read pipe p -> x1
P1: read pipe p -> x2
P1: read pipe p -> x3

expect pmd == false
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
