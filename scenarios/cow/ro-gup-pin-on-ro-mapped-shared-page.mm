# cow.c "R/O GUP pin on R/O-mapped shared page" (with base page), cow-gup.md
# §8.3 #9, §10 T3. fork (child alive), then a R/O FOLL_PIN|FOLL_LONGTERM
# through pin_user_pages().
# follow_page_pte(): the PTE is R/O and gup_must_unshare() (R/O pin, page not
# PG_anon_exclusive) -> -EMLINK -> FAULT_FLAG_UNSHARE -> do_wp_page(unshare):
# wp_can_reuse_anon_folio() sees refcount 2 > 1 -> wp_page_copy() gives the
# parent a new PAE page mapped R/O; the pin is taken on it. The parent's
# memset then reuses it (PAE) and the pin stays coherent.
# 6.18 (policy C): PASS ("Longterm R/O pin is not reliable" on failure).
scenario ro-gup-pin-on-ro-mapped-shared-page
doc "A R/O long-term pin on a COW-shared page unshares it first, so it sees later writes"
ref tools/testing/selftests/mm/cow.c "R/O GUP pin on R/O-mapped shared page" (with base page)
ref cow-gup.md §5.5, §8.3 #9, §10 T3

P0: mmap A 1 rw
P0: write A[0] = 1
P0: pfn A[0] -> p0
P0: fork P1                         # child stays alive
P0: pin K = A[0] longterm
P0: pfn A[0] -> p1
P0: anon_exclusive A[0] -> pae
P0: write A[0] = 0xff
P0: pfn A[0] -> p2
dma read K[0] -> v
P1: pfn A[0] -> c0
P1: read A[0] -> child_sees
P0: unpin K

expect p1 != p0                     # unshare copied (the child still maps p0)
expect pae == true
expect p2 == p1                     # the write reused the pinned page
expect v == 0xff                    # PASS
expect c0 == p0
expect child_sees == 1
