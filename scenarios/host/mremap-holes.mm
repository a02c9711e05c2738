# Written from host observations (Linux 6.18). mremap(MREMAP_MAYMOVE|
# MREMAP_FIXED) of ranges with holes in them. Before 6.17 any hole is EFAULT
# (the range must lie in one VMA). Since d23cb648e365 (6.17) remap_move()
# moves every VMA of the range to the same offset in the new area, so the
# holes between them stay holes; a hole after the last VMA is allowed, one at
# the start of the range is still EFAULT (knob mremap-move).
scenario mremap-holes
doc "mremap of a VMA plus a trailing hole, of two VMAs around a hole, of a range starting in a hole"
ref mm/mremap.c remap_move(); d23cb648e365
P0: mmap A 3 rw
P0: write A = 5
P0: pfn A[0:2] -> a0, a1      # not A[2]: freed below, its frame may come back for C (LIFO free lists)
P0: munmap A[2]
P0: mremap A B -> tail             # one VMA and a hole after it
P0: pfn B[0:2] -> b0, b1
P0: read B[1] -> bd1
P0: read B[2] -> bhole
P0: read A[0] -> aold
P0: mmap C 3 rw
P0: write C = 6
P0: pfn C -> c0, c1, c2
P0: munmap C[1]
P0: mremap C D -> middle           # two VMAs, a hole between them
P0: pfn D -> e0, e1, e2
P0: read D[1] -> dhole
P0: read D[2] -> dd2
P0: mmap E 3 rw
P0: write E = 4
P0: munmap E[0]
P0: mremap E F -> head             # the range starts in a hole
P0: read E[1] -> ekept

expect head == EFAULT
expect ekept == 4
expect[mremap-move=multi-vma] tail == OK
expect[mremap-move=multi-vma] b0 == a0
expect[mremap-move=multi-vma] b1 == a1
expect[mremap-move=multi-vma] bd1 == 5
expect[mremap-move=multi-vma] bhole == SIGSEGV
expect[mremap-move=multi-vma] aold == SIGSEGV
expect[mremap-move=multi-vma] middle == OK
expect[mremap-move=multi-vma] e0 == c0
expect[mremap-move=multi-vma] e2 == c2
expect[mremap-move=multi-vma] dhole == SIGSEGV
expect[mremap-move=multi-vma] dd2 == 6
expect[mremap-move=single-vma] tail == EFAULT
expect[mremap-move=single-vma] aold == 5
expect[mremap-move=single-vma] middle == EFAULT
expect[mremap-move=single-vma] dd2 == SIGSEGV
