# A R/O long-term pin over a previously-shared mTHP (cow.c #11 with
# "PTE-mapped THP (16 kB)", seen PFN by PFN). fork cleared PG_anon_exclusive
# on all 4 subpages; the child exited, so only this process maps the folio.
# GUP pins page by page (__get_user_pages()): each !PAE subpage first takes
# an unshare fault (gup_must_unshare(), FAULT_FLAG_UNSHARE -> do_wp_page()):
# - 6.18 __wp_can_reuse_large_anon_folio(): for subpage 0 refcount (4 PTEs)
#   == large_mapcount (4): reused in place, PAE set, the PTE stays R/O; then
#   the pin adds a reference, so for subpages 1-3 refcount 5 != 4: copied.
# - 6.13: wp_can_reuse_anon_folio() never reuses a subpage of a large folio:
#   all 4 copied.
# Either way the pin is coherent with the later write (cow.c PASS).
# Outcome: 5.7-6.1 SKIP (no mTHP before 6.8); 6.13 PASS (4 copies), 6.18 PASS (1 reuse, 3 copies).
scenario mthp-ro-pin-unshare
doc "R/O pin of a previously-shared mTHP: 6.18 reuses the first subpage in place, 6.13 copies all"
ref mm/gup.c gup_must_unshare(); mm/memory.c __wp_can_reuse_large_anon_folio()
ref cow-gup.md §5.2, §5.5, §8.3 #11
config mthp=2
config memory=64

P0: mmap A 4 rw
P0: write A = 1
P0: fork P1
P1: exit
P0: pfn A -> b0, b1, b2, b3
P0: pin K = A longterm
P0: pfn A -> a0, a1, a2, a3
P0: anon_exclusive A -> e0, e1, e2, e3
P0: write A = 0xff
dma read K[0] -> v0
dma read K[3] -> v3
P0: unpin K

expect a0 == b0                    # 6.18: reused in place
expect[linux-6.13] a0 != b0        # 6.13: copied
expect a1 != b1
expect a2 != b2
expect a3 != b3
expect e0 == true                  # every pinned anon page is PAE (cow-gup.md §5.1)
expect e1 == true
expect e2 == true
expect e3 == true
expect v0 == 0xff                  # PASS: the pin sees the CPU's write
expect v3 == 0xff
expect lost_coherence == 0
