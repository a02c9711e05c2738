# cow.c "vmsplice() before fork(), unmap in parent after fork()" (with
# hugetlb), cow-gup.md §8.2 item 4, §8.3 #5, §7.1 mirror images, §5.9.
# cow.c marks this XFAIL with hugetlb: "With hugetlb, some vmsplice() tests
# are currently expected to fail because (a) harder to fix and (b) nobody
# really cares". The parent vmsplice()s its exclusive huge page (R/O
# FOLL_GET: refcount 2), forks (a FOLL_GET reference is not a pin, so even
# 4eae4efa2c29's early COW does not apply: the page is shared, mapcount 2)
# and unmaps. The child's memset: hugetlb_wp() sees mapcount 1 and reuses
# the page the parent's pipe still references.
# Every profile (5.7, 5.8, 5.9, 5.11, 5.18, 6.18): LEAK from child into
# parent (cow.c: XFAIL). 5.8 is no exception here: the forced COW break of
# the parent's vmsplice found the page mapped once and reused it (nothing to
# break before fork) -- the same as the base-page A' outcome (§8.6 #5).
scenario vmsplice-before-fork-unmap-in-parent-after-fork-with-hugetlb
doc "A pipe reference taken before fork() sees the child's hugetlb writes: hugetlb_wp() reuses by mapcount (cow.c XFAIL)"
ref tools/testing/selftests/mm/cow.c "vmsplice() before fork(), unmap in parent after fork()" (with hugetlb)
ref cow-gup.md §5.9, §7.1, §8.3 #5, §8.6
config hugetlb=2

P0: mmap A 1 rw hugetlb
P0: write A[0] = 1
P0: vmsplice A[0] -> pipe p
P0: pfn A[0] -> p0
P0: anon_exclusive A[0] -> pae0     # a FOLL_GET reference does not clear PAE
P0: fork P1
P1: anon_exclusive A[0] -> pae1     # fork shared it (not maybe-pinned)
P1: pfn A[0] -> c0
P0: munmap A
P1: refcount A[0] -> ref_before     # child PTE + pipe
P1: write A[0] = 0xff
P1: pfn A[0] -> c1
P1: exit
P0: read pipe p -> x

expect pae0 == true
expect pae1 == false
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] pae0 == none
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] pae1 == none
expect c0 == p0
expect ref_before == 2
expect c1 == p0                     # mapcount 1: reused
expect x == 0xff                    # LEAK from child into parent (cow.c: XFAIL)
expect leaks == 1
