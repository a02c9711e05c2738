# expect: 2:22: unknown mlockall flag 'futur' — did you mean 'future'?
P0: mlockall current futur
