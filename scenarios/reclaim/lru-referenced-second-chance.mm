# mm/vmscan.c shrink_inactive_list() -> shrink_folio_list() ->
# folio_check_references(): reclaim scans the inactive list from its tail
# (oldest first). A swap-backed anon folio whose PTE is young
# (folio_referenced() > 0) is activated instead of reclaimed -- its second
# chance; the young bit is cleared on the way. Here all three fresh pages
# are young at the first pass: they are activated, shrink_active_list()
# deactivates them again (not young any more), and the next pass takes the
# oldest, A[0]. Then A[1] is touched again: at the next reclaim it is
# activated and A[2], although younger in LRU order, is swapped out.
# Not modelled: MGLRU, swappiness, anon/file balancing.
scenario lru-referenced-second-chance
doc "Reclaim takes the oldest unreferenced folio; a referenced one is activated instead"
ref mm/vmscan.c shrink_folio_list(), folio_check_references(), shrink_active_list()
config swap=8

P0: mmap A 3 rw
P0: write A = 1
reclaim 1 -> f1
P0: swapped A[0] -> s0
P0: active A[1] -> act1
P0: read A[1] -> x                  # the PTE is young again
reclaim 1 -> f2
P0: swapped A[1] -> s1
P0: swapped A[2] -> s2
P0: active A[1] -> act1_after

expect f1 == 1
expect s0 == true                   # the oldest goes first
expect act1 == false                # activated, then deactivated by aging
expect s1 == false                  # referenced: second chance
expect s2 == true
expect act1_after == true
