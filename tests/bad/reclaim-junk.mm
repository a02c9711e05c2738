# expect: 4:9: expected a number of folios to reclaim, '-> name' or end of line, got 'everything'
P0: mmap A 1 rw
P0: write A[0] = 1
reclaim everything
