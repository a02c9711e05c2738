# cow.c "R/O GUP-fast pin on R/O-mapped shared page" (with hugetlb), cow-gup.md
# §8.2 item 4, §8.3 #10, §5.9, §8.6 ("R/O pin tests need hugetlb unshare
# (5.19+)"). fork (child alive), then a R/O FOLL_PIN|FOLL_LONGTERM through
# pin_user_pages_fast(), parent memset, read through the pin.
# GUP-fast: the huge-page leaf walker (gup_huge_pmd() in 5.x,
# gup_fast_pmd_leaf() in 6.x) sees the R/O huge PTE and gup_must_unshare()
# (6.18) or the forced FOLL_WRITE (5.8) and falls back to the slow path,
# which ends in the same state; 5.7 and 5.9-5.18 pin in the fast path.
# 6.18 (5.19+ hugetlb unshare): the slow GUP path (follow_hugetlb_page() in
# 5.19-6.9, follow_page_mask() since) finds the huge page not
# PG_anon_exclusive, gup_must_unshare() -> hugetlb_fault() with
# FAULT_FLAG_UNSHARE -> hugetlb_wp(unshare): mapcount 2 -> copy into the
# second huge page, mapped R/O and PAE; the pin is taken on it. The memset
# then goes through hugetlb_wp() again: mapcount 1 -> reuse: PASS.
# 5.8: should_force_cow_break() also covers hugetlb VMAs in
# __get_user_pages(): the R/O pin write-faults first, hugetlb_wp() sees
# mapcount 2 and copies; the pin is on the parent's new page, which the
# memset reuses (mapcount 1): PASS.
# 5.7, 5.9, 5.11, 5.18: no unshare, no forced COW break: the pin is taken on
# the shared page; the memset's hugetlb_wp() sees mapcount 2 and copies; the
# pin goes stale: FAIL ("Longterm R/O pin is not reliable").
# No PG_anon_exclusive before 5.19 (probe: none). The model's refcount shows
# a hugetlb pin as +1024 (the kernel uses the large folio's pincount).
scenario ro-gup-fast-pin-on-ro-mapped-shared-page-with-hugetlb
doc "A R/O long-term pin on a COW-shared hugetlb page needs hugetlb unshare (5.19+) to see later writes"
ref tools/testing/selftests/mm/cow.c "R/O GUP-fast pin on R/O-mapped shared page" (with hugetlb)
ref cow-gup.md §5.5, §5.9, §3.7, §8.3 #10, §8.6
config hugetlb=2

P0: mmap A 1 rw hugetlb
P0: write A[0] = 1
P0: pfn A[0] -> p0
P0: fork P1                         # child stays alive
P0: pin K = A[0] longterm fast
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
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] p2 != p1   # hugetlb_wp(): mapcount 2 -> copy
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] v == 1     # FAIL: stale pin
expect lost_coherence == 0
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] lost_coherence == 1
