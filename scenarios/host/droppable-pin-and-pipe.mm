# Written from 6.18 host runs: references beyond the mapping keep a droppable
# page. try_to_unmap_one() discards a !swapbacked folio only when
# ref_count == 1 + map_count; an io_uring fixed buffer (FOLL_PIN|FOLL_LONGTERM,
# +1024) and a vmsplice'd pipe buffer (+1) both break that, so the PTE is
# re-installed and the data stays. Draining the pipe drops its reference: the
# next MADV_PAGEOUT drops that page; the pinned page goes only after
# IORING_UNREGISTER_BUFFERS. The device still sees the pinned page's data.
scenario host-droppable-pin-and-pipe
doc "a pinned and a vmsplice'd droppable page survive MADV_PAGEOUT; each goes once its reference is gone"
ref droppable.md §4.3, §11 T15/T16; mm/rmap.c try_to_unmap_one(), io_uring/rsrc.c io_pin_pages()

P0: mmap D 3 rw droppable
P0: write D = 0xaa
P0: pin K = D[0] write longterm
P0: vmsplice D[1] -> pipe p
P0: madvise D pageout -> po1
P0: read D[0] -> pinned
P0: read D[1] -> spliced
P0: read D[2] -> plain
dma read K[0] -> dev
P0: read pipe p -> piped
P0: madvise D pageout -> po2
P0: read D[0] -> pinned2
P0: read D[1] -> drained
P0: unpin K
P0: madvise D pageout -> po3
P0: read D[0] -> unpinned

expect po1 == OK
expect pinned == 0xaa
expect spliced == 0xaa
expect plain == 0
expect dev == 0xaa
expect piped == 0xaa
expect po2 == OK
expect pinned2 == 0xaa
expect drained == 0
expect po3 == OK
expect unpinned == 0
