# expect: 5:1: process P1 has exited
P0: mmap A 1 rw
P0: fork P1
P1: exit
P1: write A[0] = 1
