# cow.c "vmsplice() + unmap in parent after fork()" (with hugetlb),
# cow-gup.md §8.2 item 4, §8.3 #6, §5.9. cow.c marks this XFAIL with
# hugetlb: "With hugetlb, some vmsplice() tests are currently expected to
# fail because (a) harder to fix and (b) nobody really cares".
# fork; the parent vmsplice()s the shared huge page (R/O FOLL_GET, no
# unshare) and unmaps; the child's memset: hugetlb_wp() sees mapcount 1 and
# reuses the page the parent's pipe still references (refcount 2 is never
# consulted by hugetlb_wp()).
# 5.7, 5.9, 5.11, 5.18, 6.18: LEAK from child into parent (cow.c: XFAIL).
# 5.8: PASS -- should_force_cow_break() also covers hugetlb VMAs in
# __get_user_pages(): the parent's vmsplice write-faults first, hugetlb_wp()
# sees mapcount 2 and gives the parent a private copy, which the pipe
# references; the child's page is then its own and is reused harmlessly.
scenario vmsplice-unmap-in-parent-after-fork-with-hugetlb
doc "The parent's pipe reference sees the child's hugetlb writes: hugetlb_wp() reuses by mapcount (cow.c XFAIL)"
ref tools/testing/selftests/mm/cow.c "vmsplice() + unmap in parent after fork()" (with hugetlb)
ref cow-gup.md §5.9, §7.1, §3.7, §8.3 #6, §8.6
config hugetlb=2

P0: mmap A 1 rw hugetlb
P0: write A[0] = 1
P0: pfn A[0] -> p0
P0: fork P1
P0: vmsplice A[0] -> pipe p
P0: munmap A
P1: refcount A[0] -> ref_before     # child PTE + pipe
P1: mapcount A[0] -> map_before
P1: write A[0] = 0xff
P1: pfn A[0] -> c1
P1: exit
P0: read pipe p -> x

expect ref_before == 2
expect map_before == 1
expect c1 == p0                     # mapcount 1: reused
expect x == 0xff                    # LEAK from child into parent (cow.c: XFAIL)
expect[linux-5.8] ref_before == 1   # the pipe holds the parent's forced-COW copy
expect[linux-5.8] x == 1            # PASS
expect leaks == 1
expect[linux-5.8] leaks == 0
