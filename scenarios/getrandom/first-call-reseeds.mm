# droppable.md §8: the vDSO getrandom() consumer. glibc mmaps the state
# area with the flags the vDSO reports (MAP_DROPPABLE|MAP_ANONYMOUS, RW) and
# gives each thread its own state that never straddles a page ("pages can be
# zeroed at any time"); here one page-sized state per thread: S[0], S[1].
# __cvdso_getrandom_data(): a state whose generation reads 0 is stale (never
# seeded, dropped, or wiped at fork) -- "generation" is never 0 for valid
# kernel data -- so the first call reseeds from the kernel (the getrandom
# syscall, a fresh key); later calls continue from the state, advancing the
# key (forward secrecy). The model's `getrandom A[k] -> r` is that consumer.
# Each thread's stream is its own; no output is ever produced twice
# (no-state-reuse).
# refill 7: both state pages are filled by the callback with 7, which the
# vDSO takes for a valid key: both threads produce the same output.
# pinned: the pages are locked and pre-faulted (zeroed): reseeded as well.
scenario getrandom-first-call-reseeds
doc "vDSO getrandom: per-thread states in a droppable mapping; the first call reseeds, outputs never repeat"
ref droppable.md §8; lib/vdso/getrandom.c __cvdso_getrandom_data()

P0: mmap S 2 rw droppable refill 7
P0: read S[0] -> g0                 # generation 0: never seeded
P0: getrandom S[0] -> a1            # thread 0: reseed
P0: getrandom S[0] -> a2            # continues from the state
P0: getrandom S[1] -> b1            # thread 1: its own reseed
P0: read S[0] -> st                 # the state now holds a key

expect g0 == 0
expect a2 != a1
expect b1 != a1
expect b1 != a2
expect st != 0
expect state_reuse == 0
expect[droppable=refill] g0 == 7    # the callback filled it
expect[droppable=refill] b1 == a1    # thread 1 replays thread 0's output
expect[droppable=refill] state_reuse == 1
