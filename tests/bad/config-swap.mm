# expect: 2:8: config swap=-1: expected a number of swap slots
config swap=-1
P0: mmap A 1 rw
