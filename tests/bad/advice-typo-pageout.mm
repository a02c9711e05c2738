# expect: 4:15: unknown advice 'pagout' — did you mean 'pageout'?
config swap=4
P0: mmap A 1 rw
P0: madvise A pagout
