# S07: guest_memfd pages are allocated without being zeroed or marked
# uptodate (kvm_gmem_allocate()); the first user fault zeroes the page and
# marks it uptodate (kvm_gmem_fault_user_mapping(): clear_highpage() +
# folio_mark_uptodate()). mincore() reports page-cache residency only for
# uptodate folios, so fallocate alone shows nothing; MADV_DONTNEED zaps the
# PTE but keeps the page.
scenario s07-lazy-zeroing-mincore
doc "mincore: 0000 after fallocate, 0100 after touching page 1, still 0100 after MADV_DONTNEED"
ref virt/kvm/guest_memfd.c kvm_gmem_fault_user_mapping(); mm/mincore.c; spec guest-memfd.md §1.7 [V]

P0: vm V
P0: gmem G = create V size 4p mmap init_shared
P0: mmap A 4 rw shared gmem G
P0: mincore A -> m0, m1, m2, m3
P0: fallocate G
P0: gmem_present G -> f0, f1, f2, f3
P0: mincore A -> a0, a1, a2, a3
P0: read A[1] -> x
P0: mincore A -> b0, b1, b2, b3
P0: gmem_uptodate G[1] -> up
P0: madvise A dontneed
P0: mincore A -> c0, c1, c2, c3
P0: present A[1] -> pte

expect m1 == false
expect f1 == true                    # in the page cache ...
expect a0 == false                   # ... but not uptodate: mincore says no
expect a1 == false
expect x == 0
expect b0 == false
expect b1 == true
expect b2 == false
expect up == true
expect c1 == true
expect c0 == false
expect pte == false
