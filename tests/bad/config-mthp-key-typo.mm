# expect: 2:8: unknown config key 'mthps' (known:
config mthps=2
P0: mmap A 4 rw
