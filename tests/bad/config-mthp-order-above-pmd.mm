# expect: 3:8: config mthp=4: order 4 is above thp_order=3
config thp_order=3
config mthp=4
P0: mmap A 4 rw
