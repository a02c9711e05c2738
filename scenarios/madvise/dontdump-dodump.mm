# MADV_DONTDUMP / MADV_DODUMP set and clear VM_DONTDUMP, which only affects
# core dumps (vma_dump_size()). They do not touch page tables, do not stop
# fork from copying the VMA (unlike MADV_DONTFORK), and are allowed on any
# mapping (DODUMP on a VM_SPECIAL mapping would be EINVAL, not modelled).
# Over a hole they fail with ENOMEM like every madvise().
scenario dontdump-dodump
doc "MADV_DONTDUMP/DODUMP change nothing observable for fork or the page tables"
ref mm/madvise.c madvise_vma_behavior() MADV_DONTDUMP/MADV_DODUMP

P0: mmap A 2 rw
P0: write A = 0x42
P0: pfn A -> a0, a1
P0: madvise A dontdump -> r1
P0: pfn A -> b0, b1
P0: fork P1
P1: read A -> c0, c1
P0: madvise A dodump -> r2
P0: munmap A[1]
P0: madvise A dontdump -> r3

expect r1 == OK
expect b0 == a0
expect b1 == a1
expect c0 == 0x42
expect c1 == 0x42
expect r2 == OK
expect r3 == ENOMEM
