# Written from 6.18 host runs. `setrlimit memlock N` on the host sets the
# worker's RLIMIT_MEMLOCK and drops CAP_IPC_LOCK from that worker only
# (capset), so it behaves like an unprivileged process: with a limit of 0,
# can_do_mlock() fails and mlock(), MAP_LOCKED and mlockall() give EPERM even
# on a droppable VMA (the request is checked before the droppable VMA is
# skipped); within a 4-page limit, mlock of a droppable page succeeds without
# locking it. mlockall(MCL_FUTURE) then pre-faults a new droppable mapping
# (do_mmap()'s populate from the local VM_LOCKED) without locking it.
scenario host-memlock-unprivileged
doc "RLIMIT_MEMLOCK without CAP_IPC_LOCK: EPERM at 0; droppable mlock accepted but not locked; MCL_FUTURE pre-faults"
ref droppable.md §2.2, §2.3, §5 (mlock, RLIMIT_MEMLOCK rows), §11 T25/T26; mm/mlock.c do_mlock(), can_do_mlock()

P0: mmap D 1 rw droppable
P0: setrlimit memlock 0
P0: mlock D -> m0
P0: mmap L 1 rw locked -> l0
P0: mlockall future -> f0
P0: setrlimit memlock 4
P0: mlock D -> m1
P0: write D = 0xaa
P0: madvise D pageout -> po
P0: read D[0] -> d0
P0: mlockall future -> f1
P0: mmap E 2 rw droppable -> e
P0: present E[0] -> pre0
P0: present E[1] -> pre1
P0: munlockall -> mu

expect m0 == EPERM
expect l0 == EPERM
expect f0 == EPERM
expect m1 == OK
expect po == OK
expect d0 == 0            # mlock did not lock it: still dropped
expect f1 == OK
expect e == OK
expect pre0 == true       # pre-faulted by MCL_FUTURE
expect pre1 == true
expect mu == OK
