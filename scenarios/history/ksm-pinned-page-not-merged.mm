# cow-gup.md §5.7, §7.8 (KSM): KSM never merges a pinned page. If it did,
# write_protect_page() + replace_page() would swap the process's PTE over to
# the KSM page while the device still holds the old one: the process and the
# device would silently diverge. Two independent guards, both modelled:
# * write_protect_page() only proceeds if folio_mapcount + 1 + swapcache ==
#   refcount ("Check that no O_DIRECT or similar I/O is in progress", the same
#   test in v5.4 and v6.19 mm/ksm.c): a pin adds GUP_PIN_COUNTING_BIAS, so this
#   fails in every era;
# * 5.19+ (C): folio_try_share_anon_rmap_pte() refuses to clear
#   PG_anon_exclusive of a maybe-pinned folio (6c287605fd56, "mm: COW fixes
#   part 2": "Exclusive anonymous pages that want to be shared (fork(), KSM)
#   first have to be marked shared -- which will fail if there are GUP pins").
# Thread: "mm: COW fixes part 2: reliable GUP pins of anonymous pages" (David
# Hildenbrand, cover letter v3, based on 5.17-rc8).
# Every era: EBUSY while pinned; after unpin the page merges with its twin.
scenario ksm-pinned-page-not-merged
doc "KSM does not merge a pinned page (EBUSY) in any era; it merges once unpinned"
ref cow-gup.md §5.7 (KSM write_protect_page()), §7.8 KSM, §5.1 invariant 6
ref mm/ksm.c write_protect_page(); 6c287605fd56 (v5.19)

P0: mmap A 2 rw
P0: write A = 5                     # identical contents: merge candidates
P0: pfn A -> a0, a1
P0: pin K = A[0] write longterm
P0: ksm_merge A[1] -> m1            # becomes the KSM page
P0: ksm_merge A[0] -> m0            # pinned: refused
P0: pfn A -> b0, b1
P0: refcount A[0] -> r0
P0: write A[0] = 6                  # the pinned page is still the process's page
dma read K[0] -> v
P0: unpin K
P0: write A[0] = 5
P0: ksm_merge A[0] -> m0b           # unpinned: merged
P0: pfn A -> c0, c1

expect m1 == OK
expect m0 == EBUSY
expect b0 == a0                     # not replaced
expect b1 == a1
expect r0 == 1025
expect v == 6                       # device and process still share the page
expect m0b == OK
expect c0 == c1                     # both map the one KSM page
expect c0 == a1
expect lost_coherence == 0            # the pin and the process's page table agree throughout
