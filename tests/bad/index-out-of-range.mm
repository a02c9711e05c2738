# expect: 3:11: beyond the mapping's 2 pages
P0: mmap A 2 rw
P0: write A[5] = 1
