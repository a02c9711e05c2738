# droppable.md §11 T22, §5. MADV_DONTNEED zaps at once (the next read gives
# 0), MADV_COLD only deactivates (data kept, folio on the inactive list),
# MADV_POPULATE_READ/WRITE work. (MADV_MERGEABLE, MADV_REMOVE and
# MADV_DONTNEED_LOCKED are not in the scenario language.)
# pinned: the VMA is VM_LOCKED, where MADV_DONTNEED and MADV_COLD are
# EINVAL (madvise_dontneed_free_valid_vma(), can_madv_lru_vma()).
scenario droppable-other-madvise
doc "MADV_DONTNEED zaps, MADV_COLD deactivates, MADV_POPULATE_* populate a droppable mapping"
ref droppable.md §11 T22, §5; madvise_dontneed_single_vma(), madvise_cold_or_pageout_pte_range()

P0: mmap D 4 rw droppable refill 7
P0: write D = 0xaa
P0: madvise D[0] dontneed -> dn
P0: read D[0] -> d0
P0: madvise D[1] cold -> cold
P0: active D[1] -> act
P0: read D[1] -> d1
P0: madvise D[2:4] dontneed -> dn2
P0: madvise D[2] populate_read -> pr
P0: madvise D[3] populate_write -> pw
P0: present D[3] -> p3
P0: read D[3] -> d3

expect dn == OK
expect d0 == 0
expect cold == OK
expect act == false
expect d1 == 0xaa
expect pr == OK
expect pw == OK
expect p3 == true
expect d3 == 0
expect[droppable=refill] d0 == 7
expect[droppable=refill] d3 == 7
expect[droppable=pinned] dn == EINVAL
expect[droppable=pinned] d0 == 0xaa
expect[droppable=pinned] cold == EINVAL
expect[droppable=pinned] d3 == 0xaa
