# cow-gup.md §10 T3 = cow.c #9 "R/O GUP pin on R/O-mapped shared page" under
# policy C (6.18), with counters. fork (child alive): X ref 2, map 2, PAE 0.
# R/O pin -> gup_must_unshare() -> do_wp_page(unshare) ->
# wp_can_reuse_anon_folio(): ref 2 > 1 -> wp_page_copy() with unshare: the
# parent gets Y (ref 1, map 1, PAE 1, PTE R/O), X drops to ref 1, map 1
# (child). The pin on Y: ref 1025. The parent's write reuses Y. The child
# still sees old X.
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
