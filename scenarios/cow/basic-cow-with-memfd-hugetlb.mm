# cow.c non-anon "Basic COW" (with memfd hugetlb (2048 kB)), cow-gup.md §8.5 #19:
# writing through a MAP_PRIVATE mapping must not modify the file, seen
# through a MAP_SHARED R/O mapping of the same page.
# The file is memfd_create(MFD_HUGETLB): a hugetlbfs file of one huge page
# (one model page, one pool entry). fallocate() takes the page from the pool
# into the page cache (hugetlbfs_fallocate()); the private mapping reserves one
# more huge page for the COW copy (hugetlb_reserve_pages()), hence hugetlb=2 --
# cow.c skips with "need more free huge pages" otherwise. Both read faults map
# the page-cache huge page (hugetlb_no_page(), R/O in the private mapping).
# hugetlb has no zero page and no writenotify; pages are not in rss.
# The write fault on the R/O page-cache PTE goes to hugetlb_wp(): a page-cache folio is never reused ("folio_mapcount == 1 &&
# folio_test_anon" fails), so the write copies it into a new anonymous huge page.
# The same in every era: PASS.
scenario basic-cow-with-memfd-hugetlb
doc "A private mapping's write never reaches the file it maps (memfd hugetlb)"
ref tools/testing/selftests/mm/cow.c "Basic COW" (with memfd hugetlb (2048 kB))
ref cow-gup.md §8.5 #19, §8.6, §5.9
config hugetlb=2

P0: memfd F 1 hugetlb
P0: fallocate F
P0: mmap M 1 rw file F              # mem: MAP_PRIVATE
P0: mmap S 1 r file F shared        # smem: MAP_SHARED, R/O
P0: read M[0] -> m0
P0: read S[0] -> s0
P0: pfn M[0] -> pm
P0: pfn S[0] -> ps
P0: write M[0] = 0xff               # memset(mem, 0xff)
P0: read S[0] -> s1
P0: read M[0] -> m1
P0: pfn M[0] -> pm1
P0: file M[0] -> f1
P0: rss_anon -> anon

expect m0 == 0
expect pm == ps                     # both map the page-cache page
expect s1 == 0                      # "Other mapping modified" on failure
expect m1 == 0xff
expect pm1 != pm                    # the private copy
expect f1 == false                  # ... is anonymous
expect anon == 0                    # hugetlb pages are not in rss
