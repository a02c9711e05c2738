# cow-gup.md §7.3 trace (spec §10 has no T4; this and t4-fork-pinned-page
# follow §7.3/§7.4) under policy C (6.18): a R/W long-term pinned page
# (pin_user_pages(FOLL_WRITE|FOLL_LONGTERM): ref 1025, MMF_HAS_PINNED) is
# mprotect(R)'d and mprotect(RW)'d. The pin never clears PAE; the RW upgrade
# goes through can_change_pte_writable() (PAE page, VM_SOFTDIRTY still set
# so no soft-dirty tracking fault) and the write reuses the page. Counters
# unchanged by the mprotect()s. clear_refs (in §7.3's step 2) is not in the
# language yet and is omitted.
scenario t4-mprotect-pinned-page
doc "T4 (§7.3): mprotect R then RW on a pinned page keeps counters and the pin coherent"
ref cow-gup.md §7.3, §6 row 12

P0: mmap A 1 rw
P0: write A[0] = 1
P0: pfn A[0] -> x
P0: pin K = A[0] write longterm
P0: refcount A[0] -> r1
P0: pincount A[0] -> pc1
P0: anon_exclusive A[0] -> e1
P0: has_pinned -> hp
P0: mprotect A r
P0: refcount A[0] -> r2
P0: mapcount A[0] -> m2
P0: anon_exclusive A[0] -> e2
P0: write A[0] = 2 -> denied         # R/O now: SIGSEGV
P0: mprotect A rw
P0: write A[0] = 3
P0: pfn A[0] -> x3
P0: refcount A[0] -> r3
P0: mapcount A[0] -> m3
dma read K[0] -> v
dma write K[0] = 4
P0: read A[0] -> cpu_sees
P0: unpin K dirty
P0: refcount A[0] -> r4

expect r1 == 1025
expect pc1 == 1
expect e1 == true
expect hp == true
expect r2 == 1025
expect m2 == 1
expect e2 == true
expect denied == SIGSEGV
expect x3 == x
expect r3 == 1025
expect m3 == 1
expect v == 3
expect cpu_sees == 4                # device writes reach the CPU's page
expect r4 == 1
