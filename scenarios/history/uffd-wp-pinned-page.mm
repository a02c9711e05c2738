# cow-gup.md §7.5: userfaultfd write-protect on a R/W pinned page. The monitor
# write-protects the page (UFFDIO_WRITEPROTECT mode=WP: PTE R/O + uffd-wp), the
# application's write is handed to the monitor (USERFAULT), the monitor
# resolves it (UFFDIO_WRITEPROTECT mode=0) and the write is retried.
# Bug: 09854ba94c6a "mm: do_wp_page() simplification" (v5.9): the resolve only
# clears the uffd-wp bit and "Leave[s] the write bit to be handled by PF
# interrupt handler" (v5.11 change_pte_range()); the retried write fault sees
# refcount 1025 != 1 and copies, so the pin goes stale. David Hildenbrand,
# 15 Jan 2021 <bb071419-bf40-c5ed-4b2d-d5eb03031b0a@redhat.com>: "With the
# simplified code, we will COW whenever we find the page_count(page) > 1 ...
# (AFAIU in case of uffd-wp, it results in memory corruption)". Fixed by
# PG_anon_exclusive (6c287605fd56, v5.19). (A related race, a stale writable TLB
# entry after uffd-wp, was fixed by Nadav Amit's "mm/userfaultfd: fix memory
# corruption due to writeprotect" -- not modelled: no TLB.)
# Per era:
# <= 5.8 (A/A', uffd-wp exists since 5.7): the retried write sees mapcount 1
#   and reuses: coherent.
# 5.9-5.18 (B/B18): refcount 1025 -> wp_page_copy(): the device reads stale
#   data and its writes never reach the CPU: FAIL.
# 6.18 (C): the page is PAE -> reuse (6.x may already map it W at resolve time,
#   MM_CP_TRY_CHANGE_WRITABLE): coherent.
scenario uffd-wp-pinned-page
doc "uffd-wp + resolve on a R/W pinned page: 5.9-5.18 copy on the retried write and the pin goes stale"
ref cow-gup.md §7.5, §2.2 item 4, §5.7
ref 09854ba94c6a (v5.9); 6c287605fd56 (v5.19); <bb071419-bf40-c5ed-4b2d-d5eb03031b0a@redhat.com>

P0: mmap A 1 rw
P0: write A[0] = 1
P0: pfn A[0] -> x
P0: pin K = A[0] write longterm
P0: uffd_register A wp
P0: uffd_writeprotect A[0]          # UFFDIO_WRITEPROTECT mode=WP
P0: uffd_wp A[0] -> uw
P0: write A[0] = 2 -> w1            # handed to the monitor
P0: read A[0] -> before
P0: uffd_writeprotect A[0] off      # the monitor resolves: mode=0
P0: uffd_wp A[0] -> uw2
P0: write A[0] = 3 -> w2            # the retried write
P0: pfn A[0] -> x2
P0: refcount A[0] -> r2
dma read K[0] -> v
dma write K[0] = 4
P0: read A[0] -> cpu_sees
P0: unpin K dirty

expect uw == true
expect w1 == USERFAULT
expect before == 1                  # the blocked write did not happen
expect uw2 == false
expect w2 == OK
expect x2 == x
expect[linux-5.9,linux-5.11,linux-5.18] x2 != x        # the retried write copied
expect r2 == 1025
expect[linux-5.9,linux-5.11,linux-5.18] r2 == 1
expect v == 3
expect[linux-5.9,linux-5.11,linux-5.18] v == 1         # FAIL: stale pin
expect cpu_sees == 4
expect[linux-5.9,linux-5.11,linux-5.18] cpu_sees == 3  # the device's write is lost
expect lost_coherence == 0
expect[linux-5.9,linux-5.11,linux-5.18] lost_coherence == 1
