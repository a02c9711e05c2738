# cow.c "Basic COW after fork() with mprotect() optimization" (with base
# page), cow-gup.md §8.3 #2. "mprotect() optimizations might try avoiding
# write-faults by directly mapping pages writable": on 6.x change_pte_range()
# with MM_CP_TRY_CHANGE_WRITABLE asks can_change_pte_writable(), which maps a
# private anon PTE writable only if the page is PG_anon_exclusive. After fork
# the page is not PAE (folio_try_dup_anon_rmap_pte() cleared it), so the PTE
# stays R/O and the write goes through do_wp_page() -> wp_page_copy().
# 6.18 (policy C): PASS.
# <= 5.18: no PG_anon_exclusive (probe reads none) and mprotect(RW) never
# upgrades a private PTE (§2.2 item 2); the write sees mapcount 2 (A/A') or
# refcount 2 (B/B18) and copies: PASS in every era.
scenario basic-cow-after-fork-with-mprotect-optimization
doc "mprotect(R) + mprotect(RW) after fork() must not map the shared page writable"
ref tools/testing/selftests/mm/cow.c "Basic COW after fork() with mprotect() optimization" (with base page)
ref cow-gup.md §8.3 #2, §2.2 item 2, §5.7

P0: mmap A 1 rw
P0: write A[0] = 1
P0: pfn A[0] -> p0
P0: fork P1
P1: read A[0] -> old
P0: mprotect A r
P0: mprotect A rw
P0: anon_exclusive A[0] -> pae      # still shared: not PAE, so no W upgrade
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
