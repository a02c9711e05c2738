# expect: 4:18: expected 'private' or 'shared', got 'privat'
P0: vm V
P0: gmem G = create V size 4p
P0: convert G[0] privat -> r
