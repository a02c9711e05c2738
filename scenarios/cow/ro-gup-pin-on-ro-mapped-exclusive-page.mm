# cow.c "R/O GUP pin on R/O-mapped exclusive page" (with base page),
# cow-gup.md §8.3 #13. mprotect(PROT_READ), clear_softdirty(),
# mprotect(PROT_READ|PROT_WRITE), then a R/O long-term pin via pin_user_pages(),
# memset, read through the pin.
# The page never stopped being PG_anon_exclusive: gup_must_unshare() is false,
# no fault; the write reuses the page (do_wp_page() -> PAE -> wp_page_reuse()).
#
# clear_softdirty() (echo 4 > /proc/self/clear_refs) is omitted: clear_refs
# is not in the language yet. It matters: it clears VM_SOFTDIRTY so
# pte_needs_soft_dirty_wp() keeps the PTE R/O after mprotect(RW) and the
# memset goes through do_wp_page() (where policy B copied). Without it, 6.18's
# can_change_pte_writable() makes the exclusive page writable again at once
# (change_pte_range(), MM_CP_TRY_CHANGE_WRITABLE). 6.18 (policy C): PASS.
scenario ro-gup-pin-on-ro-mapped-exclusive-page
doc "A R/O long-term pin on an exclusive page needs no unshare and stays coherent"
ref tools/testing/selftests/mm/cow.c "R/O GUP pin on R/O-mapped exclusive page" (with base page)
ref cow-gup.md §2.2 item 2, §5.5, §8.3 #13

P0: mmap A 1 rw
P0: write A[0] = 1
P0: pfn A[0] -> p0
P0: mprotect A r
# clear_softdirty() omitted: clear_refs is not in the language yet
P0: mprotect A rw
P0: anon_exclusive A[0] -> pae
P0: pin K = A[0] longterm
P0: pfn A[0] -> p1
P0: write A[0] = 0xff
P0: pfn A[0] -> p2
dma read K[0] -> v
P0: unpin K

expect pae == true
expect p1 == p0
expect p2 == p0
expect v == 0xff                    # PASS
