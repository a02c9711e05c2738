# expect: 3:21: split_pmd_begin takes a mapping or one page (the PMD containing it)
P0: mmap A 4 rw
P0: split_pmd_begin A[0:2]
P0: split_pmd_end A
