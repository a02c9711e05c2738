# cow.c "Basic COW after fork() with mprotect() optimization" (with THP), cow-gup.md §8.3 #2, §8.2 item 3, §8.6.
# PMD-mapped THP (config thp_order=2: a THP is 4 pages; A[4:8] is the
# aligned THP). do_huge_pmd_wp_page(): 5.7 reuse by mapcount, else copy the
# whole THP (§3.6); 5.8 reuse by mapcount, else split + 4K copy (3917c80280c9);
# 5.9-5.17 still reuse_swap_page() = mapcount (§4.2); 5.18 reuse iff ref == 1,
# else split (§4.6); 6.18 reuse iff PAE or ref == 1, else split (§5.8).
# As #1, with mprotect(R)+mprotect(RW) of the parent's whole THP range before the
# memset. In the kernel the range covers the whole PMD, so change_huge_pmd() keeps
# it PMD-mapped (no split); the upgrade to writable needs PAE (6.x
# can_change_pmd_writable) which fork cleared, so the write still faults and COWs.
# (The model splits PMDs in mprotect and applies the PTE rules; same outcome.)
# PASS everywhere.
# Outcome (cow.c): 5.7 PASS, 5.8 PASS, 5.9 PASS, 5.11 PASS, 5.18 PASS, 6.18 PASS.
scenario basic-cow-after-fork-with-mprotect-optimization-with-thp
doc "cow.c Basic COW after fork() with mprotect() optimization (with THP)"
ref tools/testing/selftests/mm/cow.c "Basic COW after fork() with mprotect() optimization" (with THP)
ref cow-gup.md §8.3 #2, §8.2 item 3, §8.6, §7.7, §3.6, §4.2, §5.8
config thp_order=2
config memory=64

P0: mmap A 8 rw
P0: madvise A hugepage
P0: write A[4:8] = 1               # memset(mem, 1, thpsize): PMD-mapped THP
P0: pmd_mapped A[4] -> pmd
P0: thp A[4:8] -> large0, large1, large2, large3
P0: fork P1
P1: read A[4:8] -> o0, o1, o2, o3
P0: mprotect A[4:8] r               # cow.c: mprotect(mem, size, PROT_READ)
P0: mprotect A[4:8] rw
P0: write A[4:8] = 0xff
P1: read A[4:8] -> c0, c1, c2, c3

expect pmd == true
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
