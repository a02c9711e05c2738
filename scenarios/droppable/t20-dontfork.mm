# droppable.md §11 T20, §5 MADV_DONTFORK. MADV_DONTFORK is allowed on a
# droppable VMA (VM_DONTCOPY): the child has no VMA there at all, so an
# access is SIGSEGV (the spec's msync() -> ENOMEM is the same fact, not
# expressible here).
scenario droppable-dontfork
doc "MADV_DONTFORK on a droppable mapping: the child has no mapping there"
ref droppable.md §11 T20, §5; dup_mmap() VM_DONTCOPY

P0: mmap D 1 rw droppable
P0: write D[0] = 0xaa
P0: madvise D dontfork -> r
P0: fork P1
P1: read D[0] -> c

expect r == OK
expect c == SIGSEGV
