# S30 (in-place model): KVM_SET_MEMORY_ATTRIBUTES2 validation in the v7
# order: flags != 0, a reserved word, unknown attributes, size 0 or wrap,
# unaligned offset/size, offset >= i_size or offset+size > i_size: EINVAL.
# With per-index attributes the VM ioctl KVM_SET_MEMORY_ATTRIBUTES is ENOTTY.
# In 6.18 every one of them is ENOTTY (no ioctl on a guest_memfd).
scenario s30-inplace-validation
doc "KVM_SET_MEMORY_ATTRIBUTES2 argument checks: EINVAL each; the VM ioctl ENOTTY"
ref v7 api.rst KVM_SET_MEMORY_ATTRIBUTES2; spec guest-memfd.md §3.3(b), §5 S30

P0: vm V
P0: vm S sw_protected
P0: gmem G = create V size 4p mmap init_shared
P0: convert G offset 0 size 4K attrs 8 flags 1 -> flags
P0: convert G offset 0 size 4K attrs 8 reserved -> reserved
P0: convert G offset 0 size 4K attrs 1 -> attrs
P0: convert G offset 0 size 0 attrs 8 -> size0
P0: convert G offset 1 size 4K attrs 8 -> off1
P0: convert G offset 16K size 4K attrs 8 -> at_eof
P0: convert G offset 12K size 8K attrs 8 -> past_eof
P0: convert G offset 4K size 0xfffffffffffff000 attrs 8 -> wraps
P0: convert G offset 0 size 4K attrs 8 -> valid
P0: set_memory_attributes S gpa 1M size 4K private -> vm_ioctl

expect flags == ENOTTY
expect reserved == ENOTTY
expect attrs == ENOTTY
expect size0 == ENOTTY
expect off1 == ENOTTY
expect at_eof == ENOTTY
expect past_eof == ENOTTY
expect wraps == ENOTTY
expect valid == ENOTTY
expect vm_ioctl == OK
expect[gmem-conversion=inplace] flags == EINVAL
expect[gmem-conversion=inplace] reserved == EINVAL
expect[gmem-conversion=inplace] attrs == EINVAL
expect[gmem-conversion=inplace] size0 == EINVAL
expect[gmem-conversion=inplace] off1 == EINVAL
expect[gmem-conversion=inplace] at_eof == EINVAL
expect[gmem-conversion=inplace] past_eof == EINVAL
expect[gmem-conversion=inplace] wraps == EINVAL
expect[gmem-conversion=inplace] valid == OK
expect[gmem-conversion=inplace] vm_ioctl == ENOTTY
