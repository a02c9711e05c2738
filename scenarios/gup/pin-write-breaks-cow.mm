# A R/W pin (FOLL_PIN|FOLL_WRITE) on a COW-shared page: follow_page_pte()
# finds the PTE R/O and can_follow_write_pte() false -> faultin_page(
# FAULT_FLAG_WRITE) -> do_wp_page(): not PAE, refcount 2 -> wp_page_copy().
# The pin is taken on the caller's new PAE page, mapped writable. The other
# process keeps the old page; the device's writes reach only the pinner.
# A pin of a range is all or nothing; "fast" walks GUP-fast first.
# Same in every era (a FOLL_WRITE GUP is a write fault; mapcount 2 /
# refcount 2 -> copy). No PG_anon_exclusive before 5.19 (probe: none).
scenario pin-write-breaks-cow
doc "A R/W pin on a COW-shared page copies it for the pinner first"
ref cow-gup.md §2.6, §5.5, §6 row 10; mm/gup.c follow_page_pte(), faultin_page()

P0: mmap A 2 rw
P0: write A = 1
P0: pfn A -> a0, a1
P0: fork P1
P0: pin K = A write fast
P0: pfn A -> b0, b1
P0: anon_exclusive A -> e0, e1
P0: pincount A -> pc0, pc1
P1: pfn A -> c0, c1
dma write K[1] = 9
P0: read A[1] -> parent_sees
P1: read A[1] -> child_sees

expect b0 != a0
expect b1 != a1
expect e0 == true
expect e1 == true
expect pc0 == 1
expect pc1 == 1
expect c0 == a0
expect c1 == a1
expect parent_sees == 9
expect child_sees == 1
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] e0 == none
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] e1 == none
