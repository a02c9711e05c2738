# cow.c non-anon "R/O longterm GUP-fast pin" (with memfd hugetlb (2048 kB)), cow-gup.md §8.5 #21.
# mem = MAP_PRIVATE of the file's page, smem = MAP_SHARED R/O of the same page;
# both read-faulted, so both map the one page-cache page. Then a R/O
# long-term pin of mem through pin_user_pages_fast(), memset(mem), read through the pin.
# The file is memfd_create(MFD_HUGETLB): a hugetlbfs file of one huge page
# (one model page, one pool entry). fallocate() takes the page from the pool
# into the page cache (hugetlbfs_fallocate()); the private mapping reserves one
# more huge page for the COW copy (hugetlb_reserve_pages()), hence hugetlb=2 --
# cow.c skips with "need more free huge pages" otherwise. Both read faults map
# the page-cache huge page (hugetlb_no_page(), R/O in the private mapping).
# hugetlb has no zero page and no writenotify; pages are not in rss.
# 6.2+ (6.13, 6.18): gup_must_unshare() is true for a non-anon page in a COW
# mapping with FOLL_LONGTERM (84209e87c696) -- hugetlb GUP asks it too
# (follow_hugetlb_page(), later follow_huge_pmd(); GUP-fast falls back to the
# slow path) -- and hugetlb_fault() passes FAULT_FLAG_UNSHARE to hugetlb_wp(),
# which copies the page-cache folio into a new anonymous huge page mapped R/O
# (make_huge_pte(..., !unshare), 8d6a0ac09a16). The pin is taken on the copy;
# the memset finds it anon with mapcount 1 and reuses it: PASS.
# 5.7, 5.9-5.18, 5.19, 6.1: the pin holds the page-cache huge page; the memset
# goes through hugetlb_wp() and copies: the pin is stale (FAIL).
# 5.8: should_force_cow_break() covers hugetlb VMAs too (follow_hugetlb_page()
# faults with FAULT_FLAG_WRITE), so the pin lands on the private copy: PASS.
scenario ro-longterm-gup-fast-pin-with-memfd-hugetlb
doc "A R/O long-term pin of a private file page unshares it (6.2+), so it sees the process's later writes (memfd hugetlb)"
ref tools/testing/selftests/mm/cow.c "R/O longterm GUP-fast pin" (with memfd hugetlb (2048 kB))
ref cow-gup.md §5.5 (C′), §8.5, §8.6, §5.9
config hugetlb=2

P0: memfd F 1 hugetlb
P0: fallocate F
P0: mmap M 1 rw file F              # mem: MAP_PRIVATE
P0: mmap S 1 r file F shared        # smem: MAP_SHARED, R/O
P0: read M[0] -> m0
P0: read S[0] -> s0
P0: pfn M[0] -> pm
P0: pfn S[0] -> ps
P0: file M[0] -> was_file
P0: pin K = M[0] longterm fast
P0: file M[0] -> pinned_file
P0: write M[0] = 0xff               # memset(mem, 0xff)
dma read K[0] -> v
P0: read S[0] -> s1
P0: unpin K

expect m0 == 0
expect pm == ps                     # both map the page-cache page
expect was_file == true
expect pinned_file == false         # unshared into a private anonymous page
expect v == 0xff                    # PASS
expect s1 == 0                      # the file never sees the private write
expect lost_coherence == 0
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18,linux-5.19,linux-6.1] pinned_file == true
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18,linux-5.19,linux-6.1] v == 0        # FAIL: the pin is on the page-cache page
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18,linux-5.19,linux-6.1] lost_coherence == 1
