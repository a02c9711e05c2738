# S01 (spec guest-memfd.md §5): capability discovery. KVM_CAP_GUEST_MEMFD_FLAGS
# (244) is kvm_gmem_get_supported_flags(): MMAP always, INIT_SHARED unless the
# VM type tracks private memory per VM (kvm_arch_supports_gmem_init_shared():
# !kvm_arch_has_private_mem()); on /dev/kvm both. KVM_CAP_MEMORY_ATTRIBUTES
# (233) is kvm_supported_mem_attributes(): PRIVATE (8) only for VM types with
# private memory. The modelled machine has CONFIG_KVM_SW_PROTECTED_VM (this
# host, a PVM guest, has not: 233 reads 0 there, see the host/ corpus).
# With in-place conversion (kvm.vm_memory_attributes=0) INIT_SHARED is allowed
# for every VM type and the attributes move to guest_memfd (cap 250).
scenario s01-capabilities
doc "KVM_CHECK_EXTENSION: GUEST_MEMFD_FLAGS, GUEST_MEMFD, MEMORY_ATTRIBUTES per VM type"
ref include/linux/kvm_host.h kvm_gmem_get_supported_flags(); virt/kvm/kvm_main.c kvm_vm_ioctl_check_extension_generic()

P0: check_extension guest_memfd_flags -> dev_flags
P0: vm V
P0: check_extension V guest_memfd_flags -> vm_flags
P0: check_extension V guest_memfd -> vm_gmem
P0: check_extension V memory_attributes -> vm_attrs
P0: vm S sw_protected
P0: check_extension S guest_memfd_flags -> sw_flags
P0: check_extension S memory_attributes -> sw_attrs
P0: check_extension S guest_memfd_memory_attributes -> sw_gmem_attrs

expect dev_flags == 3
expect vm_flags == 3
expect vm_gmem == 1
expect vm_attrs == 0
expect sw_flags == 1                 # MMAP only: INIT_SHARED is EINVAL on a SW_PROTECTED VM
# (with the proposals sw_flags gains INIT_SHARED (in place) and HUGETLB (huge
# designs) — two knobs at once, which one qualifier cannot say; s03 shows
# both by creating files)
expect sw_attrs == 8
expect sw_gmem_attrs == 0
# In place: INIT_SHARED everywhere, attributes per guest_memfd index.
expect[gmem-conversion=inplace] sw_attrs == 0
expect[gmem-conversion=inplace] sw_gmem_attrs == 8
# HugeTLB guest_memfd (GUEST_MEMFD_FLAG_HUGETLB, bit 2) exists only in the huge-page designs.
expect[gmem-huge=shatter,gmem-huge=split] dev_flags == 7
expect[gmem-huge=shatter,gmem-huge=split] vm_flags == 7
expect[gmem-conversion=inplace,gmem-huge=shatter,gmem-huge=split] sw_flags != 1
