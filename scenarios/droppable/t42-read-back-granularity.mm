# droppable.md §11 T42, §4.4. Dropping is per folio: MADV_PAGEOUT of page 1
# only drops page 1; its neighbours keep their data. A dropped page has a
# none PTE and reads 0 (whole page); nothing else records the drop.
scenario droppable-read-back-granularity
doc "Only the paged-out droppable page reads zero; its neighbours are intact"
ref droppable.md §11 T42, §4.4

P0: mmap D 3 rw droppable refill 7
P0: write D = 0xaa
P0: madvise D[1] pageout -> po
P0: read D[0] -> d0
P0: read D[1] -> d1
P0: read D[2] -> d2

expect d0 == 0xaa
expect d1 == 0
expect d2 == 0xaa
expect[droppable=sigbus] d1 == SIGBUS
expect[droppable=refill] d1 == 7
expect[droppable=pinned] po == EINVAL
expect[droppable=pinned] d1 == 0xaa
