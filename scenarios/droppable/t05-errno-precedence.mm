# droppable.md §11 T05, §2.2 steps 5-8: the first failing check wins.
# An unprivileged process (setrlimit makes it one: no CAP_IPC_LOCK):
# - RLIMIT_MEMLOCK 0 + MAP_LOCKED: "if (!can_do_mlock()) return -EPERM"
#   comes before the droppable switch -> EPERM;
# - limit 16 pages (64 KiB) + MAP_LOCKED of 256 pages (1 MiB):
#   mlock_future_ok() -> EAGAIN, still before the switch;
# - limit 16 + MAP_LOCKED of 4 pages (16 KiB): both pass, then case
#   MAP_DROPPABLE: "flags & (MAP_LOCKED|MAP_HUGETLB)" -> EINVAL.
# The same order holds before 6.11 (the switch's default case gives the
# EINVAL), so every profile agrees.
scenario droppable-errno-precedence
doc "MAP_DROPPABLE|MAP_LOCKED unprivileged: EPERM, then EAGAIN, then EINVAL"
ref droppable.md §11 T05, §2.2; do_mmap(), can_do_mlock(), mlock_future_ok()

P0: setrlimit memlock 0
P0: mmap A 1 rw droppable locked -> r0
P0: setrlimit memlock 16
P0: mmap B 256 rw droppable locked -> r1
P0: mmap C 4 rw droppable locked -> r2

expect r0 == EPERM
expect r1 == EAGAIN
expect r2 == EINVAL
