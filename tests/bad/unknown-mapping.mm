# expect: 3:11: P0 has no mapping named 'B'
P0: mmap A 1 rw
P0: write B[0] = 1
