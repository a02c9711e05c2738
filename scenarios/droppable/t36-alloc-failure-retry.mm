# droppable.md §11 T36, §3.2. Memory is full of mlocked private anon (no
# swap: nothing is reclaimable). A write fault in a droppable mapping cannot
# allocate: handle_mm_fault() clears VM_FAULT_OOM for a droppable VMA ("If
# the mapping is droppable, then errors due to OOM aren't fatal"), so no
# signal: the instruction is retried (the task spins, minflt rising) -- the
# model reports RETRY and the store does not happen. A private write fault in
# the same situation is OOM (pagefault_out_of_memory()). Once memory turns up
# (munlock + munmap) the droppable write completes.
# (The memcg OOM killer that may run inside the allocation, T36b, is not
# modelled.)
scenario droppable-alloc-failure-retry
doc "A droppable fault without memory is retried, never a signal; a private one is OOM"
ref droppable.md §11 T36, §3.2; handle_mm_fault() "ret &= ~VM_FAULT_OOM"
config memory=8

P0: mmap L 8 rw locked
P0: free_pages -> fp
P0: mmap D 1 rw droppable refill 7
P0: write D[0] = 0xaa -> wd
P0: mmap A 1 rw
P0: write A[0] = 0xbb -> wa
P0: munmap L
P0: write D[0] = 0xaa -> wd2
P0: read D[0] -> d0

expect fp == 0
expect wd == RETRY
expect wa == OOM
expect wd2 == OK
expect d0 == 0xaa
