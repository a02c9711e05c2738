# khugepaged and max_ptes_shared after fork (cow-gup.md §7.7; cow.c #16/#17
# with khugepaged as the collapser). khugepaged_max_ptes_shared defaults to
# HPAGE_PMD_NR / 2 (khugepaged_init()): with thp_order=3, at most 4 of the 8
# PTEs may map a folio_maybe_mapped_shared() page. Right after fork all 8 are
# shared: SCAN_EXCEED_SHARED_PTE, nothing is collapsed. Once the parent has
# written 5 pages (5 private copies), only 3 are shared: the range collapses
# into a NEW exclusive THP of the parent (collapse copies; the child keeps its
# pages), and neither process sees the other's later writes.
# Outcome: PASS everywhere.
scenario khugepaged-after-fork-shared
doc "khugepaged refuses a range with more than max_ptes_shared shared PTEs; the collapse copies"
ref mm/khugepaged.c hpage_collapse_scan_pmd() SCAN_EXCEED_SHARED_PTE, khugepaged_init()
ref cow-gup.md §7.7 Collapse, §8.4 #16-#18
config thp_order=3
config memory=64

P0: mmap A 8 rw
P0: write A = 1
P0: madvise A hugepage
P0: fork P1                        # all 8 pages shared with the child
khugepaged -> n0
P0: pmd_mapped A[0] -> pmd0
P0: write A[0:5] = 2               # 5 copies; 3 pages still shared
khugepaged -> n1
P0: pmd_mapped A[0] -> pmd1
P0: anon_exclusive A[0] -> ae
P0: read A[7] -> p7
P0: write A[7] = 3                 # the new THP is exclusive: written in place
P1: read A[0] -> c0
P1: read A[7] -> c7
P1: write A[6] = 4
P0: read A[6] -> p6

expect n0 == 0                     # SCAN_EXCEED_SHARED_PTE: 8 > 4
expect pmd0 == false
expect n1 == 1                     # 3 shared PTEs <= 4
expect pmd1 == true
expect[linux-5.19,linux-6.1,linux-6.13,linux-6.18] ae == true
expect p7 == 1
expect c0 == 1                     # the child keeps its pages
expect c7 == 1
expect p6 == 1                     # and its writes stay private
expect leaks == 0
