# S24 (RUN-HW / model): a private GFN in a plain memslot has nowhere to come
# from: kvm_mmu_faultin_pfn_gmem() exits to user space with
# KVM_EXIT_MEMORY_FAULT (flags KVM_MEMORY_EXIT_FLAG_PRIVATE = 8, the GPA,
# 4096) and KVM_RUN fails with EFAULT. The shared GFN next to it works.
scenario s24-private-fault-without-gmem
doc "SW_PROTECTED, plain slot, GFN private: KVM_RUN EFAULT with a private memory-fault exit"
ref arch/x86/kvm/mmu/mmu.c kvm_mmu_faultin_pfn_gmem(), kvm_mmu_prepare_memory_fault_exit(); spec §5 S24

P0: vm S sw_protected
P0: mmap U 2 rw
P0: write U = 0x33
P0: memslot S 0 gpa 1M size 2p uaddr U
P0: set_memory_attributes S gpa 1M size 4K private -> set
guest S: read 1M -> priv, exit
guest S: read 0x101000 -> shared, exit2

expect set == OK
expect priv == EFAULT
expect exit == 8
expect shared == 0x33
expect exit2 == none
# In place: the VM ioctl is ENOTTY and a plain slot is never private.
expect[gmem-conversion=inplace] set == ENOTTY
expect[gmem-conversion=inplace] priv == 0x33
expect[gmem-conversion=inplace] exit == none
