# cow.c "R/O GUP pin on R/O-mapped previously-shared page" (with base page),
# cow-gup.md §8.3 #11, §10 T2. fork and the child exits at once: the page is
# "mapped R/O into our page tables, but they are no longer shared" and not
# PG_anon_exclusive. The R/O pin via pin_user_pages()
# hits gup_must_unshare() -> FAULT_FLAG_UNSHARE -> do_wp_page(unshare):
# wp_can_reuse_anon_folio() sees refcount 1 -> folio_move_anon_rmap(), PAE
# set, PTE stays R/O, same page. The memset reuses it (PAE). Policy B copied
# here (refcount 1025 != 1) and the pin went stale.
# 6.18 (policy C): PASS.
# <= 5.8 (A/A'): the child's exit left mapcount 1; A pins the page as is, A'
# forces a write fault that reuses it (mapcount 1); the memset reuses by
# mapcount: PASS. 5.9-5.18 (B): the pin takes a reference on the R/O page; the
# memset sees refcount 1025 -> wp_page_copy(), the pin goes stale: FAIL
# (§8.6 #11/#12). No PG_anon_exclusive before 5.19 (probe: none).
scenario ro-gup-pin-on-ro-mapped-previously-shared-page
doc "A R/O long-term pin on a no-longer-shared page marks it exclusive in place; later writes reuse it"
ref tools/testing/selftests/mm/cow.c "R/O GUP pin on R/O-mapped previously-shared page" (with base page)
ref cow-gup.md §5.2, §5.5, §8.3 #11, §10 T2

P0: mmap A 1 rw
P0: write A[0] = 1
P0: pfn A[0] -> p0
P0: fork P1
P1: exit                            # child exits immediately and is reaped
P0: anon_exclusive A[0] -> pae0
P0: pin K = A[0] longterm
P0: pfn A[0] -> p1
P0: anon_exclusive A[0] -> pae1
P0: write A[0] = 0xff
P0: pfn A[0] -> p2
dma read K[0] -> v
P0: unpin K

expect pae0 == false
expect p1 == p0                     # unshare reused the page (refcount 1)
expect pae1 == true
expect p2 == p0
expect v == 0xff                    # PASS
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] pae0 == none
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] pae1 == none
expect[linux-5.9,linux-5.11,linux-5.18] p2 != p0                     # the write copied
expect[linux-5.9,linux-5.11,linux-5.18] v == 1                       # FAIL: stale pin
expect lost_coherence == 0
expect[linux-5.9,linux-5.11,linux-5.18] lost_coherence == 1
