# S03: KVM_CREATE_GUEST_MEMFD flag rules: flags & ~kvm_gmem_get_supported_flags()
# is EINVAL (checked before the size); reserved[] is not checked. INIT_SHARED
# without MMAP is accepted (it only matters once mmap() is possible). On a
# VM type with per-VM private memory (SW_PROTECTED, SNP, TDX) INIT_SHARED is
# not supported in 6.18; with in-place conversion it is.
scenario s03-flag-validation
doc "guest_memfd flags: MMAP and INIT_SHARED only; INIT_SHARED not on SW_PROTECTED VMs (6.18)"
ref virt/kvm/guest_memfd.c kvm_gmem_create(); include/linux/kvm_host.h kvm_gmem_get_supported_flags()

P0: vm V
P0: gmem A = create V size 4096 flags 1 -> r1
P0: gmem B = create V size 4096 flags 2 -> r2
P0: gmem C = create V size 4096 flags 3 -> r3
P0: gmem D = create V size 4096 flags 4 -> r4
P0: gmem E = create V size 4096 flags 8 -> r8
P0: gmem F = create V size 4096 flags 0x8000000000000000 -> r63
P0: gmem G = create V size 4096 flags 7 -> r7
P0: gmem H = create V size 1 flags 8 -> flags_first     # bad flags and bad size: the flags win
P0: vm S sw_protected
P0: gmem I = create S size 4096 mmap -> sw_mmap
P0: gmem J = create S size 4096 init_shared -> sw_shared
P0: gmem K = create S size 4096 mmap init_shared -> sw_both

expect r1 == OK
expect r2 == OK
expect r3 == OK
expect r4 == EINVAL
expect r8 == EINVAL
expect r63 == EINVAL
expect r7 == EINVAL
expect flags_first == EINVAL
expect sw_mmap == OK
expect sw_shared == EINVAL
expect sw_both == EINVAL
# GUEST_MEMFD_FLAG_HUGETLB (bit 2) exists in the huge-page designs; the size
# (one page) is not a whole huge page, so D still fails, and 7 with it.
expect[gmem-conversion=inplace] sw_shared == OK
expect[gmem-conversion=inplace] sw_both == OK
