# cow.c "R/O GUP-fast pin on R/O-mapped exclusive page" (with base page),
# cow-gup.md §8.3 #14. mprotect(PROT_READ), clear_softdirty()
# (echo 4 > /proc/self/clear_refs), mprotect(PROT_READ|PROT_WRITE), then a R/O
# long-term pin via pin_user_pages_fast(), memset, read through the pin.
# clear_refs clears VM_SOFTDIRTY, so on the RW upgrade pte_needs_soft_dirty_wp()
# keeps the PTE R/O (no can_change_pte_writable() shortcut) and the memset
# really goes through do_wp_page().
# 6.18 (policy C): the page never stopped being PG_anon_exclusive:
# gup_must_unshare() is false,
# gup_fast_pte_range() keeps its pin without falling back and no fault is
# needed; the write reuses the page (PAE -> wp_page_reuse()): PASS.
# 5.8 (A'): should_force_cow_break() makes the R/O pin a write fault; mapcount 1
# -> reuse in place, the pin is on the page the CPU keeps writing: PASS.
# 5.7 (A): the pin takes a reference, the memset sees mapcount 1 -> reuse: PASS.
# 5.9-5.18 (B/B18): the memset sees refcount 1025 != 1 -> wp_page_copy(); the
# pin keeps the old page: FAIL (§8.6 #14). No PG_anon_exclusive before 5.19.
scenario ro-gup-fast-pin-on-ro-mapped-exclusive-page
doc "A R/O long-term pin on an exclusive page needs no unshare and stays coherent"
ref tools/testing/selftests/mm/cow.c "R/O GUP-fast pin on R/O-mapped exclusive page" (with base page)
ref cow-gup.md §2.2 items 2-3, §5.5, §8.3 #14, §8.6

P0: mmap A 1 rw
P0: write A[0] = 1
P0: pfn A[0] -> p0
P0: mprotect A r
P0: clear_refs                      # clear_softdirty()
P0: softdirty A[0] -> sd0
P0: mprotect A rw
P0: anon_exclusive A[0] -> pae
P0: pin K = A[0] longterm fast
P0: pfn A[0] -> p1
P0: write A[0] = 0xff               # memset(mem, 0xff)
P0: pfn A[0] -> p2
P0: softdirty A[0] -> sd1
dma read K[0] -> v
P0: unpin K

expect sd0 == false                 # clear_refs cleaned the PTE
expect sd1 == true                  # the write went through a fault and set it again
expect pae == true
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] pae == none
expect p1 == p0
expect p2 == p0
expect[linux-5.9,linux-5.11,linux-5.18] p2 != p0   # the write copied
expect v == 0xff                    # PASS
expect[linux-5.9,linux-5.11,linux-5.18] v == 1     # FAIL: "Longterm R/O pin is not reliable"
expect lost_coherence == 0
expect[linux-5.9,linux-5.11,linux-5.18] lost_coherence == 1
