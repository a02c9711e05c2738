# cow.c "Basic COW after fork() when collapsing before fork()" (spec §8.4 #15).
# A PTE-mapped THP (mprotect of one subpage R then RW splits the PMD) is
# collapsed by MADV_COLLAPSE into a new PMD-mapped THP (collapse_huge_page():
# a new folio, RMAP_EXCLUSIVE, the old pages freed), then fork shares the PMD
# (copy_huge_pmd(); 5.19+ clears PG_anon_exclusive on the head) and the
# parent's memset must not reach the child: do_huge_pmd_wp_page() finds the
# THP mapped twice and copies it whole (<= 5.7) or splits and copies 4K
# (5.8+). PASS in every era. The model offers MADV_COLLAPSE (6.1+) in every
# profile, with 6.18's semantics (khugepaged did the same collapse earlier).
scenario basic-cow-after-fork-when-collapsing-before-fork
doc "A THP collapsed before fork is shared correctly: the parent's later write does not reach the child"
ref tools/testing/selftests/mm/cow.c "Basic COW after fork() when collapsing before fork()"
ref cow-gup.md §8.4 #15, §7.7 (collapse)
config thp_order=2
config memory=64

P0: mmap A 8 rw
P0: madvise A hugepage
P0: write A[4:8] = 1
P0: mprotect A[5] r                 # PTE-mapped THP
P0: mprotect A[5] rw
P0: pmd_mapped A[4] -> pm0
P0: madvise A[4:8] collapse -> r
P0: pmd_mapped A[4] -> pm1
P0: fork P1
P0: write A[4:8] = 0xff
P1: read A[4:8] -> c0, c1, c2, c3
P0: read A[4:8] -> p0, p1, p2, p3

expect pm0 == false
expect r == OK
expect pm1 == true
expect c0 == 1                      # "Leak from parent into child" on failure
expect c1 == 1
expect c2 == 1
expect c3 == 1
expect p0 == 0xff
expect p3 == 0xff
expect leaks == 0
