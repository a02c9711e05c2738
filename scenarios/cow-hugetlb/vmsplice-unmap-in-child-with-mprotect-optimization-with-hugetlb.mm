# cow.c "vmsplice() + unmap in child with mprotect() optimization" (with
# hugetlb), cow-gup.md §8.2 item 4, §8.3 #4, §5.9. cow.c marks this XFAIL
# with hugetlb: "With hugetlb, some vmsplice() tests are currently expected
# to fail because (a) harder to fix and (b) nobody really cares".
# As #3 plus mprotect(R) + mprotect(RW) in the parent before the memset.
# hugetlb_change_protection() never makes the private huge PTE writable, so
# the write still faults into hugetlb_wp(), whose rule in every era is
# "reuse iff folio_mapcount == 1" (the refcount -- here parent PTE + pipe --
# is never consulted): the parent reuses the page the child's pipe holds.
# 5.7, 5.9, 5.11, 5.18, 6.18: LEAK (cow.c: XFAIL).
# 5.8: PASS -- should_force_cow_break() also covers hugetlb VMAs in
# __get_user_pages(), so the child's vmsplice write-faulted first and
# hugetlb_wp() (mapcount 2) gave the child a private copy for the pipe.
scenario vmsplice-unmap-in-child-with-mprotect-optimization-with-hugetlb
doc "mprotect(R)+mprotect(RW) does not help: hugetlb_wp() reuses by mapcount (cow.c XFAIL)"
ref CVE-2020-29374; tools/testing/selftests/mm/cow.c "vmsplice() + unmap in child with mprotect() optimization" (with hugetlb)
ref cow-gup.md §5.9, §7.1 (hugetlb), §3.7, §8.3 #4, §8.6
config hugetlb=2

P0: mmap A 1 rw hugetlb
P0: write A[0] = 1
P0: pfn A[0] -> p0
P0: fork P1
P1: vmsplice A[0] -> pipe p
P1: munmap A
P0: mprotect A r
P0: mprotect A rw
P0: write A[0] = 0xff
P0: pfn A[0] -> p1
P1: read pipe p -> x
P0: read A[0] -> mine

expect p1 == p0                     # mapcount 1: reused
expect x == 0xff                    # LEAK (cow.c: XFAIL)
expect mine == 0xff
expect[linux-5.8] x == 1            # PASS: the pipe holds the child's forced-COW copy
expect leaks == 1
expect[linux-5.8] leaks == 0
