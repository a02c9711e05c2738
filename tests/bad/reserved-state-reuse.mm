# expect: 3:23: 'state_reuse' is the name the no-state-reuse check binds
P0: mmap D 1 rw droppable
P0: getrandom D[0] -> state_reuse
