# droppable.md §5. vma_ksm_compatible() refuses VM_DROPPABLE: MADV_MERGEABLE
# returns 0 but never sets `mg`, so two identical droppable pages are never
# merged into one KSM page. The model's `ksm_merge` (try_to_merge_one_page()
# on every page of the range) reports EBUSY for pages it cannot merge and
# leaves them alone; identical private pages do merge.
scenario droppable-ksm-refused
doc "KSM never merges droppable pages (vma_ksm_compatible())"
ref droppable.md §5 (MADV_MERGEABLE row); mm/ksm.c vma_ksm_compatible()

P0: mmap D 2 rw droppable
P0: write D = 0xaa
P0: ksm_merge D -> r
P0: pfn D[0] -> d0
P0: pfn D[1] -> d1
P0: mmap A 2 rw
P0: write A = 0xaa
P0: ksm_merge A -> ra
P0: pfn A[0] -> a0
P0: pfn A[1] -> a1

expect r == EBUSY
expect d0 != d1
expect ra == OK
expect a0 == a1
