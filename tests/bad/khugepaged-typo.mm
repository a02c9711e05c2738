# expect: 3:1: expected a step ('P0: ...', 'dma ...', 'reclaim', 'khugepaged') or a directive (scenario, doc, ref, config, expect), or a guest access ('guest V: ...'), got 'khugepage'
P0: mmap A 1 rw
khugepage -> n
