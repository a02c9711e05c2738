# cow-gup.md §10 T2 = cow.c #11 "R/O GUP pin on R/O-mapped previously-shared
# page" under policy C (6.18), with counters. After fork + child exit the page
# is ref 1, map 1, not PAE, PTE R/O. The R/O long-term pin: follow_page_pte()
# -> gup_must_unshare() -> FAULT_FLAG_UNSHARE -> do_wp_page(unshare) ->
# wp_can_reuse_anon_folio() (ref 1) -> PAE := 1, PTE stays R/O; then
# try_grab_folio(FOLL_PIN) adds GUP_PIN_COUNTING_BIAS (ref 1025). The write
# reuses (PAE). unpin_user_page() drops 1024. Same PFN throughout.
# A (5.7): the pin just takes a reference (ref 1025); the memset sees mapcount 1
# and reuses: PASS, same PFN. A' (5.8): the forced write fault reuses (mapcount
# 1) before the pin: same counters. B (5.9-5.18): the memset sees ref 1025 != 1
# and copies: the parent moves to a new page (ref 1), the pin keeps the
# orphaned X (ref 1024, map 0) until unpin frees it: FAIL (§10 T2).
# No PG_anon_exclusive before 5.19 (probe: none).
scenario t2-ro-pin-previously-shared
doc "T2: R/O pin on a previously-shared page reuses it in place"
ref cow-gup.md §10 T2, §8.3 #11, §5.5

P0: mmap A 1 rw
P0: write A[0] = 1
P0: pfn A[0] -> x
P0: fork P1
P1: exit
P0: refcount A[0] -> r1
P0: mapcount A[0] -> m1
P0: anon_exclusive A[0] -> e1
P0: pin K = A[0] longterm
P0: pfn A[0] -> x2
P0: refcount A[0] -> r2
P0: pincount A[0] -> pc2
P0: anon_exclusive A[0] -> e2
P0: has_pinned -> hp
P0: write A[0] = 0xff
P0: pfn A[0] -> x3
P0: refcount A[0] -> r3
dma read K[0] -> v
P0: unpin K
P0: refcount A[0] -> r4
P0: mapcount A[0] -> m4
P0: pincount A[0] -> pc4
P0: anon_exclusive A[0] -> e4
P0: pfn A[0] -> x4

expect r1 == 1
expect m1 == 1
expect e1 == false
expect x2 == x
expect r2 == 1025
expect pc2 == 1
expect e2 == true
expect hp == true
expect x3 == x
expect r3 == 1025
expect v == 0xff
expect r4 == 1
expect m4 == 1
expect pc4 == 0
expect e4 == true
expect x4 == x
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] e1 == none
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] e2 == none
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] e4 == none
expect[linux-5.9,linux-5.11,linux-5.18] x3 != x                  # the memset copied
expect[linux-5.9,linux-5.11,linux-5.18] r3 == 1                  # the parent's new page is not pinned
expect[linux-5.9,linux-5.11,linux-5.18] v == 1
expect[linux-5.9,linux-5.11,linux-5.18] x4 != x                  # the parent keeps its copy
expect lost_coherence == 0
expect[linux-5.9,linux-5.11,linux-5.18] lost_coherence == 1
expect[linux-5.7,linux-5.8] hp == none    # mm->has_pinned exists from 5.9 (008cfe4418b3)
