# cow-gup.md §7.3 trace (spec §10 has no T4; this and t4-fork-pinned-page
# follow §7.3/§7.4) under every policy: a R/W long-term pinned page
# (pin_user_pages(FOLL_WRITE|FOLL_LONGTERM): ref 1025, MMF_HAS_PINNED) is
# mprotect(R)'d, clear_refs(4)'d and mprotect(RW)'d (§7.3 step 2). The R/O PTE
# is not skipped by clear_refs (pte_is_pinned() only looks at writable PTEs);
# clear_refs clears VM_SOFTDIRTY, so the RW upgrade leaves the PTE R/O in every
# era (6.18: pte_needs_soft_dirty_wp() vetoes can_change_pte_writable()).
# 6.18 (C): the pin never clears PAE; the write fault reuses the PAE page:
# counters unchanged, device and CPU coherent.
# <= 5.8 (A/A'): the write fault sees mapcount 1 and reuses: coherent.
# 5.9-5.18 (B/B18): the write fault sees ref 1025 != 1 and copies: the CPU now
# writes a new page (ref 1), the device keeps the old one (ref 1024, map 0)
# until the unpin frees it: the device reads stale data and its writes never
# reach the CPU (§7.3 FAIL).
scenario t4-mprotect-pinned-page
doc "T4 (§7.3): mprotect R, clear_refs, mprotect RW on a pinned page: counters and pin coherence"
ref cow-gup.md §7.3, §6 rows 12-13, §2.2 items 2-3

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
P0: clear_refs
P0: softdirty A[0] -> sd
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
expect sd == false
expect x3 == x
expect r3 == 1025
expect m3 == 1
expect v == 3
expect cpu_sees == 4                # device writes reach the CPU's page
expect r4 == 1
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] e1 == none
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] e2 == none
expect[linux-5.9,linux-5.11,linux-5.18] x3 != x                  # the write copied
expect[linux-5.9,linux-5.11,linux-5.18] r3 == 1                  # the CPU's page is not the pinned one
expect[linux-5.9,linux-5.11,linux-5.18] v == 1                   # FAIL: the device reads stale data
expect[linux-5.9,linux-5.11,linux-5.18] cpu_sees == 3            # ... and its write is lost for the CPU
expect lost_coherence == 0
expect[linux-5.9,linux-5.11,linux-5.18] lost_coherence == 1
expect[linux-5.7,linux-5.8] hp == none    # mm->has_pinned exists from 5.9 (008cfe4418b3)
