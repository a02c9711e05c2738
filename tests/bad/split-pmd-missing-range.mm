# expect: 2:20: expected a mapping (A or A[3]): the PMD containing its first page
P0: split_pmd_begin
