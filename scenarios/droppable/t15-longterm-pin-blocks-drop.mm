# droppable.md §11 T15, §4.3. An io_uring fixed buffer
# (IORING_REGISTER_BUFFERS: pin_user_pages(FOLL_WRITE|FOLL_LONGTERM)) on
# pages 0-1 adds GUP_PIN_COUNTING_BIAS to their refcount, so the discard test
# "ref_count == 1 + map_count" fails: the PTE is restored and the folio kept.
# Pages 2-3 are dropped. After IORING_UNREGISTER_BUFFERS page 0 drops too.
scenario droppable-longterm-pin-blocks-drop
doc "A long-term pin keeps a droppable page; after unpinning it is dropped"
ref droppable.md §11 T15, §4.3; try_to_unmap_one() "ref_count == 1 + map_count"

P0: mmap D 4 rw droppable refill 7
P0: write D = 0xaa
P0: pin K = D[0:2] write longterm
P0: madvise D pageout -> po
P0: read D[0] -> pinned0
P0: read D[1] -> pinned1
P0: read D[2] -> d2
P0: unpin K
P0: madvise D pageout -> po2
P0: read D[0] -> after

expect pinned0 == 0xaa
expect pinned1 == 0xaa
expect d2 == 0
expect after == 0
expect[droppable=sigbus] d2 == SIGBUS
expect[droppable=sigbus] after == SIGBUS
expect[droppable=refill] d2 == 7
expect[droppable=refill] after == 7
expect[droppable=pinned] po == EINVAL
expect[droppable=pinned] po2 == EINVAL
expect[droppable=pinned] d2 == 0xaa
expect[droppable=pinned] after == 0xaa
