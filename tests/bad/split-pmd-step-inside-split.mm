# expect: 5:1: P1 is inside the PMD split of A begun at line 4: expected 'P1: split_pmd_end A'
P0: mmap A 4 rw
P0: fork P1
P1: split_pmd_begin A[1]
P1: write A[0] = 1
P1: split_pmd_end A
