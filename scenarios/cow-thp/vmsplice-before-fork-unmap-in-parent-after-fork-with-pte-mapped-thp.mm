# cow.c "vmsplice() before fork(), unmap in parent after fork()" (with PTE-mapped THP), cow-gup.md §8.3 #5, §8.2 item 3, §8.6.
# PTE-mapped THP: the THP is PMD-mapped by the first write, then
# mprotect(R)+mprotect(RW) of one subpage splits the PMD (as cow.c does);
# the folio stays large, all 4 PTEs keep PAE (6.18). Write faults then follow
# the PTE rules: 5.7/5.8 reuse_swap_page() (largest subpage mapcount +
# compound mapcount); 5.9-5.18 refcount (the subpage ref is the folio's,
# >= its PTE mappings => always copy); 6.18 PAE, else reuse only when
# this MM alone maps the folio and refcount == large_mapcount (§5.2, §5.3).
# 5.7/5.8: max subpage mapcount 1 => reuse => LEAK. 5.9-5.18: ref >= PTE mappings
# + pipe => copy => PASS. 6.18: !PAE, refcount != large_mapcount => copy => PASS.
# Outcome (cow.c): 5.7 FAIL, 5.8 FAIL, 5.9 PASS, 5.11 PASS, 5.18 PASS, 6.18 PASS.
scenario vmsplice-before-fork-unmap-in-parent-after-fork-with-pte-mapped-thp
doc "cow.c vmsplice() before fork(), unmap in parent after fork() (with PTE-mapped THP)"
ref tools/testing/selftests/mm/cow.c "vmsplice() before fork(), unmap in parent after fork()" (with PTE-mapped THP)
ref cow-gup.md §8.3 #5, §8.2 item 3, §8.6, §7.7, §5.2, §5.3, §4.1
config thp_order=2
config memory=64

P0: mmap A 8 rw
P0: madvise A hugepage
P0: write A[4:8] = 1               # memset(mem, 1, thpsize): PMD-mapped THP
P0: mprotect A[5] r                # cow.c: mprotect(mem + pagesize, pagesize, PROT_READ)
P0: mprotect A[5] rw               # ... and back: the PMD is split
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

expect pmd == false
expect large0 == true
expect large1 == true
expect large2 == true
expect large3 == true
expect x0 == 1                     # PASS: the pipe holds the old data
expect[linux-5.7,linux-5.8] x0 == 0xff
expect x1 == 1                     # PASS: the pipe holds the old data
expect[linux-5.7,linux-5.8] x1 == 0xff
expect x2 == 1                     # PASS: the pipe holds the old data
expect[linux-5.7,linux-5.8] x2 == 0xff
expect x3 == 1                     # PASS: the pipe holds the old data
expect[linux-5.7,linux-5.8] x3 == 0xff
expect leaks == 0
expect[linux-5.7,linux-5.8] leaks == 4        # LEAK: one per page read from the pipe
