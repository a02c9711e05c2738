# droppable.md §9 (Linus's SIGBUS flavour, volatile ranges'
# SWP_VRANGE_PURGED markers): under droppable=sigbus reclaim leaves a Dropped
# marker in the PTE and any access to it -- read or write -- raises SIGBUS,
# so a cache notices its loss instead of reading zeros. MADV_DONTNEED on the
# range is the re-arm operation: it zaps the markers, and the range then
# behaves like fresh memory (reads 0, writes allocate). A page that was never
# touched reads 0 in every policy.
# 6.18 (zero): no marker, the dropped page simply reads 0. refill: the
# callback refills. pinned: nothing is dropped (PAGEOUT and DONTNEED are
# EINVAL on the locked VMA).
scenario droppable-policy-sigbus-rearm
doc "droppable=sigbus: a dropped page raises SIGBUS until MADV_DONTNEED re-arms it"
ref droppable.md §9; issue 3 (sigbus policy, re-arm with MADV_DONTNEED)

P0: mmap D 3 rw droppable refill 7
P0: write D[0:2] = 0xaa
P0: madvise D pageout -> po
P0: read D[0] -> r0
P0: write D[1] = 0xbb -> w1
P0: read D[2] -> untouched
P0: madvise D dontneed -> rearm
P0: read D[0] -> r0_after
P0: write D[1] = 0xcc -> w1_after
P0: read D[1] -> r1_after

expect po == OK
expect r0 == 0
expect w1 == OK
expect untouched == 0
expect rearm == OK
expect r0_after == 0
expect w1_after == OK
expect r1_after == 0xcc
expect[droppable=sigbus] r0 == SIGBUS
expect[droppable=sigbus] w1 == SIGBUS
expect[droppable=refill] r0 == 7
expect[droppable=refill] untouched == 7
expect[droppable=refill] r0_after == 7
expect[droppable=pinned] po == EINVAL
expect[droppable=pinned] r0 == 0xaa
expect[droppable=pinned] rearm == EINVAL
expect[droppable=pinned] r0_after == 0xaa
