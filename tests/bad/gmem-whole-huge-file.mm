# expect: 4:18: too large to take whole
P0: vm V
P0: gmem G = create V size 1T
P0: gmem_private G -> p
