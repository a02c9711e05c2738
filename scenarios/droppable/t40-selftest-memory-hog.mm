# droppable.md §11 T40, §10: the logic of the 6.11 selftest droppable.c.
# Fill a droppable mapping, fork a child that allocates private memory until
# the machine is under pressure (here: config memory=16, the child writes 12
# private pages with no swap), then look for a page that reads 0. Global
# direct reclaim takes the droppable pages off the file LRU (the child's
# private pages cannot be reclaimed without swap); the parent finds zeros.
# The child's copy of the droppable mapping was wiped at fork.
# pinned: the parent's pages are locked: the hog runs out of memory.
scenario droppable-selftest-memory-hog
doc "A memory hog in a child makes the parent's droppable pages read zero (selftest droppable.c)"
ref droppable.md §11 T40, §10; tools/testing/selftests/mm/droppable.c
config memory=16

P0: mmap D 8 rw droppable refill 7
P0: write D = 0xaa
P0: fork P1
P1: mmap H 12 rw
P1: write H = 0xbb -> hog
P0: read D[0] -> d0

expect hog == OK
expect d0 == 0                      # a zero page found: PASS
expect[droppable=sigbus] d0 == SIGBUS
expect[droppable=refill] d0 == 7
expect[droppable=pinned] hog == OOM
expect[droppable=pinned] d0 == 0xaa
