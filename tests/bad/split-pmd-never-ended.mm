# expect: 4:1: P1's PMD split of A is never ended (add 'P1: split_pmd_end A')
P0: mmap A 4 rw
P0: fork P1
P1: split_pmd_begin A
P0: write A[0] = 1
