# S23 (RUN-HW / model): per-VM conversion does not touch guest_memfd. On a
# SW_PROTECTED VM a private GFN is served from guest_memfd, a shared one
# from userspace_addr (__kvm_mmu_faultin_pfn()). Converting back to private
# shows the old private data again, unless userspace punched the page
# (QEMU does on conversion). With in-place conversion the VM has no
# attributes (ENOTTY): the guest_memfd's own index state decides (S27-S33).
scenario s23-vm-conversion-nondestructive
doc "SW_PROTECTED: private reads gmem, shared reads uaddr, back to private shows the old data; after a punch zero"
ref arch/x86/kvm/mmu/mmu.c __kvm_mmu_faultin_pfn(); virt/kvm/kvm_main.c kvm_vm_set_mem_attributes(); spec §5 S23

P0: vm S sw_protected
P0: gmem G = create S size 4p
P0: mmap U 4 rw
P0: write U[0] = 0x77
P0: memslot S 0 gpa 1M size 4p gmem G uaddr U
P0: set_memory_attributes S gpa 1M size 4K private -> to_private
guest S: write 1M = 0x11
guest S: read 1M -> private1
P0: set_memory_attributes S gpa 1M size 4K shared -> to_shared
guest S: read 1M -> shared1
P0: set_memory_attributes S gpa 1M size 4K private -> back
guest S: read 1M -> private2
P0: set_memory_attributes S gpa 1M size 4K shared -> sh2
P0: fallocate G[0] punch
P0: set_memory_attributes S gpa 1M size 4K private -> pv2
guest S: read 1M -> after_punch

expect to_private == OK
expect private1 == 0x11
expect to_shared == OK
expect shared1 == 0x77
expect back == OK
expect private2 == 0x11
expect after_punch == 0
expect sh2 == OK
expect pv2 == OK
# In place: no VM attributes; G has no INIT_SHARED, so every index is private
# in guest_memfd and the guest always reads it.
expect[gmem-conversion=inplace] to_private == ENOTTY
expect[gmem-conversion=inplace] to_shared == ENOTTY
expect[gmem-conversion=inplace] back == ENOTTY
expect[gmem-conversion=inplace] shared1 == 0x11
expect[gmem-conversion=inplace] sh2 == ENOTTY
expect[gmem-conversion=inplace] pv2 == ENOTTY
