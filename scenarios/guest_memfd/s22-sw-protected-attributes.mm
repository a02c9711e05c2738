# S22 (RUN-HW / model): KVM_SET_MEMORY_ATTRIBUTES on a SW_PROTECTED VM
# (kvm_vm_ioctl_set_mem_attributes()): flags must be 0, attributes only
# PRIVATE, size non-zero without wrap, address and size page aligned.
# Attributes are per GFN and need no memslot; setting the same value again
# is a no-op (0). With in-place conversion (vm_memory_attributes=0) the VM
# ioctl is gone: ENOTTY.
scenario s22-sw-protected-attributes
doc "per-VM attribute validation on SW_PROTECTED: EINVAL for flags, attributes, size, alignment, wrap"
ref virt/kvm/kvm_main.c kvm_vm_ioctl_set_mem_attributes(), kvm_vm_set_mem_attributes(); spec §1.12, §5 S22

P0: vm S sw_protected
P0: set_memory_attributes S gpa 1M size 4p private flags 1 -> flags
P0: set_memory_attributes S gpa 1M size 4p attrs 1 -> attrs
P0: set_memory_attributes S gpa 1M size 0 private -> size0
P0: set_memory_attributes S gpa 1 size 4p private -> addr1
P0: set_memory_attributes S gpa 0xfffffffffffff000 size 8K private -> wraps
P0: set_memory_attributes S gpa 1M size 4p private -> no_slot
P0: set_memory_attributes S gpa 1M size 4p private -> again

expect flags == EINVAL
expect attrs == EINVAL
expect size0 == EINVAL
expect addr1 == EINVAL
expect wraps == EINVAL
expect no_slot == OK
expect again == OK
expect[gmem-conversion=inplace] flags == ENOTTY
expect[gmem-conversion=inplace] attrs == ENOTTY
expect[gmem-conversion=inplace] size0 == ENOTTY
expect[gmem-conversion=inplace] addr1 == ENOTTY
expect[gmem-conversion=inplace] wraps == ENOTTY
expect[gmem-conversion=inplace] no_slot == ENOTTY
expect[gmem-conversion=inplace] again == ENOTTY
