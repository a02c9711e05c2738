# expect: 4:1: release it with 'put'
P0: mmap A 1 rw
P0: gup K = A
P0: unpin K
