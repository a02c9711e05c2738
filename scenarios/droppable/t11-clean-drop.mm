# droppable.md §11 T11, §4.2 step 4, §5 MADV_FREE. MADV_FREE cleans the PTEs
# and the folio (madvise_free_pte_range()); folio_mark_lazyfree() returns
# early because the folio is already !swapbacked (pglazyfree +0). Data
# survives until reclaim. MADV_PAGEOUT then discards the clean folios through
# the lazyfree block of shrink_folio_list() (counted: pglazyfreed +N; the
# vmstat counters themselves are not modelled).
# sigbus: SIGBUS on the dropped page; refill: refilled; pinned: MADV_FREE
# and MADV_PAGEOUT are EINVAL on a VM_LOCKED VMA, the data stays.
scenario droppable-clean-drop
doc "MADV_FREE'd (clean) droppable pages keep their data until MADV_PAGEOUT drops them"
ref droppable.md §11 T11, §4.2; madvise_free_pte_range(), shrink_folio_list() lazyfree block

P0: mmap D 2 rw droppable refill 7
P0: write D = 0xaa
P0: madvise D free -> fr
P0: dirty D[0] -> dirty
P0: lazyfree D[0] -> lf
P0: read D[0] -> kept
P0: madvise D pageout -> po
P0: present D[1] -> pr
P0: read D[1] -> d1

expect fr == OK
expect dirty == false
expect lf == true
expect kept == 0xaa                 # MADV_FREE alone does not drop
expect po == OK
expect pr == false
expect d1 == 0
expect[droppable=sigbus] d1 == SIGBUS
expect[droppable=refill] d1 == 7
expect[droppable=pinned] fr == EINVAL
expect[droppable=pinned] dirty == true
expect[droppable=pinned] lf == false
expect[droppable=pinned] po == EINVAL
expect[droppable=pinned] pr == true
expect[droppable=pinned] d1 == 0xaa
