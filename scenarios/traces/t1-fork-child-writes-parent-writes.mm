# cow-gup.md §10 T1 under policy C (6.18): fork, the child writes, then the
# parent writes. do_anonymous_page() maps a new PAE page (ref 1, map 1);
# fork (copy_present_ptes() -> folio_try_dup_anon_rmap_pte()) shares it
# R/O and clears PAE (ref 2, map 2); the child's write: do_wp_page(), not PAE,
# wp_can_reuse_anon_folio() sees ref 2 > 1 -> wp_page_copy() (child gets Y,
# PAE); the parent's write: not PAE but ref 1 -> folio_move_anon_rmap(),
# PAE := 1, wp_page_reuse() -- same PFN.
# A (<= 5.8): reuse_swap_page() count 2 -> child copies; count 1 -> parent
# reuses. B (5.9-5.18): ref 2 -> child copies; ref 1, map 1 -> parent reuses.
# Same PFNs and counters in every era (§10 T1); no PG_anon_exclusive before
# 5.19 (probe: none).
scenario t1-fork-child-writes-parent-writes
doc "T1: counters through fork, child COW copy and parent reuse"
ref cow-gup.md §10 T1, §6 rows 1, 2, 7

P0: mmap A 1 rw
P0: write A[0] = 1
P0: pfn A[0] -> x
P0: refcount A[0] -> r1
P0: mapcount A[0] -> m1
P0: anon_exclusive A[0] -> e1
P0: exclusive A[0] -> pm1           # pagemap bit 56
P0: fork P1
P0: refcount A[0] -> r2
P0: mapcount A[0] -> m2
P0: anon_exclusive A[0] -> e2
P1: anon_exclusive A[0] -> e2c
P0: exclusive A[0] -> pm2
P1: pfn A[0] -> c2
P1: write A[0] = 2                  # child writes: COPY
P1: pfn A[0] -> y
P1: refcount A[0] -> yr
P1: mapcount A[0] -> ym
P1: anon_exclusive A[0] -> ye
P0: refcount A[0] -> r3
P0: mapcount A[0] -> m3
P0: anon_exclusive A[0] -> e3
P0: exclusive A[0] -> pm3
P0: write A[0] = 3                  # parent writes: REUSE
P0: pfn A[0] -> x4
P0: refcount A[0] -> r4
P0: mapcount A[0] -> m4
P0: anon_exclusive A[0] -> e4
P1: read A[0] -> child_sees

expect r1 == 1
expect m1 == 1
expect e1 == true
expect pm1 == true
expect r2 == 2
expect m2 == 2
expect e2 == false
expect e2c == false
expect pm2 == false
expect c2 == x
expect y != x
expect yr == 1
expect ym == 1
expect ye == true
expect r3 == 1
expect m3 == 1
expect e3 == false                  # still not PAE until the next write fault
expect pm3 == true                  # but pagemap already reports mapcount 1
expect x4 == x                      # reuse: PFN unchanged
expect r4 == 1
expect m4 == 1
expect e4 == true                   # reuse set PAE
expect child_sees == 2
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] e1 == none
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] e2 == none
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] e2c == none
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] ye == none
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] e3 == none
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] e4 == none
