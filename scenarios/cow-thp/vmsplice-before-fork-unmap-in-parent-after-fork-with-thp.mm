# cow.c "vmsplice() before fork(), unmap in parent after fork()" (with THP), cow-gup.md §8.3 #5, §8.2 item 3, §8.6.
# PMD-mapped THP (config thp_order=2: a THP is 4 pages; A[4:8] is the
# aligned THP). do_huge_pmd_wp_page(): 5.7 reuse by mapcount, else copy the
# whole THP (§3.6); 5.8 reuse by mapcount, else split + 4K copy (3917c80280c9);
# 5.9-5.17 still reuse_swap_page() = mapcount (§4.2); 5.18 reuse iff ref == 1,
# else split (§4.6); 6.18 reuse iff PAE or ref == 1, else split (§5.8).
# The pipe takes its references on the still-exclusive THP (5.8: the forced
# write fault reuses it, mapcount 1). fork shares the PMD (FOLL_GET refs are not
# pins). The parent unmaps; the child's PMD has mapcount 1: 5.7, 5.8 (mapcount)
# and 5.9-5.17 (reuse_swap_page) reuse => LEAK from child into parent. 5.18: ref
# 1 + 4 > 1 => split, 4K copy => PASS. 6.18: PAE cleared by fork, ref > 1 =>
# split, copy => PASS.
# Outcome (cow.c): 5.7 FAIL, 5.8 FAIL, 5.9 FAIL, 5.11 FAIL, 5.18 PASS, 6.18 PASS.
scenario vmsplice-before-fork-unmap-in-parent-after-fork-with-thp
doc "cow.c vmsplice() before fork(), unmap in parent after fork() (with THP)"
ref tools/testing/selftests/mm/cow.c "vmsplice() before fork(), unmap in parent after fork()" (with THP)
ref cow-gup.md §8.3 #5, §8.2 item 3, §8.6, §7.7, §3.6, §4.2, §5.8
config thp_order=2
config memory=64

P0: mmap A 8 rw
P0: madvise A hugepage
P0: write A[4:8] = 1               # memset(mem, 1, thpsize): PMD-mapped THP
P0: pmd_mapped A[4] -> pmd
P0: thp A[4:8] -> large0, large1, large2, large3
P0: vmsplice A[4:8] -> pipe p     # FOLL_GET: not maybe-pinned, no unshare
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
expect x0 == 1                     # PASS: the pipe holds the old data
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11] x0 == 0xff
expect x1 == 1                     # PASS: the pipe holds the old data
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11] x1 == 0xff
expect x2 == 1                     # PASS: the pipe holds the old data
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11] x2 == 0xff
expect x3 == 1                     # PASS: the pipe holds the old data
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11] x3 == 0xff
expect leaks == 0
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11] leaks == 4        # LEAK: one per page read from the pipe
