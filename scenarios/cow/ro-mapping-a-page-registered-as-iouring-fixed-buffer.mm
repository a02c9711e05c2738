# cow.c "R/O-mapping a page registered as iouring fixed buffer" (with base
# page), cow-gup.md §8.3 #7, §7.3. io_uring_register_buffers() =
# pin_user_pages_fast(FOLL_WRITE|FOLL_LONGTERM). mprotect(PROT_READ)
# write-protects the PTE; clear_softdirty() (echo 4 > /proc/self/clear_refs)
# finds the PTE already R/O (so the pte_is_pinned() skip, which only looks at
# writable PTEs, does not apply) and clears VM_SOFTDIRTY; mprotect(PROT_READ|
# PROT_WRITE) then leaves the PTE R/O in every era (<= 5.19: private PTEs are
# never upgraded; 6.x: pte_needs_soft_dirty_wp() vetoes can_change_pte_writable()),
# so the memset really goes through do_wp_page().
# 6.18 (policy C): the page is PG_anon_exclusive -> wp_page_reuse(): PASS.
# <= 5.8 (A/A'): reuse_swap_page() sees mapcount 1 -> reuse: PASS.
# 5.9-5.18 (B/B18): refcount 1025 != 1 -> wp_page_copy(); IORING_OP_WRITE_FIXED
# writes the old data: FAIL ("Longterm R/W pin is not reliable", §7.3, §8.6 #7).
scenario ro-mapping-a-page-registered-as-iouring-fixed-buffer
doc "mprotect(R)+clear_refs+mprotect(RW) of a long-term R/W pinned page must keep the pin coherent"
ref tools/testing/selftests/mm/cow.c "R/O-mapping a page registered as iouring fixed buffer" (with base page)
ref cow-gup.md §7.3, §8.3 #7, §8.6, §2.2 items 2-3
ref David Hildenbrand, 15 Jan 2021 summary item (5) <bb071419-bf40-c5ed-4b2d-d5eb03031b0a@redhat.com>

P0: mmap A 1 rw
P0: write A[0] = 1
P0: pfn A[0] -> p0
P0: pin K = A[0] write longterm     # io_uring fixed buffer
P0: mprotect A r
P0: clear_refs                      # clear_softdirty()
P0: softdirty A[0] -> sd0
P0: mprotect A rw
P0: write A[0] = 0xff               # memset(mem, 0xff)
P0: pfn A[0] -> p1
P0: softdirty A[0] -> sd1
P0: refcount A[0] -> r1
dma read K[0] -> v                  # IORING_OP_WRITE_FIXED reads through the pin

expect sd0 == false
expect sd1 == true                  # the write faulted (soft-dirty set again)
expect p1 == p0                     # reused, not copied
expect[linux-5.9,linux-5.11,linux-5.18] p1 != p0   # copied
expect r1 == 1025                   # the CPU's page is the pinned one
expect[linux-5.9,linux-5.11,linux-5.18] r1 == 1    # the CPU's new page is unpinned
expect v == 0xff                    # PASS: the pin sees the CPU's latest write
expect[linux-5.9,linux-5.11,linux-5.18] v == 1     # FAIL: the fixed buffer is stale
expect lost_coherence == 0
expect[linux-5.9,linux-5.11,linux-5.18] lost_coherence == 1
