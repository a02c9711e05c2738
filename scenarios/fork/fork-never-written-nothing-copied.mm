# An anon VMA that was only read-faulted maps the shared zero page and has no
# anon_vma (do_anonymous_page() does not allocate one for the zero page), so
# copy_page_range() -> vma_needs_copy() is false and fork copies no PTE: the
# child's page table is empty there (pagemap present=0) while the parent keeps
# the zero page. Both read zeros; a write in either allocates its own page.
# Once a VMA has an anon_vma (one page written), fork copies every PTE,
# including the zero-page ones (copy_present_ptes(): no normal page, just the
# PTE). Checked on a 6.18 host: an isolated read-only-touched VMA is
# present=0 in the child; next to a written page the child maps the zero page.
scenario fork-never-written-nothing-copied
doc "fork() skips copy_page_range() for a VMA without anon_vma (zero page only)"
ref cow-gup.md §2.3 rule 3; mm/memory.c copy_page_range(), vma_needs_copy()

P0: mmap A 1 rw
P0: read A[0] -> z
P0: pfn A[0] -> zp
P0: refcount A[0] -> zr             # the zero page is not a normal page
P0: mmap Z 1 r
P0: read Z[0] -> z2
P0: pfn Z[0] -> zp2                 # another read fault: the same zero page
P0: mmap W 2 rw
P0: write W[0] = 1
P0: read W[1] -> wz
P0: fork P1
P1: present W[1] -> cw_present
P1: pfn W[1] -> cw_pfn
P1: present A[0] -> child_present
P0: present A[0] -> parent_present
P1: read A[0] -> cz
P1: write A[0] = 9
P1: pfn A[0] -> cp
P0: read A[0] -> pz

expect z == 0
expect zr == none
expect zp == zp2
expect child_present == false
expect wz == 0
expect cw_present == true
expect cw_pfn == zp
expect parent_present == true
expect cz == 0
expect cp != zp
expect pz == 0
