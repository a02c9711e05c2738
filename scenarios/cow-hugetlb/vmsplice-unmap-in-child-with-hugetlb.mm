# cow.c "vmsplice() + unmap in child" (with hugetlb), CVE-2020-29374 on
# hugetlb, cow-gup.md §8.2 item 4, §8.3 #3, §7.1 "hugetlb", §5.9.
# cow.c marks this XFAIL with hugetlb: "With hugetlb, some vmsplice() tests
# are currently expected to fail because (a) harder to fix and (b) nobody
# really cares". The child vmsplice()s the COW-shared huge page (R/O
# FOLL_GET; FOLL_GET never unshares, not even on 5.19+), then unmaps it. The
# parent's memset goes through hugetlb_wp(), which reuses iff
# folio_mapcount == 1 -- "we don't rely on the (safer) folio refcount here
# ... there can still be leaks between processes, for example, with FOLL_GET
# users" -- so it reuses the page the pipe still references (refcount 2).
# 5.7, 5.9, 5.11, 5.18, 6.18: LEAK (cow.c: XFAIL) -- unlike the base page,
# the refcount (5.9-5.18) and PG_anon_exclusive (5.19+) rules never apply to
# hugetlb.
# 5.8: PASS. 17839856fd58's should_force_cow_break() is also applied to
# hugetlb VMAs in __get_user_pages() (before follow_hugetlb_page()), and
# internal_get_user_pages_fast() forces FOLL_WRITE, so the child's R/O
# vmsplice first write-faults: hugetlb_wp() in the child sees mapcount 2 and
# gives the child a private copy, which the pipe references; the parent's
# page is then mapped once and reused harmlessly. So cow-gup.md §7.1's
# "LEAK in all policies" holds for A, B and C but not for A' (5.8, 5.7.3+).
scenario vmsplice-unmap-in-child-with-hugetlb
doc "hugetlb_wp() reuses by mapcount: a child's pipe reference sees the parent's later writes (cow.c XFAIL)"
ref CVE-2020-29374; tools/testing/selftests/mm/cow.c "vmsplice() + unmap in child" (with hugetlb)
ref cow-gup.md §5.9, §7.1 (hugetlb), §3.7, §8.3 #3, §8.6
config hugetlb=2

P0: mmap A 1 rw hugetlb
P0: write A[0] = 1
P0: pfn A[0] -> p0
P0: fork P1
P1: vmsplice A[0] -> pipe p
P1: munmap A
P0: refcount A[0] -> ref_before     # parent PTE + pipe
P0: mapcount A[0] -> map_before
P0: write A[0] = 0xff
P0: pfn A[0] -> p1
P1: read pipe p -> x

expect ref_before == 2
expect map_before == 1              # all hugetlb_wp() looks at
expect p1 == p0                     # reused although the pipe holds it
expect x == 0xff                    # LEAK (cow.c: XFAIL)
expect[linux-5.8] ref_before == 1   # the pipe holds the child's forced-COW copy
expect[linux-5.8] x == 1            # PASS
expect leaks == 1
expect[linux-5.8] leaks == 0
