# cow.c "vmsplice() + unmap in child" (with THP), cow-gup.md §8.3 #3, §8.2 item 3, §8.6.
# PMD-mapped THP (config thp_order=2: a THP is 4 pages; A[4:8] is the
# aligned THP). do_huge_pmd_wp_page(): 5.7 reuse by mapcount, else copy the
# whole THP (§3.6); 5.8 reuse by mapcount, else split + 4K copy (3917c80280c9);
# 5.9-5.17 still reuse_swap_page() = mapcount (§4.2); 5.18 reuse iff ref == 1,
# else split (§4.6); 6.18 reuse iff PAE or ref == 1, else split (§5.8).
# CVE-2020-29374 on a PMD-mapped THP. 5.7: the child's pipe references do not
# count, the parent's PMD has mapcount 1 => do_huge_pmd_wp_page() reuses => LEAK.
# 5.8: the child's R/O GUP is a forced write fault (17839856fd58): the child's PMD
# (mapcount 2) is split and each subpage copied, the pipe holds the child's copies
# => PASS. 5.9-5.17: do_huge_pmd_wp_page() still decides with reuse_swap_page()
# (mapcount 1) => reuse => LEAK (one of the "two remaining instances", §4.2).
# 5.18 (3bff7e3f1f16): ref 1 + 4 pipe refs > 1 => split, 4K copy => PASS. 6.18:
# !PAE (fork), ref > 1 => split; subpage: large_mapcount != refcount => copy => PASS.
# Outcome (cow.c): 5.7 FAIL, 5.8 PASS, 5.9 FAIL, 5.11 FAIL, 5.18 PASS, 6.18 PASS.
scenario vmsplice-unmap-in-child-with-thp
doc "cow.c vmsplice() + unmap in child (with THP)"
ref tools/testing/selftests/mm/cow.c "vmsplice() + unmap in child" (with THP)
ref cow-gup.md §8.3 #3, §8.2 item 3, §8.6, §7.7, §3.6, §4.2, §5.8
config thp_order=2
config memory=64

P0: mmap A 8 rw
P0: madvise A hugepage
P0: write A[4:8] = 1               # memset(mem, 1, thpsize): PMD-mapped THP
P0: pmd_mapped A[4] -> pmd
P0: thp A[4:8] -> large0, large1, large2, large3
P0: fork P1
P1: vmsplice A[4:8] -> pipe p     # R/O FOLL_GET on the 4 subpages
P1: munmap A[4:8]
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
expect x0 == 1                     # PASS: the pipe holds the old data
expect[linux-5.7,linux-5.9,linux-5.11] x0 == 0xff
expect x1 == 1                     # PASS: the pipe holds the old data
expect[linux-5.7,linux-5.9,linux-5.11] x1 == 0xff
expect x2 == 1                     # PASS: the pipe holds the old data
expect[linux-5.7,linux-5.9,linux-5.11] x2 == 0xff
expect x3 == 1                     # PASS: the pipe holds the old data
expect[linux-5.7,linux-5.9,linux-5.11] x3 == 0xff
expect leaks == 0
expect[linux-5.7,linux-5.9,linux-5.11] leaks == 4        # LEAK: one per page read from the pipe
