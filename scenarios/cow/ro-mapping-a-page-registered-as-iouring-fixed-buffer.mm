# cow.c "R/O-mapping a page registered as iouring fixed buffer" (with base
# page), cow-gup.md §8.3 #7, §7.3. io_uring_register_buffers() =
# pin_user_pages_fast(FOLL_WRITE|FOLL_LONGTERM). mprotect(PROT_READ)
# write-protects the PTE; mprotect(PROT_READ|PROT_WRITE): change_pte_range()
# with MM_CP_TRY_CHANGE_WRITABLE -> can_change_pte_writable() maps the
# PG_anon_exclusive page writable again at once. Either way the next write
# finds the page PAE and do_wp_page() reuses it (wp_page_reuse()), so the
# pinned page stays the one the CPU writes. Policy B (5.9-5.18) copied here
# because refcount >= 1025 ("Longterm R/W pin is not reliable").
#
# cow.c runs clear_softdirty() (echo 4 > /proc/self/clear_refs) between the
# two mprotect() calls. clear_refs cannot be expressed yet (later issue), so
# it is omitted. It matters: clear_refs clears VM_SOFTDIRTY, after which
# pte_needs_soft_dirty_wp() keeps the PTE R/O on the RW upgrade and the write
# really does go through do_wp_page() -- the path that copied under policy B.
# Without it (new VMA, VM_SOFTDIRTY set) 6.18 maps the page W immediately.
# 6.18 (policy C): PASS (dma read through the pin == the CPU's latest write).
scenario ro-mapping-a-page-registered-as-iouring-fixed-buffer
doc "mprotect(R)+mprotect(RW) of a long-term R/W pinned page must keep the pin coherent"
ref tools/testing/selftests/mm/cow.c "R/O-mapping a page registered as iouring fixed buffer" (with base page)
ref cow-gup.md §7.3, §8.3 #7, §2.2 item 2

P0: mmap A 1 rw
P0: write A[0] = 1
P0: pfn A[0] -> p0
P0: pin K = A[0] write longterm     # io_uring fixed buffer
P0: mprotect A r
# clear_softdirty() omitted: clear_refs is not in the language yet
P0: mprotect A rw
P0: write A[0] = 0xff               # memset(mem, 0xff)
P0: pfn A[0] -> p1
dma read K[0] -> v                  # IORING_OP_WRITE_FIXED reads through the pin

expect p1 == p0                     # reused, not copied
expect v == 0xff                    # PASS: the pin sees the CPU's latest write
