# cow.c "Basic COW after fork()" (with PTE-mapped THP), cow-gup.md §8.3 #1, §8.2 item 3, §8.6.
# PTE-mapped THP: the THP is PMD-mapped by the first write, then
# mprotect(R)+mprotect(RW) of one subpage splits the PMD (as cow.c does);
# the folio stays large, all 4 PTEs keep PAE (6.18). Write faults then follow
# the PTE rules: 5.7/5.8 reuse_swap_page() (largest subpage mapcount +
# compound mapcount); 5.9-5.18 refcount (the subpage ref is the folio's,
# >= its PTE mappings => always copy); 6.18 PAE, else reuse only when
# this MM alone maps the folio and refcount == large_mapcount (§5.2, §5.3).
# fork shares the 4 PTEs R/O (6.18: folio_try_dup_anon_rmap_ptes clears PAE). The
# parent's writes: 5.7/5.8 reuse_swap_page() sees page_trans_huge_map_swapcount 2
# (child PTE) => copy; 5.9-5.18 ref >= 4 => copy; 6.18 !PAE and the folio is mapped
# by another MM => copy. PASS everywhere.
# Outcome (cow.c): 5.7 PASS, 5.8 PASS, 5.9 PASS, 5.11 PASS, 5.18 PASS, 6.18 PASS.
scenario basic-cow-after-fork-with-pte-mapped-thp
doc "cow.c Basic COW after fork() (with PTE-mapped THP)"
ref tools/testing/selftests/mm/cow.c "Basic COW after fork()" (with PTE-mapped THP)
ref cow-gup.md §8.3 #1, §8.2 item 3, §8.6, §7.7, §5.2, §5.3, §4.1
config thp_order=2
config memory=64

P0: mmap A 8 rw
P0: madvise A hugepage
P0: write A[4:8] = 1               # memset(mem, 1, thpsize): PMD-mapped THP
P0: mprotect A[5] r                # cow.c: mprotect(mem + pagesize, pagesize, PROT_READ)
P0: mprotect A[5] rw               # ... and back: the PMD is split
P0: pmd_mapped A[4] -> pmd
P0: thp A[4:8] -> large0, large1, large2, large3
P0: fork P1
P1: read A[4:8] -> o0, o1, o2, o3  # child backs up mem
P0: write A[4:8] = 0xff             # parent memset(mem, 0xff)
P1: read A[4:8] -> c0, c1, c2, c3  # child memcmp(old, mem)

expect pmd == false
expect large0 == true
expect large1 == true
expect large2 == true
expect large3 == true
expect o0 == 1
expect c0 == 1                     # PASS: the child still sees the old data
expect o1 == 1
expect c1 == 1                     # PASS: the child still sees the old data
expect o2 == 1
expect c2 == 1                     # PASS: the child still sees the old data
expect o3 == 1
expect c3 == 1                     # PASS: the child still sees the old data
expect leaks == 0
