# droppable.md §11 T09, §3.1, §4.5. A write fault allocates an anon folio
# (RssAnon/AnonPages +1 per page) that folio_add_new_anon_rmap() leaves
# !PG_swapbacked, so folio_add_lru() puts it on the *inactive file* list
# (meminfo Inactive(file) grows, not Inactive(anon)). The PTE is born dirty.
# (The smaps LazyFree counter stays 0 because the PTE is dirty; the model's
# `lazyfree` probe is the folio state -- anon and !PG_swapbacked -- not that
# counter. Committed_AS: not modelled.)
# pinned: ordinary swap-backed anon, mlocked (unevictable).
scenario droppable-write-accounting
doc "Written droppable pages count in RssAnon and sit on the inactive file LRU"
ref droppable.md §11 T09, §3.1, §4.5; folio_add_new_anon_rmap(), folio_add_lru()

P0: mmap D 4 rw droppable
P0: write D = 0xaa
P0: rss_anon -> rss
P0: lazyfree D[0] -> lf
P0: active D[0] -> act
P0: unevictable D[0] -> unev
P0: dirty D[0] -> dirty
P0: swapcache D[0] -> sc

expect rss == 4
expect lf == true
expect act == false                 # inactive (file) list
expect unev == false
expect dirty == true                # the PTE is installed dirty
expect sc == false
expect[droppable=pinned] lf == false
expect[droppable=pinned] unev == true
