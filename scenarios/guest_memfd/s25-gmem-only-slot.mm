# S25: a guest_memfd with MMAP makes its memslot GMEM_ONLY
# (KVM_MEMSLOT_GMEM_ONLY): every guest fault, shared or private, is served
# from guest_memfd, whatever userspace_addr says. The host's mapping and the
# guest see the same page both ways. (The model is the VMX/SVM fault path;
# on this PVM host the instruction emulator goes through userspace_addr
# instead and would read the anonymous page: KVM-internal accesses use the
# HVA.)
scenario s25-gmem-only-slot
doc "GMEM_ONLY slot: host writes 0x42 via mmap, guest reads it and writes 0x55, host sees 0x55; uaddr ignored"
ref arch/x86/kvm/mmu/mmu.c __kvm_mmu_faultin_pfn(); include/linux/kvm_host.h kvm_memslot_is_gmem_only(); spec §1.11, §5 S25

P0: vm V
P0: gmem G = create V size 1p mmap init_shared
P0: mmap A 1 rw shared gmem G
P0: write A[0] = 0x42
P0: mmap U 1 rw
P0: write U[0] = 0x77
P0: memslot V 0 gpa 4G size 1p gmem G uaddr U
guest V: read 4G -> guest_sees
guest V: write 4G = 0x55
P0: read A[0] -> host_sees
P0: read U[0] -> anon

expect guest_sees == 0x42
expect host_sees == 0x55
expect anon == 0x77
