# droppable.md §11 T16, §4.3. vmsplice() puts a FOLL_GET reference to page 0
# into a pipe buffer: an extra reference, so try_to_unmap_one() keeps the
# folio (the pipe still delivers the data). Once the pipe buffer is consumed
# the reference is gone and the next MADV_PAGEOUT drops the page.
scenario droppable-vmsplice-blocks-drop
doc "A pipe reference from vmsplice keeps a droppable page until the pipe is drained"
ref droppable.md §11 T16, §4.3; try_to_unmap_one()

P0: mmap D 2 rw droppable refill 7
P0: write D = 0xaa
P0: vmsplice D[0] -> pipe p
P0: madvise D pageout -> po
P0: read D[0] -> kept
P0: read pipe p -> x
P0: madvise D pageout -> po2
P0: read D[0] -> after

expect kept == 0xaa
expect x == 0xaa
expect after == 0
expect[droppable=sigbus] after == SIGBUS
expect[droppable=refill] after == 7
expect[droppable=pinned] po == EINVAL
expect[droppable=pinned] after == 0xaa
