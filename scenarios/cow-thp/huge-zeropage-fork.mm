# fork() of a huge zero PMD: copy_huge_pmd() "if (is_huge_zero_pmd(pmd))"
# shares it (mm_get_huge_zero_folio(), no folio counters, R/O, old). The
# child's write replaces only the child's mapping (new THP <= 5.7 and 6.13+,
# split + 4K COW 5.8-6.12); the parent keeps the huge zero PMD and reads 0.
scenario huge-zeropage-fork
doc "fork shares the huge zero PMD; a write in the child leaves the parent's huge zero mapping alone"
ref mm/huge_memory.c copy_huge_pmd(), do_huge_pmd_wp_page()
ref cow-gup.md §5.8
config thp_order=2
config memory=64

P0: mmap A 8 rw
P0: madvise A hugepage
P0: read A[4] -> r
P0: fork P1
P1: pfn A[4] -> c4
P0: pfn A[4] -> p4
P1: pmd_mapped A[4] -> cpmd
P1: rss_anon -> crss
P1: write A[4:8] = 0xc1
P1: read A[7] -> c7
P1: pfn A[4] -> c4w
P0: pfn A[4] -> p4w
P0: pmd_mapped A[4] -> ppmd
P0: read A[4:8] -> x4, x5, x6, x7

expect r == 0
expect c4 == p4                      # the same huge zero page
expect cpmd == true
expect crss == 0
expect c7 == 0xc1
expect c4w != c4
expect p4w == p4
expect ppmd == true
expect x4 == 0
expect x7 == 0
expect leaks == 0
