# droppable.md §8, §11 T38: "MADV_PAGEOUT on the state page -> generation
# reads 0; next call -> exactly one reseed syscall" [V t_vdso + strace].
# The dropped state page reads back zero, looks stale, and the vDSO reseeds
# from a fresh kernel key: the new output is unrelated to the old stream.
# The same happens when global reclaim drops it.
# sigbus: the vDSO's read of the dropped state raises SIGBUS -- a consumer
# written for the zero semantics would crash; after MADV_DONTNEED re-arms
# the range the call reseeds.
# refill 7: the refilled page holds 7, which the vDSO takes as a valid key:
# after every drop it produces its first output again (state_reuse counts
# each repeat).
# pinned: never dropped (MADV_PAGEOUT/DONTNEED are EINVAL on the locked VMA);
# the stream simply continues.
scenario getrandom-reseed-after-drop
doc "vDSO getrandom reseeds after its state page was dropped (zeros); never reuses a state"
ref droppable.md §8, §11 T38; lib/vdso/getrandom.c __cvdso_getrandom_data()

P0: mmap S 1 rw droppable refill 7
P0: getrandom S[0] -> a1
P0: getrandom S[0] -> a2
P0: madvise S pageout -> po
P0: read S[0] -> gen                # the dropped state reads 0
P0: getrandom S[0] -> a3
P0: madvise S dontneed -> rearm
P0: getrandom S[0] -> a4
reclaim
P0: getrandom S[0] -> a5

expect po == OK
expect gen == 0
expect a3 != a1
expect a3 != a2
expect a4 != a3
expect a5 != a4
expect state_reuse == 0
expect[droppable=sigbus] gen == SIGBUS
expect[droppable=sigbus] a3 == SIGBUS        # until the range is re-armed
expect[droppable=refill] gen == 7
expect[droppable=refill] a1 == 7
expect[droppable=refill] a3 == 7             # the same output again
expect[droppable=refill] a4 == 7
expect[droppable=refill] a5 == 7
expect[droppable=refill] state_reuse == 3
expect[droppable=pinned] po == EINVAL
expect[droppable=pinned] gen != 0            # never dropped
