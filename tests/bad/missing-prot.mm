# expect: 2:13: expected a protection (rw, r or none), got end of line
P0: mmap A 2
