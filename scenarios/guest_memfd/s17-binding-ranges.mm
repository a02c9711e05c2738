# S17: KVM_SET_USER_MEMORY_REGION2 with KVM_MEM_GUEST_MEMFD binds a range of
# the file to a memslot (kvm_gmem_bind()): the range must lie within i_size,
# be page aligned, and not overlap another binding of the same file
# (adjacent is fine; a dup'd fd is the same file). Every VM ioctl checks
# that the caller is in the VM's mm (kvm_vm_ioctl(): -EIO otherwise), so a
# forked child holding the fds cannot bind at all.
scenario s17-binding-ranges
doc "gmem binding: in-bounds, aligned, non-overlapping ranges only"
ref virt/kvm/guest_memfd.c kvm_gmem_bind(); spec guest-memfd.md §1.10 [V]

P0: vm V
P0: gmem G = create V size 64p
P0: memslot V 0 gpa 1M size 16p gmem G offset 0 -> s0
P0: memslot V 1 gpa 2M size 16p gmem G offset 8p -> overlap
P0: memslot V 1 gpa 2M size 16p gmem G offset 16p -> s1
P0: memslot V 2 gpa 3M size 16p gmem G offset 60p -> beyond
P0: memslot V 2 gpa 3M size 16p gmem G offset 100 -> unaligned
P0: memslot V 2 gpa 3M size 16p gmem G offset 0xfffffffffffff000 -> wraps
P0: fork P1
P0: memslot V 2 gpa 3M size 16p gmem G offset 32p -> adjacent
P1: memslot V 3 gpa 4M size 16p gmem G offset 48p -> child

expect s0 == OK
expect overlap == EINVAL
expect s1 == OK
expect beyond == EINVAL
expect unaligned == EINVAL
expect wraps == EINVAL
expect adjacent == OK
expect child == EIO                  # [V] on this host
