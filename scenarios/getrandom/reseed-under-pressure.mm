# droppable.md §8, §4.1: the state page is dropped by ordinary memory
# pressure, not only by MADV_PAGEOUT. A fork child (its copy of the state
# mapping wiped) allocates private memory on a small machine (config
# memory=8, no swap): direct reclaim discards the parent's droppable state
# page. The parent's next call reads generation 0 and reseeds.
# sigbus: the parent's next call faults with SIGBUS. refill: the callback
# needs a page to fill and the machine has none left: the access waits for
# memory (RETRY; "we either OOM or we wait for memory", Andy Lutomirski). pinned: the state page is locked; the child runs out of
# memory instead.
scenario getrandom-reseed-under-pressure
doc "vDSO getrandom reseeds after memory pressure dropped its state page"
ref droppable.md §8, §4.1, §4.2; direct reclaim
config memory=8

P0: mmap S 1 rw droppable refill 7
P0: getrandom S[0] -> a1
P0: fork P1
P1: mmap H 8 rw
P1: write H = 1 -> hog
P0: read S[0] -> gen
P0: getrandom S[0] -> a2

expect hog == OK
expect gen == 0                     # dropped
expect a2 != a1
expect state_reuse == 0
expect[droppable=sigbus] gen == SIGBUS
expect[droppable=sigbus] a2 == SIGBUS
expect[droppable=refill] gen == RETRY
expect[droppable=refill] a2 == RETRY
expect[droppable=pinned] hog == OOM
expect[droppable=pinned] gen != 0
