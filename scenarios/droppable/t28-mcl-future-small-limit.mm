# droppable.md §11 T28, §2.2 step 6. Unprivileged with RLIMIT_MEMLOCK 16
# pages (64 KiB): mlockall(MCL_FUTURE) succeeds and puts VM_LOCKED into
# mm->def_flags; a 256-page (1 MiB) droppable mmap then fails
# mlock_future_ok() -> EAGAIN, before the droppable switch would drop
# VM_LOCKED again. With limit 0, mlockall() itself is EPERM (can_do_mlock()),
# def_flags stay clear and the droppable mmap succeeds.
# Before 6.11 the EAGAIN comes first as well; the mmap that passes the
# rlimit checks then fails with EINVAL (unknown MAP_TYPE).
# pinned: the mapping is VM_LOCKED by itself, so limit 0 gives EAGAIN.
scenario droppable-mcl-future-small-limit
doc "MCL_FUTURE with a small RLIMIT_MEMLOCK: a droppable mmap fails with EAGAIN"
ref droppable.md §11 T28, §2.2; do_mmap(), mlock_future_ok(), can_do_mlock()

P0: setrlimit memlock 16
P0: mlockall future -> fut
P0: mmap D 256 rw droppable -> r1
P0: munlockall
P0: setrlimit memlock 0
P0: mlockall future -> fut0
P0: mmap E 256 rw droppable -> r2

expect fut == OK
expect r1 == EAGAIN
expect fut0 == EPERM
expect r2 == OK
expect[droppable=unsupported] r2 == EINVAL
expect[droppable=pinned] r2 == EAGAIN
