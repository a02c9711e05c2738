# droppable.md §11 T25, §5 RLIMIT_MEMLOCK. The mlock *request* is still
# checked against RLIMIT_MEMLOCK before the droppable VMA is skipped
# (do_mlock(): EPERM if !can_do_mlock(), ENOMEM if len + locked_vm > limit
# without CAP_IPC_LOCK). Unprivileged, limit 16 pages (64 KiB):
# mlock of a 256-page (1 MiB) droppable range -> ENOMEM; of a 4-page one -> 0
# and locked_vm stays 0; mlockall(MCL_CURRENT) -> ENOMEM because total_vm
# (droppable VMAs included) exceeds the limit; limit 0 -> mlock EPERM.
# pinned: both mappings were charged at mmap (locked_vm 260), so even the
# small mlock is over the limit.
scenario droppable-rlimit-memlock-checked
doc "mlock of droppable memory is a no-op but still checked against RLIMIT_MEMLOCK"
ref droppable.md §11 T25, §5; do_mlock(), mlockall() total_vm check

P0: mmap B 256 rw droppable
P0: mmap S 4 rw droppable
P0: setrlimit memlock 16
P0: mlock B -> big
P0: mlock S -> small
P0: locked_vm -> lv
P0: mlockall current -> all
P0: setrlimit memlock 0
P0: mlock S -> zero_limit

expect big == ENOMEM
expect small == OK
expect lv == 0
expect all == ENOMEM
expect zero_limit == EPERM
expect[droppable=pinned] small == ENOMEM
expect[droppable=pinned] lv == 260
