# expect: 2:17: 'refill' needs 'droppable'
P0: mmap A 1 rw refill gen
