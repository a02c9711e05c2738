# expect: 3:5: unknown operation 'mmapp'
scenario op-typo
P0: mmapp A 1 rw
