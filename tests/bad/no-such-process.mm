# expect: 3:1: process P2 does not exist
P0: mmap A 1 rw
P2: write A[0] = 1
