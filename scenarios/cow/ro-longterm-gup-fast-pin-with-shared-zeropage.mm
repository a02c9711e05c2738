# cow.c non-anon "R/O longterm GUP-fast pin" (with shared zeropage), cow-gup.md
# §8.5 #21, §7.8. Since 6.2 (84209e87c696 "mm/gup: reliable R/O long-term
# pinning in COW mappings") gup_must_unshare() also returns true for a
# non-anon page (here the shared zero page) when FOLL_LONGTERM is set in a
# COW mapping (GUP-fast has no VMA: it returns true and falls back to the
# slow path): FAULT_FLAG_UNSHARE -> do_wp_page(unshare) -> wp_page_copy()
# maps a new exclusive anon page R/O and the pin is taken on it. memset(mem)
# then reuses that page (PAE), so the pin sees the new data. Before 6.2 the
# pin stayed on the zero page and went stale. A R/O pin *without*
# FOLL_LONGTERM still pins the zero page itself (no unshare) and does not see
# later writes. 6.18: PASS.
scenario ro-longterm-gup-fast-pin-with-shared-zeropage
doc "A R/O long-term pin on the zero page unshares it first, so the pin sees later writes"
ref tools/testing/selftests/mm/cow.c "R/O longterm GUP-fast pin" (with shared zeropage)
ref cow-gup.md §5.5 (C′ 6.2+), §7.8, §8.5 #21, §8.6

P0: mmap A 2 rw
P0: read A -> z0, z1
P0: pfn A -> zp0, zp1
P0: pin K = A[0] longterm fast
P0: pfn A[0] -> p0
P0: anon_exclusive A[0] -> pae
P0: write A[0] = 0xff               # memset(mem, 0xff)
P0: pfn A[0] -> p1
dma read K[0] -> v
P0: pin S = A[1] fast                    # short-term R/O pin: no unshare
P0: pfn A[1] -> q0
P0: write A[1] = 0xee
dma read S[0] -> sv
P0: unpin K
P0: unpin S

expect z0 == 0
expect p0 != zp0                    # unshared: no longer the zero page
expect pae == true
expect p1 == p0
expect v == 0xff                    # PASS
expect q0 == zp1                    # still the zero page
expect sv == 0                      # the short-term pin went stale (by design)
