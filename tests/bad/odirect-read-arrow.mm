# expect: 3:27: expected '<- file NAME', got '->'
P0: mmap A 1 rw
P0: odirect_read A[0]     -> file F
