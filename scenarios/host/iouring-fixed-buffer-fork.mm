# Written from a 6.18 host run (cow.c "fork() with an iouring fixed buffer"):
# io_uring_register_buffers() takes a long-term R/W pin (pin_user_pages_fast(
# FOLL_WRITE|FOLL_LONGTERM)); fork copies the pinned page for the child
# (folio_needs_cow_for_dma()), the parent keeps the pinned page writable, and
# a WRITE_FIXED to a file reads back the parent's later write. READ_FIXED
# (the device writing) lands in the parent's page too. After unregistering,
# the parent's page is an ordinary exclusive page.
scenario host-iouring-fixed-buffer-fork
doc "fork with an io_uring fixed buffer: the child gets a copy, the pin stays coherent"
ref tools/testing/selftests/mm/cow.c "fork() with an iouring fixed buffer"

P0: mmap A 2 rw
P0: write A = 1
P0: pfn A[0] -> p0
P0: pin K = A write longterm
P0: fork P1
P1: pfn A[0] -> c0
P0: write A[0] = 0xff
P0: pfn A[0] -> p1
dma read K[0] -> v
dma write K[1] = 0x42
P0: read A[1] -> pv1
P1: read A -> c0v, c1v
P0: unpin K
P0: write A[0] = 0xee
P0: pfn A[0] -> p2

expect c0 != p0
expect p1 == p0
expect v == 0xff
expect pv1 == 0x42
expect c0v == 1
expect c1v == 1
expect p2 == p0
# <= 5.8 (mapcount eras): fork shares the pinned page, the parent's write copies
# and the pin goes stale (cow-gup.md §7.4); the model's view of those eras.
expect[linux-5.7,linux-5.8] c0 == p0
expect[linux-5.7,linux-5.8] p1 != p0
expect[linux-5.7,linux-5.8] v == 1
expect[linux-5.7,linux-5.8] c1v == 0x42
expect[linux-5.7,linux-5.8] p2 != p0
expect[linux-5.7,linux-5.8] leaks == 1
expect[linux-5.7,linux-5.8] lost_coherence == 1
