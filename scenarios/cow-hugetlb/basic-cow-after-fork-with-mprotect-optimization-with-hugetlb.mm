# cow.c "Basic COW after fork() with mprotect() optimization" (with hugetlb),
# cow-gup.md §8.2 item 4, §8.3 #2, §5.9. As #1, but the parent does
# mprotect(PROT_READ) + mprotect(PROT_READ|PROT_WRITE) before the memset.
# hugetlb_change_protection() only rebuilds the huge PTE from the private
# VMA's vm_page_prot (never writable in a COW mapping) and has no
# can_change_pte_writable() shortcut, so the PTE stays R/O in every era and
# the write goes through hugetlb_wp(): mapcount 2 -> copy.
# Every profile (5.7, 5.8, 5.9, 5.11, 5.18, 6.18): PASS. Under 6.18 the page
# is no longer PG_anon_exclusive after fork (probe false); before 5.19 there
# is no such flag (probe none).
scenario basic-cow-after-fork-with-mprotect-optimization-with-hugetlb
doc "mprotect(R) + mprotect(RW) after fork() must not map a shared hugetlb page writable"
ref tools/testing/selftests/mm/cow.c "Basic COW after fork() with mprotect() optimization" (with hugetlb)
ref cow-gup.md §5.9, §8.2 item 4, §8.3 #2, §2.2 item 2
config hugetlb=2

P0: mmap A 1 rw hugetlb
P0: write A[0] = 1
P0: pfn A[0] -> p0
P0: fork P1
P1: read A[0] -> old
P0: mprotect A r
P0: mprotect A rw
P0: anon_exclusive A[0] -> pae      # shared: not PAE
P0: write A[0] = 0xff
P0: pfn A[0] -> p1
P1: pfn A[0] -> c1
P1: read A[0] -> now

expect old == 1
expect pae == false
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] pae == none
expect now == 1                     # PASS: no leak from parent into child
expect p1 != p0
expect c1 == p0
expect leaks == 0
