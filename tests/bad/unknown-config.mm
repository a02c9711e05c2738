# expect: 2:17: unknown config key 'colour'
config memory=8 colour=blue
P0: mmap A 1 rw
