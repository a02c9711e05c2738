# cow-gup.md §7.4 trace under policy C (6.18): fork() while a page is R/W
# pinned. copy_present_ptes() -> folio_try_dup_anon_rmap_pte() returns -EBUSY
# (PAE && folio_needs_cow_for_dma(): MMF_HAS_PINNED and ref >= 1024), so
# copy_present_page() gives the child Y (ref 1, map 1, PAE 1); the parent's
# X is untouched (ref 1025, map 1, PAE 1, still writable). The child's mm
# does not get MMF_HAS_PINNED. Parent writes reuse X; the device sees them.
# B (5.9-5.18): copy_present_page() (70e806e4e645) gives the child the copy
# when has_pinned && page_maybe_dma_pinned(): same counters (§4.3).
# A/A' (<= 5.8): copy_one_pte() ignores the pin: X is shared (ref 1024 + 2,
# map 2, both R/O); the parent's write sees mapcount 2 and copies, the pin
# stays on X, which now belongs to the child: the device never sees the write
# (§7.4 FAIL). No PG_anon_exclusive before 5.19 (probe: none).
scenario t4-fork-pinned-page
doc "T4 (§7.4): fork of a pinned page copies it for the child; counters"
ref cow-gup.md §7.4, §5.4, §6 row 3

P0: mmap A 1 rw
P0: write A[0] = 1
P0: pfn A[0] -> x
P0: pin K = A[0] write longterm
P0: fork P1
P0: pfn A[0] -> x1
P0: refcount A[0] -> r1
P0: mapcount A[0] -> m1
P0: anon_exclusive A[0] -> e1
P0: exclusive A[0] -> pm1
P1: pfn A[0] -> y
P1: refcount A[0] -> yr
P1: mapcount A[0] -> ym
P1: anon_exclusive A[0] -> ye
P1: has_pinned -> child_hp
P0: has_pinned -> parent_hp
P1: read A[0] -> child_copy
P0: write A[0] = 2
P0: pfn A[0] -> x2
dma read K[0] -> v
P1: read A[0] -> child_sees

expect x1 == x
expect r1 == 1025
expect m1 == 1
expect e1 == true
expect pm1 == true
expect y != x
expect yr == 1
expect ym == 1
expect ye == true
expect child_hp == false
expect parent_hp == true
expect child_copy == 1
expect x2 == x
expect v == 2
expect child_sees == 1
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] e1 == none
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] ye == none
expect[linux-5.7,linux-5.8] r1 == 1026               # shared: 2 mappings + GUP_PIN_COUNTING_BIAS
expect[linux-5.7,linux-5.8] m1 == 2
expect[linux-5.7,linux-5.8] pm1 == false
expect[linux-5.7,linux-5.8] y == x                   # the child maps the pinned page
expect[linux-5.7,linux-5.8] yr == 1026
expect[linux-5.7,linux-5.8] ym == 2
expect[linux-5.7,linux-5.8] x2 != x                  # the parent's write copied
expect[linux-5.7,linux-5.8] v == 1                   # FAIL: the pin is stale
expect lost_coherence == 0
expect[linux-5.7,linux-5.8] lost_coherence == 1
expect[linux-5.7,linux-5.8] child_hp == none    # mm->has_pinned exists from 5.9 (008cfe4418b3)
expect[linux-5.7,linux-5.8] parent_hp == none    # mm->has_pinned exists from 5.9 (008cfe4418b3)
