# expect: 4:5: unknown operation 'swapcont' — did you mean 'swapcount'?
config swap=2
P0: mmap A 1 rw
P0: swapcont A[0] -> n
