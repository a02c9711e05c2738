# mlock() of a private writable mapping: apply_vma_lock_flags() sets
# VM_LOCKED, then __mm_populate() -> populate_vma_page_range() uses FOLL_WRITE
# for private writable VMAs ("We want to touch writable mappings with a write
# fault in order to break COW, except for shared mappings"). A COW-shared
# page is therefore copied by mlock() itself (do_wp_page() -> wp_page_copy()),
# never-touched pages get real zeroed pages (not the zero page), and all are
# PG_mlocked and counted in locked_vm. munlock() clears PG_mlocked and
# locked_vm but keeps the pages.
# Same in every era; no PG_anon_exclusive before 5.19 (probe: none).
scenario mlock-breaks-cow
doc "mlock() populates private writable memory with write faults, breaking COW"
ref mm/mlock.c do_mlock(), apply_vma_lock_flags(); mm/gup.c populate_vma_page_range()

P0: mmap A 2 rw
P0: write A[0] = 1
P0: pfn A[0] -> x
P0: fork P1
P0: mlock A
P0: pfn A -> x1, y1
P0: anon_exclusive A -> e0, e1
P0: mlocked A -> m0, m1
P0: locked_vm -> lvm
P0: refcount A[1] -> r1             # a real page, not the zero page
P1: pfn A[0] -> cx
P1: mlocked A[0] -> cm
P0: read A -> v0, v1
P0: munlock A
P0: mlocked A -> u0, u1
P0: locked_vm -> lvm2
P0: pfn A[0] -> x2

expect x1 != x                      # mlock broke COW
expect e0 == true
expect e1 == true
expect m0 == true
expect m1 == true
expect lvm == 2
expect r1 == 1
expect cx == x
expect cm == false
expect v0 == 1
expect v1 == 0
expect u0 == false
expect u1 == false
expect lvm2 == 0
expect x2 == x1
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] e0 == none
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] e1 == none
