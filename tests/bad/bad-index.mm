# expect: 3:13: expected a page index, got 'x'
P0: mmap A 2 rw
P0: write A[x] = 1
