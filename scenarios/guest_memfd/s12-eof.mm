# S12: i_size never changes; a mapping may extend beyond it or start beyond
# it (mmap succeeds), but a fault at an index >= i_size is SIGBUS
# (kvm_gmem_fault_user_mapping(): the EOF check comes first). A sparse 1 TiB
# file maps its last page like any other.
scenario s12-eof
doc "4-page file in an 8-page mapping: page 3 works, page 4 SIGBUS; a mapping beyond EOF; the end of a 1 TiB file"
ref virt/kvm/guest_memfd.c kvm_gmem_fault_user_mapping(); spec guest-memfd.md §5 S12 [V]

P0: vm V
P0: gmem G = create V size 4p mmap init_shared
P0: mmap A 8 rw shared gmem G
P0: write A[3] = 3 -> w3
P0: write A[4] = 4 -> w4
P0: read A[7] -> r7
P0: mmap B 1 rw shared gmem G offset 16p -> beyond
P0: read B[0] -> rb
P0: gmem T = create V size 1T mmap init_shared
P0: mmap C 2 rw shared gmem T offset 0xfffffff000
P0: write C[0] = 0x77 -> last
P0: read C[1] -> after_last
P0: gmem_pages T -> tpages

expect w3 == OK
expect w4 == SIGBUS
expect r7 == SIGBUS
expect beyond == OK
expect rb == SIGBUS
expect last == OK
expect after_last == SIGBUS
expect tpages == 1
