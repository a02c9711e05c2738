# expect: 3:23: expected 'size' and the size in bytes
P0: vm V
P0: gmem G = create V 16p
