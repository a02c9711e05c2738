# cow.c "vmsplice() + unmap in child with mprotect() optimization" (with base
# page), cow-gup.md §8.3 #4. As #3, but the parent does mprotect(R) +
# mprotect(RW) before writing. can_change_pte_writable() refuses to map the
# non-PG_anon_exclusive page writable, so the write still faults into
# do_wp_page() and wp_can_reuse_anon_folio() (refcount 2) copies.
# 6.18 (policy C): PASS.
# <= 5.18 mprotect(RW) never upgrades a private PTE (§2.2 item 2), so the
# outcome is that of #3: 5.9-5.18 (B) refcount 2 -> copy: PASS; 5.8 (A') the
# child's vmsplice was a forced write fault that gave the child its own copy,
# the parent reuses its page harmlessly: PASS; <= 5.7 (A) reuse_swap_page()
# sees mapcount 1 and reuses the page the pipe holds: LEAK (§8.6 #4).
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
expect[linux-5.7,linux-5.8] p1 == p0        # mapcount 1: reused
expect[linux-5.7] x == 0xff                   # LEAK
expect leaks == 0
expect[linux-5.7] leaks == 1
