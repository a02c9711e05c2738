# cow.c "R/O GUP pin on R/O-mapped shared page" (with base page), cow-gup.md
# §8.3 #9, §10 T3. fork (child alive), then a R/O FOLL_PIN|FOLL_LONGTERM
# through pin_user_pages().
# follow_page_pte(): the PTE is R/O and gup_must_unshare() (R/O pin, page not
# PG_anon_exclusive) -> -EMLINK -> FAULT_FLAG_UNSHARE -> do_wp_page(unshare):
# wp_can_reuse_anon_folio() sees refcount 2 > 1 -> wp_page_copy() gives the
# parent a new PAE page mapped R/O; the pin is taken on it. The parent's
# memset then reuses it (PAE) and the pin stays coherent.
# 6.18 (policy C): PASS ("Longterm R/O pin is not reliable" on failure).
# 5.8 (A'): should_force_cow_break() turns the R/O pin into a write fault:
# mapcount 2 -> copy at pin time, the pin is on the parent's new page: PASS.
# 5.7 (A), 5.9-5.18 (B): the R/O pin takes a reference on the shared page,
# the memset copies (mapcount 2 / refcount > 1), the pin goes stale: FAIL
# (§3.4, §4.4, §8.6 #9/#10). No PG_anon_exclusive before 5.19 (probe: none).
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
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] pae == none
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] p1 == p0   # pinned the shared page
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] p2 != p1   # the write copied
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] v == 1     # FAIL: stale pin
expect lost_coherence == 0
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] lost_coherence == 1
