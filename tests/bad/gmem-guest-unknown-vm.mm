# expect: 3:1: no VM named 'W'
P0: vm V
guest W: read 1M -> x
