# S26: on a default VM no GFN can be private, so a guest_memfd without MMAP
# (not GMEM_ONLY) is never used by guest faults: the guest reads and writes
# userspace_addr. With in-place conversion every fault in a guest_memfd
# slot comes from guest_memfd (private by default): the anonymous page is
# no longer what the guest sees.
scenario s26-non-mmap-gmem-inert
doc "default VM, gmem without MMAP bound with uaddr = anon(0x77): the guest sees and writes the anon page"
ref arch/x86/kvm/mmu/mmu.c __kvm_mmu_faultin_pfn(); spec guest-memfd.md §5 S26 [V on PVM]

P0: vm V
P0: gmem G = create V size 1p
P0: mmap U 1 rw
P0: write U[0] = 0x77
P0: memslot V 0 gpa 1M size 1p gmem G uaddr U
guest V: read 1M -> guest_sees
guest V: write 1M = 0x66
P0: read U[0] -> anon_after
P0: gmem_pages G -> gmem_pages

expect guest_sees == 0x77
expect anon_after == 0x66
expect gmem_pages == 0
expect[gmem-conversion=inplace] guest_sees == 0
expect[gmem-conversion=inplace] anon_after == 0x77
expect[gmem-conversion=inplace] gmem_pages == 1
