# expect: 3:12: expected a number of ranges to collapse, '-> name' or end of line, got 'now'
P0: mmap A 1 rw
khugepaged now
