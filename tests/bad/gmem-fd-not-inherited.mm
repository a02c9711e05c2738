# expect: 5:1: P1 holds no guest_memfd named 'G'
P0: fork P1
P0: vm V
P0: gmem G = create V size 4p
P1: fallocate G[0:1] punch
