# expect: 5:1: odirect_read of 2 page(s) from file 'F', which has 1
P0: mmap A 2 rw
P0: write A = 1
P0: odirect_write A[0] -> file F
P0: odirect_read A <- file F
