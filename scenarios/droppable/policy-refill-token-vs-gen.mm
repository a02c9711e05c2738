# droppable.md §9 (Andy Lutomirski's special mapping with ->fault,
# "without needing to ever read zeros"): under droppable=refill every fault
# on a missing page is filled by the mapping's callback. `refill 7` declares
# a fixed token: the same content after every drop. `refill gen` declares a
# generation counter: each refill is new, so two drops never read back the
# same content.
# 6.18 (zero): both read 0 after each drop. sigbus: SIGBUS each time (no
# re-arm here). pinned: nothing is dropped.
scenario droppable-policy-refill-token-vs-gen
doc "droppable=refill: a fixed-token callback refills the same value, a generation callback a new one"
ref droppable.md §9; issue 3 (refill policy)

P0: mmap T 1 rw droppable refill 7
P0: mmap X 1 r                      # keeps T and G from merging into one VMA
P0: mmap G 1 rw droppable refill gen
P0: write T[0] = 0xaa
P0: write G[0] = 0xaa
P0: madvise T pageout -> po
P0: madvise G pageout -> po1
P0: read T[0] -> t1
P0: read G[0] -> g1
P0: madvise T pageout -> po2
P0: madvise G pageout -> po3
P0: read T[0] -> t2
P0: read G[0] -> g2

expect t1 == 0
expect t2 == 0
expect g1 == g2                     # zeros both times
expect[droppable=refill] t1 == 7
expect[droppable=refill] t2 == 7
expect[droppable=refill] g1 != g2   # a new generation per refill
expect[droppable=refill] g1 != 0
expect[droppable=sigbus] t1 == SIGBUS
expect[droppable=sigbus] t2 == SIGBUS
expect[droppable=pinned] t1 == 0xaa
expect[droppable=pinned] t2 == 0xaa
