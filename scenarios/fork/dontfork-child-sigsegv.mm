# MADV_DONTFORK (VM_DONTCOPY): dup_mmap() skips the VMA, the child has a hole
# there and any access is SIGSEGV (no VMA in lock_mm_and_find_vma()).
# MADV_DOFORK clears the flag: the next child inherits the mapping with COW.
scenario dontfork-child-sigsegv
doc "MADV_DONTFORK: the child has no mapping (SIGSEGV); MADV_DOFORK restores inheritance"
ref cow-gup.md §2.3 rule 1; mm/madvise.c, mm/mmap.c dup_mmap()

P0: mmap A 2 rw
P0: write A = 7
P0: madvise A[1] dontfork
P0: fork P1
P1: read A[0] -> c0
P1: read A[1] -> c1
P1: write A[1] = 8 -> c1w
P0: madvise A[1] dofork
P0: fork P2
P2: read A[1] -> d1

expect c0 == 7
expect c1 == SIGSEGV
expect c1w == SIGSEGV
expect d1 == 7
