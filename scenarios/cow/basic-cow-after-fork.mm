# cow.c "Basic COW after fork()" (with base page), cow-gup.md §8.3 #1.
# fork() write-protects the page in both processes and clears
# PG_anon_exclusive (copy_present_ptes() -> folio_try_dup_anon_rmap_pte()).
# The parent's write then goes through do_wp_page(): the page is not PAE and
# wp_can_reuse_anon_folio() sees refcount 2 > 1, so wp_page_copy() gives the
# parent a new page and the child keeps the old data.
# 6.18 (policy C): PASS -- no "Leak from parent into child".
scenario basic-cow-after-fork
doc "After fork() the parent's write must not be visible to the child"
ref tools/testing/selftests/mm/cow.c "Basic COW after fork()" (with base page)
ref cow-gup.md §8.3 #1, §8.6, §10 T1

P0: mmap A 1 rw
P0: write A[0] = 1                  # memset(mem, 1, pagesize)
P0: pfn A[0] -> p0
P0: fork P1
P1: read A[0] -> old                # child backs up mem
P0: write A[0] = 0xff               # parent memset(mem, 0xff)
P0: pfn A[0] -> p1
P1: pfn A[0] -> c1
P1: read A[0] -> now                # child memcmp(old, mem)
P0: read A[0] -> mine

expect old == 1
expect now == 1                     # PASS: the child still sees the old data
expect mine == 0xff
expect c1 == p0                     # the child keeps the original page
expect p1 != p0                     # the parent got a copy
