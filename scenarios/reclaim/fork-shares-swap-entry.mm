# mm/memory.c copy_nonpresent_pte(): fork copies a swap PTE and takes a
# reference on the swap slot (swap_duplicate()): swapcount 2, and (5.19+)
# the child's and the parent's swap PTEs lose the exclusive bit
# ("if (pte_swp_exclusive(orig_pte)) pte = pte_swp_clear_exclusive()" on the
# parent's entry). The child's read swaps the page in (into the swap cache,
# shared: refcount counts both), dropping its swap reference: swapcount 1.
# The parent's read then finds the page in the swap cache and maps the same
# page: no copy, one folio, mapcount 2.
scenario fork-shares-swap-entry
doc "fork() duplicates a swap entry (swapcount 2); both processes swap in the same page"
ref mm/memory.c copy_nonpresent_pte(), do_swap_page(); mm/swapfile.c swap_duplicate()
config swap=4

P0: mmap A 1 rw
P0: write A[0] = 0xaa
P0: madvise A pageout
P0: fork P1
P0: swapcount A[0] -> sc_fork
P0: swapped A[0] -> ps
P1: swapped A[0] -> cs
P1: read A[0] -> c
P1: swapcount A[0] -> sc_after_child
P1: swapcache A[0] -> in_cache
P0: read A[0] -> p
P0: pfn A[0] -> pp
P1: pfn A[0] -> cp
P0: mapcount A[0] -> mc

expect sc_fork == 2
expect ps == true
expect cs == true
expect c == 0xaa
expect sc_after_child == 1          # the parent's swap PTE still holds the slot
expect in_cache == true
expect p == 0xaa
expect pp == cp                     # the same page, found in the swap cache
expect mc == 2
