# cow.c non-anon "R/O longterm GUP-fast pin" (with shared zeropage), cow-gup.md
# §8.5 #21, §7.8. Since 6.2 (84209e87c696 "mm/gup: reliable R/O long-term
# pinning in COW mappings") gup_must_unshare() also returns true for a
# non-anon page (here the shared zero page) when FOLL_LONGTERM is set in a
# COW mapping (GUP-fast has no VMA: it returns true and falls back to the
# slow path): FAULT_FLAG_UNSHARE -> do_wp_page(unshare) -> wp_page_copy()
# maps a new exclusive anon page R/O and the pin is taken on it. memset(mem)
# then reuses that page (PAE), so the pin sees the new data. Before 6.2 the
# pin stayed on the zero page and went stale. (A R/O pin *without*
# FOLL_LONGTERM still pins the zero page itself and goes stale in every era
# but 5.8: cow/ro-shortterm-gup-pin-with-shared-zeropage.mm.) 6.18: PASS.
# 5.7, 5.9-5.18 (A, B): gup_must_unshare() does not exist / ignores non-anon
# pages: the long-term pin is taken on the zero page itself; the memset
# faults in a new anon page, the pin stays on the zero page and reads 0: FAIL
# (§7.8, §8.6 "non-anon #20/#21: FAIL before 84209e87c696").
# 5.8 (A'): should_force_cow_break() (is_cow_mapping && FOLL_GET|FOLL_PIN,
# §3.7) turns *every* pin in the COW mapping -- long-term or not -- into a
# write fault, which replaces the zero page by a new anon page before pinning
# it: the pin sees the later writes (the §3.7 mechanism; §8.6's blanket
# "FAIL before 6.2" for #20/#21 does not account for A').
# 5.19 and 6.1 (PG_anon_exclusive without 84209e87c696): gup_must_unshare()
# ignores non-anon pages, so the pin stays on the old page as before: FAIL.
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
P0: unpin K

expect z0 == 0
expect p0 != zp0                    # unshared: no longer the zero page
expect pae == true
expect p1 == p0
expect v == 0xff                    # PASS
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18,linux-5.19,linux-6.1] pae == none
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18,linux-5.19,linux-6.1] p0 == zp0      # pinned the zero page itself
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18,linux-5.19,linux-6.1] p1 != p0       # the write installed a new page
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18,linux-5.19,linux-6.1] v == 0         # FAIL: the pin reads the zero page
expect lost_coherence == 0
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18,linux-5.19,linux-6.1] lost_coherence == 1
expect[linux-5.8] lost_coherence == 0
