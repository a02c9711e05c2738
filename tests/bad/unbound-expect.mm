# expect: 4:8: 'y' is not bound by any step
P0: mmap A 1 rw
P0: read A -> x
expect y == 0
