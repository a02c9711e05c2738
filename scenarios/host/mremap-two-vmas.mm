# Written from host observations (Linux 6.18). A same-size
# mremap(MREMAP_MAYMOVE|MREMAP_FIXED) of a range that an mprotect() split into
# two VMAs: before 6.17 the range must lie in one VMA (vma_to_resize() /
# check_prep_vma(): EFAULT, nothing moves); since d23cb648e365 (6.17)
# remap_move() moves both VMAs, page-table entries and all (knob mremap-move).
scenario mremap-two-vmas
doc "mremap of a range of two VMAs: EFAULT up to 6.16; 6.17+ moves both, each keeping its pages and protection"
ref mm/mremap.c remap_move() check_prep_vma(); d23cb648e365
P0: mmap A 4 rw
P0: write A = 7
P0: pfn A -> a0, a1, a2, a3
P0: mprotect A[2:4] r
P0: mremap A B -> r
P0: pfn B -> b0, b1, b2, b3
P0: read B[0] -> d0
P0: read B[3] -> d3
P0: write B[1] = 8 -> w1          # the rw VMA moved as rw
P0: write B[2] = 9 -> w2          # the r VMA moved as r
P0: read A[0] -> old0
P0: read A[3] -> old3
P0: pfn A -> s0, s1, s2, s3

expect[mremap-move=multi-vma] r == OK
expect[mremap-move=multi-vma] b0 == a0
expect[mremap-move=multi-vma] b1 == a1
expect[mremap-move=multi-vma] b2 == a2
expect[mremap-move=multi-vma] b3 == a3
expect[mremap-move=multi-vma] d0 == 7
expect[mremap-move=multi-vma] d3 == 7
expect[mremap-move=multi-vma] w1 == OK
expect[mremap-move=multi-vma] w2 == SIGSEGV
expect[mremap-move=multi-vma] old0 == SIGSEGV
expect[mremap-move=multi-vma] old3 == SIGSEGV
expect[mremap-move=single-vma] r == EFAULT
expect[mremap-move=single-vma] d0 == SIGSEGV
expect[mremap-move=single-vma] old0 == 7
expect[mremap-move=single-vma] old3 == 7
expect[mremap-move=single-vma] s0 == a0
expect[mremap-move=single-vma] s3 == a3
