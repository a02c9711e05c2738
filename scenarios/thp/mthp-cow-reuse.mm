# A write fault on a !PG_anon_exclusive subpage of a PTE-mapped mTHP that
# only this process maps any more (the fork child exited):
# - 6.13 (and 5.19-6.12): wp_can_reuse_anon_folio() "let's just consistently
#   not reuse subpages": a 4K copy, the folio keeps the other 3 pages.
# - 6.18: __wp_can_reuse_large_anon_folio(): large_mapcount 4 > 1, mapped by
#   this MM only, refcount == large_mapcount: reuse in place (PAE set).
# cow-gup.md §5.2, §7.7 "Unnecessary COW on large folios".
# Outcome: 5.7-6.1 SKIP (no mTHP before 6.8); 6.13 copy, 6.18 reuse.
scenario mthp-cow-reuse
doc "COW of a previously-shared mTHP subpage: 6.13 copies 4K, 6.18 reuses it"
ref mm/memory.c wp_can_reuse_anon_folio(), __wp_can_reuse_large_anon_folio()
ref cow-gup.md §5.2, §5.3, §7.7
config mthp=2
config memory=64

P0: mmap A 4 rw
P0: write A = 1                    # one order-2 folio
P0: fork P1
P1: exit
P0: pfn A[1] -> before
P0: anon_exclusive A[1] -> ae0
P0: write A[1] = 2
P0: pfn A[1] -> after
P0: anon_exclusive A[1] -> ae1
P0: thp A[1] -> large
P0: read A[1] -> x

expect ae0 == false
expect after == before             # 6.18: reused
expect[linux-6.13] after != before # 6.13: copied
expect ae1 == true
expect large == true
expect[linux-6.13] large == false  # the copy is a small page
expect x == 2
