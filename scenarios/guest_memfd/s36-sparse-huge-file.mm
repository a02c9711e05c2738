# S36: a sparse 1 TiB guest_memfd: allocate its last 4 pages, punch 2^61
# bytes from 0 (PUNCH_HOLE has no upper bound and walks only what is
# there), and bind its last GiB at GPA 1 TiB. Nothing here touches more
# than the 4 pages.
scenario s36-sparse-huge-file
doc "1 TiB guest_memfd: fallocate the last 4 pages, punch 2^61 bytes, bind the last GiB"
ref virt/kvm/guest_memfd.c kvm_gmem_allocate(), kvm_gmem_punch_hole(), kvm_gmem_bind(); spec §5 S36 [V]

P0: vm V
P0: gmem G = create V size 1T
P0: fallocate G offset 0xffffffc000 len 16K keep_size -> alloc
P0: gmem_pages G -> pages
P0: fallocate G offset 0 len 0x2000000000000000 keep_size punch_hole -> punch
P0: gmem_pages G -> after_punch
P0: memslot V 0 gpa 1T size 1G gmem G offset 0xffc0000000 -> bind

expect alloc == OK
expect pages == 4
expect punch == OK
expect after_punch == 0
expect bind == OK
