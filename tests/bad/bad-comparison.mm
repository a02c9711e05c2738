# expect: 4:10: expected '==' or '!=', got '='
P0: mmap A 1 rw
P0: read A -> x
expect x = 0
