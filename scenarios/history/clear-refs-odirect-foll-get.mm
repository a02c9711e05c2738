# cow-gup.md §7.2b: Andrea Arcangeli's O_DIRECT reproducer
# (page_count_do_wp_page.c, in the text of "[PATCH 1/1] mm: restore full
# accuracy in COW page reuse" <20210110004435.26382-2-aarcange@redhat.com>).
# thread0 read()s 512 bytes with O_DIRECT into vaddr+0: GUP(FOLL_WRITE) with
# FOLL_GET (refcount 2) and the DMA starts; another process does clear_refs(4),
# which write-protects the PTE; thread1 writes vaddr+512 (same page): "page_count
# == 2 -> wp_copy_page"; the DMA completes into the old page; the read returns:
# "read lost". The model has one token per page: the DMA's data is lost if
# the process afterwards reads its own CPU write instead of the DMA's token.
# Bug: 09854ba94c6a "mm: do_wp_page() simplification" (v5.9). 9348b73c2e1b
# (5.11, the pte_is_pinned() skip) does NOT help: a FOLL_GET reference is not
# "maybe pinned" (refcount 2 < 1024, no MMF_HAS_PINNED), so clear_refs still
# write-protects the PTE. Fixed for good by PG_anon_exclusive ("mm: COW fixes
# part 2", 6c287605fd56, v5.19): the page stays exclusive and is reused.
# Per era:
# <= 5.8 (A/A'): reuse_swap_page() sees mapcount 1 -> reuse: no loss.
# 5.9, 5.11, 5.18 (B/B18): refcount 2 (5.18: still > 1 after the LRU drain)
#   -> wp_page_copy(): the DMA lands in the orphaned page: READ LOST.
# 6.18 (C): the page is still PG_anon_exclusive -> reuse: no loss.
# (6.5+ block O_DIRECT really uses FOLL_PIN, which clear_refs would skip.)
scenario clear-refs-odirect-foll-get
doc "O_DIRECT (FOLL_GET|FOLL_WRITE) + clear_refs + CPU write to the same page: refcount eras lose the read"
ref cow-gup.md §7.2 (7.2b), §4.1, §4.5, §5.2
ref 09854ba94c6a (v5.9); 9348b73c2e1b (v5.11, does not cover FOLL_GET); 6c287605fd56 (v5.19, PG_anon_exclusive)
ref <20210110004435.26382-2-aarcange@redhat.com> page_count_do_wp_page.c; <bb071419-bf40-c5ed-4b2d-d5eb03031b0a@redhat.com>

P0: mmap A 1 rw
P0: write A[0] = 1
P0: pfn A[0] -> x
P0: gup K = A[0] write              # thread0: O_DIRECT read() in flight (FOLL_GET|FOLL_WRITE)
P0: refcount A[0] -> r0
P0: pincount A[0] -> pc0
P0: has_pinned -> hp
P0: clear_refs                      # another process: echo 4 > /proc/PID/clear_refs
P0: softdirty A[0] -> sd            # not skipped: FOLL_GET is not a pin
P0: write A[0] = 2                  # thread1 writes vaddr+512
P0: pfn A[0] -> x1
P0: refcount A[0] -> r1
dma write K[0] = 0xd1               # the O_DIRECT data arrives
P0: put K                           # I/O completes
P0: read A[0] -> got                # thread0 looks at its buffer

expect r0 == 2
expect pc0 == 0
expect hp == false
expect sd == false
expect x1 == x
expect[linux-5.9,linux-5.11,linux-5.18] x1 != x       # the CPU write copied
expect r1 == 2
expect[linux-5.9,linux-5.11,linux-5.18] r1 == 1
expect got == 0xd1                                     # the read's data is there
expect[linux-5.9,linux-5.11,linux-5.18] got == 2       # READ LOST
expect lost_coherence == 0
expect[linux-5.9,linux-5.11,linux-5.18] lost_coherence == 1
expect[linux-5.7,linux-5.8] hp == none    # mm->has_pinned exists from 5.9 (008cfe4418b3)
