# cow.c "Basic COW after fork() when collapsing after fork() (lower shared)"
# (spec §8.4 #17). MADV_DONTFORK on the other half before fork, so only the
# lower half of the PTE-mapped THP is shared with the child; MADV_DOFORK
# afterwards merges the VMAs again, then the parent collapses: the new THP is
# the parent's alone (collapse_huge_page() copies and maps it exclusive), and
# the parent's memset must not reach the child's lower half. PASS in every era.
scenario basic-cow-after-fork-when-collapsing-after-fork-lower-shared
doc "Collapsing a partly shared THP keeps the shared half private to the child"
ref tools/testing/selftests/mm/cow.c "Basic COW after fork() when collapsing after fork() (lower shared)"
ref cow-gup.md §8.4 #17
config thp_order=2
config memory=64

P0: mmap A 8 rw
P0: madvise A hugepage
P0: write A[4:8] = 1
P0: mprotect A[5] r
P0: mprotect A[5] rw
P0: madvise A[6:8] dontfork
P0: fork P1
P0: madvise A[6:8] dofork
P0: madvise A[4:8] collapse -> r
P0: pmd_mapped A[4] -> pm
P0: write A[4:8] = 0xff
P1: read A[4:6] -> c0, c1
P0: read A[4:8] -> p0, p1, p2, p3

expect r == OK
expect pm == true
expect c0 == 1                      # "Leak from parent into child" on failure
expect c1 == 1
expect p0 == 0xff
expect p3 == 0xff
expect leaks == 0
