# S02: KVM_CREATE_GUEST_MEMFD size rules (kvm_gmem_create()): the size, read
# as a signed loff_t, must be > 0 and page aligned, else EINVAL. Creation
# allocates nothing: the file is sparse (no page until fallocate or a fault).
scenario s02-size-validation
doc "guest_memfd sizes: 0, unaligned and >= 2^63 are EINVAL; 4K up to 2^63-4K are fine and sparse"
ref virt/kvm/guest_memfd.c kvm_gmem_create(); spec guest-memfd.md §1.3 [V]

P0: vm V
P0: gmem A = create V size 0 -> r0
P0: gmem B = create V size 1 -> r1
P0: gmem C = create V size 4095 -> r4095
P0: gmem D = create V size 4097 -> r4097
P0: gmem E = create V size 0x8000000000000000 -> r2_63
P0: gmem F = create V size 0xfffffffffffff000 -> r2_64m4k
P0: gmem G = create V size 4096 -> ok4k
P0: gmem H = create V size 8192 -> ok8k
P0: gmem I = create V size 1T -> ok1t
P0: gmem J = create V size 0x4000000000000000 -> ok2_62
P0: gmem K = create V size 0x7ffffffffffff000 -> ok2_63m4k
P0: gmem_pages I -> pages
P0: gmem_live K -> live

expect r0 == EINVAL
expect r1 == EINVAL
expect r4095 == EINVAL
expect r4097 == EINVAL
expect r2_63 == EINVAL
expect r2_64m4k == EINVAL
expect ok4k == OK
expect ok8k == OK
expect ok1t == OK
expect ok2_62 == OK
expect ok2_63m4k == OK
expect pages == 0                    # no memory consumed
expect live == true
