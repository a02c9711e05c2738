# Written from a 6.18 host run: fork shares the anonymous page (same PFN in
# both, pagemap PM_MMAP_EXCLUSIVE 0 in both); the child's write copies
# (wp_page_copy(): new PFN), after which both pages are mapped once, and the
# parent's write reuses its page in place (do_wp_page() -> wp_can_reuse_anon_folio()).
scenario host-fork-cow-pfn
doc "fork shares the page; the child's write copies; the parent then reuses in place"
ref cow-gup.md §9.1; mm/memory.c do_wp_page()

P0: mmap A 1 rw
P0: write A[0] = 0x11
P0: pfn A[0] -> p0
P0: fork P1
P1: pfn A[0] -> c0
P0: exclusive A[0] -> pex0
P1: exclusive A[0] -> cex0
P1: write A[0] = 0x22
P1: pfn A[0] -> c1
P1: exclusive A[0] -> cex1
P0: exclusive A[0] -> pex1
P0: write A[0] = 0x33
P0: pfn A[0] -> p1
P0: read A[0] -> pv
P1: read A[0] -> cv

expect c0 == p0
expect pex0 == false
expect cex0 == false
expect c1 != p0
expect cex1 == true
expect pex1 == true
expect p1 == p0
expect pv == 0x33
expect cv == 0x22
