# expect: 2:8: config mthp=1: expected ORDER[:always|madvise|inherit|never],... with orders 2 to 9
config mthp=1
P0: mmap A 4 rw
