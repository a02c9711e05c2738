# fork() of a page pinned with a R/W FOLL_PIN (short-term, e.g. O_DIRECT read
# on 6.5+). pin_user_pages() sets MMF_HAS_PINNED on the pinner's mm. At fork
# copy_present_ptes() -> folio_try_dup_anon_rmap_pte() fails with -EBUSY
# (folio_needs_cow_for_dma(): MMF_HAS_PINNED && folio_maybe_dma_pinned()) and
# copy_present_page() copies the page for the child, leaving the parent's PTE
# writable and PAE. The child does not inherit MMF_HAS_PINNED (mm_init()
# starts from the default flags). A second, unpinned page in the same VMA is
# shared as usual.
# 5.9-5.18 (B): copy_present_page() (70e806e4e645, v5.9) copies the
# maybe-pinned page for the child in the same way: same outcome.
# <= 5.8 (A/A'): copy_one_pte() ignores pins: the pinned page is shared
# (mapcount 2), the parent's write copies it, and the device's pin stays on the
# page the child now owns: the parent's write never reaches the device (§3.5,
# §7.4). No PG_anon_exclusive before 5.19 (probe: none).
scenario fork-pinned-page
doc "fork() copies a pinned page for the child; the parent keeps the pinned page writable"
ref cow-gup.md §5.4, §6 row 3, §7.4; kernel/fork.c, mm/memory.c copy_present_ptes()

P0: mmap A 2 rw
P0: write A = 1
P0: pfn A -> a0, b0
P0: pin K = A[0] write
P0: fork P1
P0: has_pinned -> parent_hp
P1: has_pinned -> child_hp
P1: pfn A -> ca, cb
P0: anon_exclusive A -> pa_pae, pb_pae
P0: mapcount A[0] -> pa_map
P0: write A[0] = 2                  # no COW fault: the parent's PTE stayed W
P0: pfn A[0] -> a1
dma read K[0] -> v
P1: read A[0] -> child_sees
P0: write A[1] = 3                  # the unpinned page was shared: COW copy
P0: pfn A[1] -> b1
P0: unpin K

expect parent_hp == true
expect child_hp == false
expect ca != a0                     # pinned page: the child got a copy
expect cb == b0                     # unpinned page: shared
expect pa_pae == true
expect pb_pae == false
expect pa_map == 1
expect a1 == a0
expect v == 2
expect child_sees == 1
expect b1 != b0
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] pa_pae == none
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] pb_pae == none
expect[linux-5.7,linux-5.8] ca == a0         # pinned page shared with the child
expect[linux-5.7,linux-5.8] pa_map == 2
expect[linux-5.7,linux-5.8] a1 != a0         # the parent's write copied
expect[linux-5.7,linux-5.8] v == 1           # the pin is stale
expect lost_coherence == 0
expect[linux-5.7,linux-5.8] lost_coherence == 1
expect[linux-5.7,linux-5.8] child_hp == none    # mm->has_pinned exists from 5.9 (008cfe4418b3)
expect[linux-5.7,linux-5.8] parent_hp == none    # mm->has_pinned exists from 5.9 (008cfe4418b3)
