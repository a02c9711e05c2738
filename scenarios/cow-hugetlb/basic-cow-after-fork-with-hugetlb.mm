# cow.c "Basic COW after fork()" (with hugetlb), cow-gup.md §8.2 item 4,
# §8.3 #1, §5.9. The area is MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB (one model
# page = one huge page); cow.c needs a second free huge page for the COW copy
# ("need more free huge pages"), hence config hugetlb=2.
# copy_hugetlb_page_range() write-protects the huge PTE in both processes
# (huge_ptep_set_wrprotect(), page_dup_rmap()/hugetlb_try_dup_anon_rmap():
# mapcount 2; 6.18 clears PG_anon_exclusive). The parent's memset goes
# through hugetlb_wp(), whose rule in every era is "reuse iff
# folio_mapcount == 1 && anon" (never the refcount): mapcount 2 -> copy into
# the second huge page; the child keeps the old data.
# Every profile (5.7, 5.8, 5.9, 5.11, 5.18, 6.18): PASS.
scenario basic-cow-after-fork-with-hugetlb
doc "After fork() the parent's write to a private hugetlb page must not be visible to the child"
ref tools/testing/selftests/mm/cow.c "Basic COW after fork()" (with hugetlb)
ref cow-gup.md §5.9, §8.2 item 4, §8.3 #1, §8.6
config hugetlb=2

P0: mmap A 1 rw hugetlb
P0: write A[0] = 1                  # memset(mem, 1, hugetlbsize)
P0: pfn A[0] -> p0
P0: fork P1
P1: read A[0] -> old                # child backs up mem
P0: mapcount A[0] -> map_before
P0: write A[0] = 0xff               # parent memset(mem, 0xff)
P0: pfn A[0] -> p1
P1: pfn A[0] -> c1
P1: read A[0] -> now                # child memcmp(old, mem)
P0: read A[0] -> mine

expect old == 1
expect map_before == 2              # hugetlb_wp(): mapcount 2 -> copy
expect now == 1                     # PASS: the child still sees the old data
expect mine == 0xff
expect c1 == p0                     # the child keeps the original huge page
expect p1 != p0                     # the parent got the second huge page
expect leaks == 0
