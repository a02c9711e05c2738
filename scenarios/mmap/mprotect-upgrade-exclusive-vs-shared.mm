# mprotect(PROT_READ) then mprotect(PROT_READ|PROT_WRITE). On 6.18
# change_pte_range() with MM_CP_TRY_CHANGE_WRITABLE calls
# can_change_pte_writable(): a private anon PTE becomes writable at once iff
# the page is PG_anon_exclusive and no soft-dirty / uffd-wp tracking needs the
# write fault. New VMAs have VM_SOFTDIRTY, so soft-dirty tracking is off until
# clear_refs (see history/clear-refs-*.mm): the exclusive page A[0] is W again
# and the write keeps its PFN. A[1] was COW-shared with a child (not PAE): it
# stays R/O and the write copies (do_wp_page() -> wp_page_copy()).
# <= 5.18 (mprotect-upgrade=never, §2.2 item 2): both PTEs stay R/O after
# mprotect(RW); the write fault reuses A[0] (mapcount 1 / refcount 1) and
# copies A[1] (mapcount 2 / refcount 2): same PFNs as 6.18, one fault more.
# No PG_anon_exclusive before 5.19 (probe: none).
scenario mprotect-upgrade-exclusive-vs-shared
doc "mprotect R->RW maps exclusive anon pages writable; shared ones still COW"
ref cow-gup.md §2.2 item 2, §5.7, §6 row 12; mm/mprotect.c can_change_pte_writable()

P0: mmap A 2 rw
P0: write A = 1
P0: pfn A -> a0, a1
P0: madvise A[0] dontfork           # keep A[0] exclusive across the fork
P0: fork P1
P0: mprotect A r
P0: softdirty A[0] -> sd
P0: mprotect A rw
P0: anon_exclusive A -> e0, e1
P0: write A = 2
P0: pfn A -> b0, b1
P1: read A[1] -> child_sees

expect sd == true                   # VM_SOFTDIRTY: no soft-dirty tracking yet
expect e0 == true
expect e1 == false
expect b0 == a0
expect b1 != a1
expect child_sees == 1
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] e0 == none
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] e1 == none
