# expect: 2:10: unknown VM type 'sw_protect'
P0: vm V sw_protect
