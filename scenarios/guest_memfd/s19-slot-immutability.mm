# S19: a guest_memfd memslot is immutable: "private memslots are immutable,
# they can only be deleted" (__kvm_set_memory_region()). Re-issuing it, even
# identically, moving it, dropping the flag or turning on dirty logging are
# all EINVAL, as is turning a plain slot into a guest_memfd one. Deleting
# (size 0) unbinds the range, which can then be bound again.
scenario s19-slot-immutability
doc "gmem memslots: any change is EINVAL, delete works, the freed range can be bound again"
ref virt/kvm/kvm_main.c __kvm_set_memory_region(); virt/kvm/guest_memfd.c kvm_gmem_unbind(); spec §1.10 [V]

P0: vm V
P0: gmem G = create V size 16p
P0: mmap U 4 rw
P0: memslot V 0 gpa 1M size 4p gmem G -> s0
P0: memslot V 0 gpa 1M size 4p gmem G -> identical
P0: memslot V 0 gpa 2M size 4p gmem G -> move
P0: memslot V 0 gpa 1M size 4p uaddr U -> drop_flag
P0: memslot V 0 gpa 1M size 4p uaddr U log_dirty -> log_dirty
P0: memslot V 1 gpa 3M size 4p uaddr U -> plain
P0: memslot V 1 gpa 3M size 4p gmem G offset 4p -> plain_to_gmem
P0: memslot V 0 gpa 1M size 0 -> delete
P0: memslot V 2 gpa 4M size 4p gmem G -> rebind
P0: memslot V 1 gpa 5M size 4p uaddr U -> plain_move

expect s0 == OK
expect identical == EINVAL
expect move == EINVAL
expect drop_flag == EINVAL
expect log_dirty == EINVAL
expect plain == OK
expect plain_to_gmem == EINVAL
expect delete == OK
expect rebind == OK
expect plain_move == OK                # plain slots may move (KVM_MR_MOVE)
