# expect: 4:8: unknown profile 'linux-9.9'
P0: mmap A 1 rw
P0: read A -> x
expect[linux-9.9] x == 0
