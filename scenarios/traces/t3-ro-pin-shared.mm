# cow-gup.md §10 T3 = cow.c #9 "R/O GUP pin on R/O-mapped shared page" under
# policy C (6.18), with counters. fork (child alive): X ref 2, map 2, PAE 0.
# R/O pin -> gup_must_unshare() -> do_wp_page(unshare) ->
# wp_can_reuse_anon_folio(): ref 2 > 1 -> wp_page_copy() with unshare: the
# parent gets Y (ref 1, map 1, PAE 1, PTE R/O), X drops to ref 1, map 1
# (child). The pin on Y: ref 1025. The parent's write reuses Y. The child
# still sees old X.
# A (5.7) and B (5.9-5.18): the R/O pin takes a reference on the shared X
# (ref 2 + 1024 = 1026, map 2, pagemap exclusive 0 for both); the parent's
# memset copies (mapcount 2 / refcount > 1), the pin stays on X, which the
# child keeps: FAIL (§3.4, §4.4, §8.6 #9). A' (5.8): the forced write fault
# copies before pinning: same counters as C (§3.7).
# No PG_anon_exclusive before 5.19 (probe: none).
scenario t3-ro-pin-shared
doc "T3: R/O pin on a COW-shared page copies it for the pinner (unshare)"
ref cow-gup.md §10 T3, §8.3 #9, §5.5

P0: mmap A 1 rw
P0: write A[0] = 1
P0: pfn A[0] -> x
P0: fork P1
P0: refcount A[0] -> r1
P0: mapcount A[0] -> m1
P0: anon_exclusive A[0] -> e1
P0: pin K = A[0] longterm
P0: pfn A[0] -> y
P0: refcount A[0] -> yr
P0: mapcount A[0] -> ym
P0: pincount A[0] -> ypc
P0: anon_exclusive A[0] -> ye
P0: exclusive A[0] -> ypm
P1: pfn A[0] -> cx
P1: refcount A[0] -> xr
P1: mapcount A[0] -> xm
P1: exclusive A[0] -> xpm
P0: write A[0] = 0xff
P0: pfn A[0] -> y2
dma read K[0] -> v
P1: read A[0] -> child_sees

expect r1 == 2
expect m1 == 2
expect e1 == false
expect y != x
expect yr == 1025
expect ym == 1
expect ypc == 1
expect ye == true
expect ypm == true
expect cx == x
expect xr == 1
expect xm == 1
expect xpm == true
expect y2 == y
expect v == 0xff
expect child_sees == 1
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] e1 == none
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] ye == none
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] y == x                   # pinned the shared page itself
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] yr == 1026               # 2 mappings + GUP_PIN_COUNTING_BIAS
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] ym == 2
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] ypm == false
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] xr == 1026
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] xm == 2
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] xpm == false
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] y2 != y                  # the memset copied
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] v == 1                   # FAIL: stale pin
expect lost_coherence == 0
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] lost_coherence == 1
