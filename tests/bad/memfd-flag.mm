# expect: 2:15: unknown memfd flag 'huge' (expected hugetlb
P0: memfd F 1 huge
