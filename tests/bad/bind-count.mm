# expect: 3:14: covers 2 pages: bind 2 names
P0: mmap A 2 rw
P0: pfn A -> a
