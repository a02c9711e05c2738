# cow-gup.md §5.7, §7.8 (KSM): KSM never merges a page that has an extra
# FOLL_GET reference (an O_DIRECT read/write in flight, a vmsplice()d pipe
# buffer). write_protect_page() requires folio_mapcount + 1 + swapcache ==
# refcount ("Check that no O_DIRECT or similar I/O is in progress"; the same
# test in v5.4 and v6.19 mm/ksm.c), which a FOLL_GET reference breaks in every
# era -- it is the only guard here: a FOLL_GET is not a pin, so PAE-based
# folio_try_share_anon_rmap_pte() would have let it through. Without it the
# O_DIRECT data would land in a page the process no longer maps.
# (The GUP is FOLL_WRITE on a writable PTE: no fault and no COW in any era.)
# Every era: EBUSY while the reference is held; merged after put_page().
scenario ksm-foll-get-page-not-merged
doc "KSM does not merge a page with an in-flight FOLL_GET reference (EBUSY) in any era"
ref cow-gup.md §5.7 (KSM write_protect_page()), §7.8 KSM, §6 row 4
ref mm/ksm.c write_protect_page()

P0: mmap A 2 rw
P0: write A = 5
P0: pfn A -> a0, a1
P0: ksm_merge A[1] -> m1            # the KSM page
P0: gup G = A[0] write              # O_DIRECT read in flight
P0: refcount A[0] -> r0
P0: ksm_merge A[0] -> m0            # refused: refcount 2 != mapcount 1 + 1
P0: pfn A[0] -> b0
dma write G[0] = 0xd0               # the read's data arrives
P0: put G
P0: read A[0] -> got                # not lost
P0: vmsplice A[0] -> pipe p         # a pipe buffer is a FOLL_GET reference too
P0: ksm_merge A[0] -> m0p
P0: read pipe p -> piped
P0: write A[0] = 5
P0: ksm_merge A[0] -> m0b           # no extra references: merged
P0: pfn A -> c0, c1

expect m1 == OK
expect r0 == 2
expect m0 == EBUSY
expect b0 == a0
expect got == 0xd0
expect m0p == EBUSY
expect piped == 0xd0
expect m0b == OK
expect c0 == c1
expect lost_coherence == 0            # the O_DIRECT target is never replaced
