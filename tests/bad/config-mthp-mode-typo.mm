# expect: 2:8: config mthp=2:allways: expected always, madvise, inherit or never after '2:', got 'allways'
config mthp=2:allways
P0: mmap A 4 rw
