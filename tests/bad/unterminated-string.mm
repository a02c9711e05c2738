# expect: 3:5: unterminated string
scenario s
doc "never closed
P0: mmap A 1 rw
