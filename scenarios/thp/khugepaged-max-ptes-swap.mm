# khugepaged_max_ptes_swap = HPAGE_PMD_NR / 8 (khugepaged_init(); 1 with
# thp_order=3): two swapped-out pages make the scan fail
# (SCAN_EXCEED_SWAP_PTE); with one, khugepaged swaps it in
# (__collapse_huge_page_swapin(): do_swap_page()) -- it needs at least
# HPAGE_PMD_NR / 2 young PTEs then -- and collapses the range.
# Outcome: PASS everywhere.
scenario khugepaged-max-ptes-swap
doc "khugepaged swaps in up to max_ptes_swap pages to collapse a range"
ref mm/khugepaged.c hpage_collapse_scan_pmd() SCAN_EXCEED_SWAP_PTE, __collapse_huge_page_swapin()
config thp_order=3
config memory=64
config swap=16

P0: mmap A 8 rw
P0: write A = 1
P0: madvise A[6:8] pageout         # two pages swapped out
P0: swapped A[6:8] -> s6, s7
P0: madvise A hugepage
khugepaged -> n0
P0: read A[7] -> x7                # one swapped in by the process
khugepaged -> n1
P0: pmd_mapped A[0] -> pmd
P0: swapped A[6] -> s6b
P0: read A[6] -> x6
P0: rss_swap -> swapents

expect s6 == true
expect s7 == true
expect n0 == 0                     # 2 swap PTEs > max_ptes_swap (1)
expect x7 == 1
expect n1 == 1
expect pmd == true
expect s6b == false
expect x6 == 1                     # swapped in by khugepaged, copied into the THP
expect swapents == 0
