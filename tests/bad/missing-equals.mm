# expect: 3:16: expected '=' and a token, got '0xaa'
P0: mmap A 1 rw
P0: write A[0] 0xaa
