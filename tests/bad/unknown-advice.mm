# expect: 3:15: unknown advice 'dontneeed'
P0: mmap A 1 rw
P0: madvise A dontneeed
