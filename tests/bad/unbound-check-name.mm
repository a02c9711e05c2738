# expect: 4:8: 'swaped_droppable' is not bound by any step — did you mean 'swapped_droppable'?
P0: mmap D 1 rw droppable
P0: write D[0] = 1
expect swaped_droppable == 0
