# expect: 3:15: getrandom uses one state page
P0: mmap D 4 rw droppable
P0: getrandom D -> out
