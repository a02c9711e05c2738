# expect: 2:4: expected ':' after the process name
P0 mmap A 1 rw
