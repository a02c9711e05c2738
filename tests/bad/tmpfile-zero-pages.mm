# expect: 2:5: tmpfile of 0 pages
P0: tmpfile F 0
