# expect: 3:1: P0 has no PMD split of A in progress (begin it with 'P0: split_pmd_begin A')
P0: mmap A 4 rw
P0: split_pmd_end A
