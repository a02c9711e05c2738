# mm/madvise.c madvise_free_pte_range() + folio_mark_lazyfree(): the PTEs
# and the folio become clean and old, the folio turns !PG_swapbacked and
# moves to the inactive file list. Reclaim (no swap needed) then:
# - a clean lazyfree folio is discarded (try_to_unmap_one(): "ref_count ==
#   1 + map_count && !folio_test_dirty") -- the page reads 0;
# - a folio written again after MADV_FREE is dirty: try_to_unmap_one()
#   restores the PTE and calls folio_set_swapbacked(): ordinary anon again,
#   kept (here without swap, so it stays resident).
scenario madvise-free-lazyfree
doc "MADV_FREE: clean pages are discarded by reclaim, re-dirtied ones become swap-backed again and stay"
ref mm/madvise.c madvise_free_pte_range(), mm/swap.c folio_mark_lazyfree(), mm/rmap.c try_to_unmap_one()

P0: mmap A 2 rw
P0: write A = 0xaa
P0: madvise A free
P0: lazyfree A[0] -> lf
P0: dirty A[0] -> dirty
P0: write A[1] = 0xbb               # re-dirtied
reclaim -> freed
P0: read A[0] -> a0
P0: read A[1] -> a1
P0: lazyfree A[1] -> lf1

expect lf == true
expect dirty == false
expect freed == 1
expect a0 == 0                      # discarded
expect a1 == 0xbb                   # kept
expect lf1 == false                 # swap-backed again
