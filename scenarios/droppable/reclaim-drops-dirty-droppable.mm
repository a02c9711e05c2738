# droppable.md §4.1, §4.2: any shrink_folio_list() run can drop a droppable
# folio, not only MADV_PAGEOUT -- here the kernel's reclaim actor (kswapd /
# direct reclaim). The droppable folios sit on the inactive file list and are
# discarded although dirty; without a swap device the private anon folios
# are not even scanned (get_scan_count(): no swap, no anon scanning) and
# stay. `reclaim -> freed` counts every folio freed, the dirty droppable
# drops included.
scenario droppable-reclaim-drops-dirty
doc "Global reclaim drops dirty droppable memory and keeps private anon when there is no swap"
ref droppable.md §4.1, §4.2; shrink_folio_list(), get_scan_count()

P0: mmap D 2 rw droppable refill 7
P0: mmap A 2 rw
P0: write D = 0xaa
P0: write A = 0xbb
reclaim -> freed
P0: read D[0] -> d0
P0: read A[0] -> a0

expect freed == 2
expect d0 == 0
expect a0 == 0xbb
expect[droppable=sigbus] d0 == SIGBUS
expect[droppable=refill] d0 == 7
expect[droppable=pinned] freed == 0
expect[droppable=pinned] d0 == 0xaa
