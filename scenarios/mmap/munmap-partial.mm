# munmap() of part of a VMA splits it (__split_vma()) and zaps only the
# unmapped range (zap_pte_range(): mapcount, refcount and MM_ANONPAGES drop,
# the folio is freed). The remaining pages keep their PFNs and data; the
# hole faults with SIGSEGV. Unmapping the rest removes the VMA entirely.
scenario munmap-partial
doc "Partial munmap() splits the VMA and frees only the unmapped pages"
ref mm/vma.c do_vmi_align_munmap(), __split_vma(); mm/memory.c zap_pte_range()

P0: mmap A 4 rw
P0: write A = 1
P0: pfn A -> a0, a1, a2, a3
P0: rss_anon -> rss0
P0: munmap A[1:3]
P0: rss_anon -> rss1
P0: pfn A -> b0, b1, b2, b3
P0: read A[0] -> x0
P0: read A[1] -> x1
P0: read A[3] -> x3
P0: munmap A
P0: rss_anon -> rss2
P0: read A[0] -> y0

expect rss0 == 4
expect rss1 == 2
expect b0 == a0
expect b1 == none
expect b2 == none
expect b3 == a3
expect x0 == 1
expect x1 == SIGSEGV
expect x3 == 1
expect rss2 == 0
expect y0 == SIGSEGV
