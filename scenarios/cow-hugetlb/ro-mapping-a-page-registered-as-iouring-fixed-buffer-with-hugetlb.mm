# cow.c "R/O-mapping a page registered as iouring fixed buffer" (with
# hugetlb), cow-gup.md §8.2 item 4, §8.3 #7, §7.3, §5.9.
# io_uring_register_buffers() = pin_user_pages_fast(FOLL_WRITE|FOLL_LONGTERM)
# on the huge page; mprotect(PROT_READ) write-protects the huge PTE
# (hugetlb_change_protection()); clear_softdirty() does nothing to hugetlb
# PTEs (clear_refs_walk_ops has no hugetlb_entry; it only clears
# VM_SOFTDIRTY); mprotect(PROT_READ|PROT_WRITE) leaves the private huge PTE
# R/O (hugetlb_change_protection() has no can_change_pte_writable()
# shortcut), so the memset goes through hugetlb_wp(): mapcount 1 -> reuse in
# place, whatever the refcount (the pin shows as +1024 in the model's
# refcount; the kernel counts it in the large folio's pincount).
# Every profile (5.7, 5.8, 5.9, 5.11, 5.18, 6.18): PASS. Note 5.9-5.18: the
# base-page variant FAILs there (refcount 1025 -> copy, §8.6 #7); hugetlb's
# mapcount rule keeps the fixed buffer coherent.
scenario ro-mapping-a-page-registered-as-iouring-fixed-buffer-with-hugetlb
doc "mprotect(R)+clear_refs+mprotect(RW) of a long-term R/W pinned hugetlb page keeps the pin coherent (mapcount reuse)"
ref tools/testing/selftests/mm/cow.c "R/O-mapping a page registered as iouring fixed buffer" (with hugetlb)
ref cow-gup.md §5.9, §7.3, §8.3 #7, §8.6
config hugetlb=2

P0: mmap A 1 rw hugetlb
P0: write A[0] = 1
P0: pfn A[0] -> p0
P0: pin K = A[0] write longterm     # io_uring fixed buffer
P0: mprotect A r
P0: clear_refs                      # clear_softdirty(): no-op on hugetlb PTEs
P0: mprotect A rw
P0: write A[0] = 0xff               # memset(mem, 0xff)
P0: pfn A[0] -> p1
P0: refcount A[0] -> r1
dma read K[0] -> v                  # IORING_OP_WRITE_FIXED reads through the pin

expect p1 == p0                     # hugetlb_wp(): mapcount 1 -> reuse
expect r1 == 1025                   # the CPU's page is the pinned one (model: +1024 per pin)
expect v == 0xff                    # PASS
expect lost_coherence == 0
