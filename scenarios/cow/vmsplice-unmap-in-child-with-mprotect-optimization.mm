# cow.c "vmsplice() + unmap in child with mprotect() optimization" (with base
# page), cow-gup.md §8.3 #4. As #3, but the parent does mprotect(R) +
# mprotect(RW) before writing. can_change_pte_writable() refuses to map the
# non-PG_anon_exclusive page writable, so the write still faults into
# do_wp_page() and wp_can_reuse_anon_folio() (refcount 2) copies.
# 6.18 (policy C): PASS.
scenario vmsplice-unmap-in-child-with-mprotect-optimization
doc "mprotect(R)+mprotect(RW) must not let the parent write into a page the child's pipe holds"
ref CVE-2020-29374; tools/testing/selftests/mm/cow.c "vmsplice() + unmap in child with mprotect() optimization"
ref cow-gup.md §8.3 #4, §2.2 item 2

P0: mmap A 1 rw
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

expect p1 != p0
expect x == 1                       # PASS
expect mine == 0xff
