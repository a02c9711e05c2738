# cow.c "Basic COW after fork() when collapsing after fork() (fully shared)"
# (spec §8.4 #16). Fork first: every subpage of the PTE-mapped THP is mapped
# by both processes. The parent's MADV_COLLAPSE copies the data into a new
# THP that only the parent maps (collapse_huge_page() allocates and copies;
# MADV_COLLAPSE does not limit shared PTEs), so the parent's memset lands in
# its own new THP and the child keeps the old pages. PASS in every era.
# "Re-mapping a PTE-mapped anon THP using a single PMD ('in-place collapse')
# might easily get COW handling wrong when not collapsing exclusivity
# information properly" (cow.c).
scenario basic-cow-after-fork-when-collapsing-after-fork-fully-shared
doc "Collapsing a THP shared with a child gives the parent its own copy"
ref tools/testing/selftests/mm/cow.c "Basic COW after fork() when collapsing after fork() (fully shared)"
ref cow-gup.md §8.4 #16
config thp_order=2
config memory=64

P0: mmap A 8 rw
P0: madvise A hugepage
P0: write A[4:8] = 1
P0: mprotect A[5] r
P0: mprotect A[5] rw
P0: pfn A[4] -> old
P0: fork P1
P0: madvise A[4:8] collapse -> r
P0: pmd_mapped A[4] -> pm
P0: pfn A[4] -> new
P0: write A[4:8] = 0xff
P1: read A[4:8] -> c0, c1, c2, c3
P1: pfn A[4] -> child

expect r == OK
expect pm == true
expect new != old                   # a new THP for the parent
expect child == old                 # the child keeps the old pages
expect c0 == 1
expect c1 == 1
expect c2 == 1
expect c3 == 1
expect leaks == 0
