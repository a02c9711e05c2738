# expect: 3:27: expected 'file', got 'pipe'
P0: mmap A 1 rw
P0: odirect_write A[0] -> pipe F
