# MADV_DONTFORK on a pinned buffer (the historical RDMA requirement, before
# fork() learned to copy pinned pages). madvise() sets VM_DONTCOPY; dup_mmap()
# skips the VMA entirely, so the child has no mapping there (SIGSEGV on
# access) and the parent's PTEs and counters are untouched: no write-protect,
# no refcount change. The pinned page stays writable and coherent.
scenario dontfork-pinned-buffer
doc "MADV_DONTFORK keeps a pinned buffer out of the child; the parent is untouched"
ref cow-gup.md §2.3 rule 1, §7.4; mm/madvise.c madvise_vma_behavior(), mm/mmap.c dup_mmap()

P0: mmap A 1 rw
P0: write A[0] = 1
P0: pfn A[0] -> x
P0: pin K = A[0] write longterm
P0: madvise A dontfork
P0: refcount A[0] -> r0
P0: fork P1
P0: refcount A[0] -> r1
P0: mapcount A[0] -> m1
P1: present A[0] -> child_present
P1: read A[0] -> child_read
P0: write A[0] = 2
P0: pfn A[0] -> x1
dma read K[0] -> v

expect r0 == 1025
expect r1 == 1025                   # fork took no reference
expect m1 == 1
expect child_present == false
expect child_read == SIGSEGV
expect x1 == x
expect v == 2
