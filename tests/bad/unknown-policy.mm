# expect: 4:8: unknown policy 'nope' for knob 'cow'
P0: mmap A 1 rw
P0: read A -> x
expect[cow=nope] x == 0
