# khugepaged_max_ptes_none = HPAGE_PMD_NR - 1 (khugepaged_init()): a range
# with a single present page collapses (the new THP is mostly zeroes: the
# footprint grows from 1 to 8 pages), a range of none and zero-page PTEs
# only does not (SCAN_EXCEED_NONE_PTE: 8 > 7).
# Outcome: PASS everywhere.
scenario khugepaged-max-ptes-none
doc "khugepaged collapses over up to HPAGE_PMD_NR - 1 none PTEs, not over a range with nothing in it"
ref mm/khugepaged.c hpage_collapse_scan_pmd() SCAN_EXCEED_NONE_PTE
config thp_order=3
config memory=64

P0: mmap A 8 rw
P0: mmap B 8 rw
P0: write A[2] = 7                 # one page; 7 PTEs none
P0: read B[0] -> z                 # a zero-page PTE; 7 none
P0: madvise A hugepage
P0: madvise B hugepage
P0: rss_anon -> rss0
khugepaged -> n
P0: pmd_mapped A[0] -> pmda
P0: present B[1] -> b1            # still none: B was not collapsed
P0: rss_anon -> rss1
P0: read A[2] -> a2
P0: read A[5] -> a5

expect z == 0
expect rss0 == 1
expect n == 1
expect pmda == true
expect b1 == false                 # 8 none/zero PTEs > max_ptes_none
expect rss1 == 8                   # the THP of A; B holds only the zero page
expect a2 == 7
expect a5 == 0
