# expect: 4:14: 'x' is already bound at line 3
P0: mmap A 1 rw
P0: read A -> x
P0: pfn A -> x
