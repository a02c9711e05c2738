# droppable.md §11 T10, §4.1, §4.2. MADV_PAGEOUT -> reclaim_pages() ->
# shrink_folio_list(ignore_references): the folio is !swapbacked, so no
# add_to_swap(); try_to_unmap_one()'s "MADV_FREE page check" discards it
# although it is dirty ("!folio_test_dirty(folio) || vma->vm_flags &
# VM_DROPPABLE"); the PTE becomes none. The data is gone: every page reads 0,
# Rss 0, Swap 0, and pagemap shows "not present, not swapped" exactly like a
# page never touched.
# sigbus: a Dropped marker replaces the PTE, the read raises SIGBUS.
# refill: the ->fault callback refills (7). pinned: MADV_PAGEOUT on a
# VM_LOCKED VMA is EINVAL (can_madv_lru_vma()), the data stays.
scenario droppable-pageout-drops-dirty
doc "MADV_PAGEOUT drops dirty droppable pages: they read back as zero"
ref droppable.md §11 T10, §4.2; shrink_folio_list(), try_to_unmap_one()

P0: mmap D 4 rw droppable refill 7
P0: write D = 0xaa
P0: madvise D pageout -> po
P0: present D[0] -> pr
P0: swapped D[0] -> sw
P0: rss_anon -> rss
P0: rss_swap -> rs
P0: read D[0] -> d0
P0: read D[3] -> d3

expect po == OK
expect pr == false
expect sw == false
expect rss == 0
expect rs == 0
expect d0 == 0
expect d3 == 0
expect[droppable=sigbus] d0 == SIGBUS
expect[droppable=sigbus] d3 == SIGBUS
expect[droppable=refill] d0 == 7
expect[droppable=refill] d3 == 7
expect[droppable=pinned] po == EINVAL
expect[droppable=pinned] pr == true
expect[droppable=pinned] rss == 4
expect[droppable=pinned] d0 == 0xaa
expect[droppable=pinned] d3 == 0xaa
