# /proc/PID/pagemap bits as 6.18 reports them (fs/proc/task_mmu.c
# pte_to_pagemap_entry()): present (63) for a present PTE; exclusive (56,
# PM_MMAP_EXCLUSIVE) iff the page's mapcount is 1 -- not refcount, not PAE,
# not pins; swapped (62) never here (no swap in the model's steps); file (61)
# only for page-cache pages; uffd_wp (57) 0 without userfaultfd; soft-dirty
# (55) is forced to 1 for a VMA that still has VM_SOFTDIRTY, i.e. every new
# VMA until clear_refs -- also for pages not present. After fork both
# processes see exclusive=0; after the child's COW copy both see 1 again.
# A pinned page (refcount 1025) still reports exclusive=1.
scenario pagemap-bits
doc "pagemap present/swapped/exclusive/softdirty/file/uffd_wp across fork, COW and pins"
ref cow-gup.md §9.1; fs/proc/task_mmu.c pte_to_pagemap_entry(), pagemap_pte_hole()

P0: mmap A 2 rw
P0: present A[1] -> pr_none
P0: softdirty A[1] -> sd_none
P0: write A[0] = 1
P0: present A[0] -> pr
P0: swapped A[0] -> sw
P0: exclusive A[0] -> ex0
P0: softdirty A[0] -> sd
P0: file A[0] -> fi
P0: uffd_wp A[0] -> uw
P0: fork P1
P0: exclusive A[0] -> ex_fork_p
P1: exclusive A[0] -> ex_fork_c
P1: softdirty A[0] -> sd_c
P1: write A[0] = 2
P0: exclusive A[0] -> ex_cow_p
P1: exclusive A[0] -> ex_cow_c
P0: pin K = A[0] write
P0: exclusive A[0] -> ex_pinned

expect pr_none == false
expect sd_none == true              # VM_SOFTDIRTY covers the whole VMA
expect pr == true
expect sw == false
expect ex0 == true
expect sd == true
expect fi == false
expect uw == false
expect ex_fork_p == false
expect ex_fork_c == false
expect sd_c == true
expect ex_cow_p == true
expect ex_cow_c == true
expect ex_pinned == true
