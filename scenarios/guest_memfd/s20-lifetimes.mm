# S20: lifetimes. A guest_memfd file holds its VM (kvm_get_kvm() in
# kvm_gmem_create()), a mapping holds the file: closing the VM fd leaves the
# VM alive while a guest_memfd is open, and closing every fd leaves both
# alive while a mapping exists (it still reads the data); munmap frees them.
# A binding holds nothing: closing the last reference to a bound file
# releases it (kvm_gmem_release()), the slot stays (delete works) and a
# guest access to it exits with KVM_EXIT_MEMORY_FAULT and EFAULT.
scenario s20-lifetimes
doc "gmem holds the VM, a mapping holds gmem; releasing a bound gmem makes guest faults EFAULT"
ref virt/kvm/guest_memfd.c kvm_gmem_create(), kvm_gmem_release(); spec guest-memfd.md §1.4, §5 S20 [V]

P0: vm V
P0: gmem H = create V size 4p mmap init_shared
P0: close V
P0: vm_live V -> alive_by_gmem
P0: fallocate H -> alloc_ok
P0: mmap A 4 rw shared gmem H
P0: write A[0] = 0x42
P0: close H
P0: vm_live V -> alive_by_mapping
P0: gmem_live H -> file_alive
P0: read A[0] -> still
P0: munmap A
P0: gmem_live H -> file_gone
P0: vm_live V -> vm_gone
# A bound file released under a slot.
P0: vm W
P0: gmem G = create W size 4p mmap init_shared
P0: memslot W 0 gpa 1M size 4p gmem G
P0: close G -> close_bound
P0: memslot W 1 gpa 2M size 4p -> other_slot
guest W: read 1M -> after_release, exit
P0: memslot W 0 gpa 1M size 0 -> delete_after

expect alive_by_gmem == true
expect alloc_ok == OK
expect alive_by_mapping == true
expect file_alive == true
expect still == 0x42
expect file_gone == false
expect vm_gone == false
expect close_bound == OK
expect other_slot == OK
expect after_release == EFAULT
expect exit == 0                       # KVM_EXIT_MEMORY_FAULT, shared (GMEM_ONLY slot)
expect delete_after == OK
