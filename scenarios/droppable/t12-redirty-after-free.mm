# droppable.md §11 T12, §4.2 step 2, §7.2 item 9. After MADV_FREE, rewriting
# half the pages re-dirties them. try_to_unmap_one() discards a droppable
# folio "!folio_test_dirty(folio) || vma->vm_flags & VM_DROPPABLE", i.e. even
# re-dirtied, and never calls folio_set_swapbacked() for it: ALL pages read
# 0. The private control (no swap): the clean half is discarded, the
# re-dirtied half is turned back into swap-backed anon and kept.
# pinned: MADV_FREE/PAGEOUT are EINVAL on the locked VMA, everything stays.
scenario droppable-redirty-after-free
doc "Re-dirtied droppable pages are still dropped; re-dirtied MADV_FREE private pages are kept"
ref droppable.md §11 T12, §4.2, §7.2; try_to_unmap_one() "MADV_FREE page check"

P0: mmap D 4 rw droppable refill 7
P0: mmap A 4 rw
P0: write D = 0xaa
P0: write A = 0xaa
P0: madvise D free -> fd
P0: madvise A free
P0: write D[0:2] = 0xbb
P0: write A[0:2] = 0xbb
P0: madvise D pageout -> pd
P0: madvise A pageout
P0: read D[0] -> d0                 # re-dirtied
P0: read D[3] -> d3                 # clean
P0: read A[0] -> a0                 # re-dirtied
P0: read A[3] -> a3                 # clean
P0: lazyfree A[0] -> a0_lazyfree

expect d0 == 0
expect d3 == 0
expect a0 == 0xbb                   # kept, swap-backed again
expect a0_lazyfree == false
expect a3 == 0                      # clean lazyfree private page: discarded
expect[droppable=sigbus] d0 == SIGBUS
expect[droppable=sigbus] d3 == SIGBUS
expect[droppable=refill] d0 == 7
expect[droppable=refill] d3 == 7
expect[droppable=pinned] fd == EINVAL
expect[droppable=pinned] pd == EINVAL
expect[droppable=pinned] d0 == 0xbb
expect[droppable=pinned] d3 == 0xaa
