# cow.c "R/O GUP pin on R/O-mapped previously-shared page" (with hugetlb),
# cow-gup.md §8.2 item 4, §8.3 #11, §5.9, §8.6. fork and the child exits at
# once: the huge page is "mapped R/O into our page tables, but they are no
# longer shared" (mapcount 1; 6.18: not PG_anon_exclusive). R/O
# FOLL_PIN|FOLL_LONGTERM through pin_user_pages(), memset, read through the pin.
# 6.18 (5.19+ hugetlb unshare): gup_must_unshare() -> hugetlb_wp(unshare):
# mapcount 1 -> reuse in place, folio_move_anon_rmap() + PG_anon_exclusive
# set, PTE stays R/O; the memset reuses it again: PASS.
# 5.8: should_force_cow_break() (hugetlb VMAs included) makes the pin a
# write fault: hugetlb_wp() sees mapcount 1 and reuses in place: PASS.
# 5.7, 5.9, 5.11, 5.18: the pin takes its reference on the R/O-mapped page;
# the memset's hugetlb_wp() sees mapcount 1 and reuses it (the pin's
# refcount is never consulted): PASS. Unlike the base page, which FAILs under
# 5.9-5.18 (refcount 1025 -> copy, §8.6 #11/#12), hugetlb's mapcount rule
# needs no unshare when the page is mapped once: only #9/#10 need hugetlb
# unshare (5.19+).
# Every profile: PASS. No PG_anon_exclusive before 5.19 (probe: none).
scenario ro-gup-pin-on-ro-mapped-previously-shared-page-with-hugetlb
doc "A R/O long-term pin on a no-longer-shared hugetlb page stays coherent: hugetlb_wp() reuses by mapcount"
ref tools/testing/selftests/mm/cow.c "R/O GUP pin on R/O-mapped previously-shared page" (with hugetlb)
ref cow-gup.md §5.5, §5.9, §8.3 #11, §8.6
config hugetlb=2

P0: mmap A 1 rw hugetlb
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
expect p1 == p0                     # no copy at pin time (mapcount 1)
expect pae1 == true                 # 6.18: the unshare marked it exclusive
expect p2 == p0                     # hugetlb_wp(): mapcount 1 -> reuse
expect v == 0xff                    # PASS
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] pae0 == none
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] pae1 == none
expect lost_coherence == 0
