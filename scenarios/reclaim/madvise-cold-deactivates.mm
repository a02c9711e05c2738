# mm/madvise.c madvise_cold_or_pageout_pte_range() without pageout:
# ptep_test_and_clear_young() and folio_deactivate() (lru_deactivate_fn():
# clear PG_active and PG_referenced, back on the inactive list). MADV_COLD
# reclaims nothing and keeps the data, but the folio has lost its reference:
# at the next reclaim it gets no second chance. A[1] and A[2] were both
# touched; only A[2] was marked cold, and it is the one swapped out.
scenario madvise-cold-deactivates
doc "MADV_COLD keeps the data but takes away the folio's reference: it is reclaimed first"
ref mm/madvise.c madvise_cold_or_pageout_pte_range(), mm/swap.c lru_deactivate_fn()
config swap=8

P0: mmap A 3 rw
P0: write A = 1
reclaim 1                           # A[0] goes; A[1:3] inactive, not young
P0: read A[1] -> x1
P0: read A[2] -> x2
P0: madvise A[2] cold -> c
P0: present A[2] -> still
P0: active A[2] -> act2
reclaim 1
P0: swapped A[1] -> s1
P0: swapped A[2] -> s2

expect c == OK
expect still == true                # MADV_COLD does not reclaim
expect act2 == false
expect s1 == false                  # referenced: second chance
expect s2 == true                   # cold: reclaimed
