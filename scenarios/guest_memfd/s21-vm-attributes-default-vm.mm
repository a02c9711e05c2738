# S21: a default VM has no private memory: kvm_supported_mem_attributes() is
# 0, so KVM_SET_MEMORY_ATTRIBUTES is ENOTTY whatever is asked. A guest_memfd
# fd has no ioctls in 6.18 (ENOTTY); with in-place conversion its
# KVM_SET_MEMORY_ATTRIBUTES2 exists (and converts, see S27).
scenario s21-vm-attributes-default-vm
doc "KVM_SET_MEMORY_ATTRIBUTES on a default VM: ENOTTY; on a guest_memfd fd: ENOTTY in 6.18"
ref virt/kvm/kvm_main.c kvm_vm_ioctl_set_mem_attributes(); spec guest-memfd.md §1.12, §5 S21 [V]

P0: vm V
P0: gmem G = create V size 4p mmap init_shared
P0: set_memory_attributes V gpa 1M size 4p private -> vm_private
P0: set_memory_attributes V gpa 1M size 4p shared -> vm_shared
P0: convert G[0] private -> gmem_ioctl
P0: file_op G ioctl -> other_ioctl

expect vm_private == ENOTTY
expect vm_shared == ENOTTY
expect gmem_ioctl == ENOTTY
expect other_ioctl == ENOTTY
expect[gmem-conversion=inplace] gmem_ioctl == OK
