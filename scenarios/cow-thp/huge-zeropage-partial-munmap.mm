# munmap() of part of a huge zero PMD: zap_pmd_range() splits a PMD the range
# does not cover whole (__split_huge_pmd() -> __split_huge_zero_page_pmd(): the
# remaining PTEs map the small zero page) and zaps the PTEs in the range;
# MADV_DONTNEED of the whole PMD zaps it at once (zap_huge_pmd(): nothing to
# uncount for the huge zero page).
scenario huge-zeropage-partial-munmap
doc "Partial munmap splits the huge zero PMD into small-zero-page PTEs; a whole-PMD zap just drops it"
ref mm/huge_memory.c zap_huge_pmd(), __split_huge_zero_page_pmd()
ref mm/memory.c zap_pmd_range()
config thp_order=2
config memory=64

P0: mmap A 8 rw
P0: madvise A hugepage
P0: mmap Z 4 rw                      # no MADV_HUGEPAGE (thp=madvise): the small zero page
P0: read Z[0] -> zz
P0: pfn Z[0] -> small
P0: read A[4] -> r
P0: pfn A[5] -> h5
P0: munmap A[6:8]
P0: pfn A[4:6] -> s4, s5
P0: pmd_mapped A[4] -> pmd
P0: read A[5] -> r5
P0: mmap B 8 rw
P0: madvise B hugepage
P0: read B[0] -> b0
P0: present B[1] -> bp
P0: madvise B[0:4] dontneed
P0: present B[0:4] -> d0, d1, d2, d3
P0: rss_anon -> rss

expect r == 0
expect h5 != small
expect s4 == small                   # split: PTEs of the small zero page
expect s5 == small
expect pmd == none                   # a zero-page PTE: no folio to ask about
expect r5 == 0
expect b0 == 0
expect bp == true
expect d0 == false
expect d3 == false
expect rss == 0
