# S27 (model of the in-place conversion series, v7/v8): KVM_SET_MEMORY_ATTRIBUTES2
# on the guest_memfd fd converts index 1 to private: its host PTEs are
# unmapped (unmap_mapping_pages()) and a host access is SIGBUS; the other
# pages stay mapped and readable. Converting back makes it accessible again,
# with its contents (non-CoCo / pKVM; the ZERO content mode would read 0).
# In 6.18 the ioctl does not exist: ENOTTY, and nothing changes.
scenario s27-inplace-basic-conversion
doc "convert page 1 private: host SIGBUS there only; back to shared: host reads 0xaa again"
ref guest_memfd in-place conversion v8 (20260618-gmem-inplace-conversion-v8), __kvm_gmem_set_attributes(); spec §3.3(b), §5 S27

P0: vm V
P0: gmem G = create V size 4p mmap init_shared
P0: mmap A 4 rw shared gmem G
P0: write A[1] = 0xaa
P0: convert G[1] private -> to_private
P0: present A[1] -> mapped
P0: read A[1] -> host1
P0: read A[0] -> host0
P0: read A[2] -> host2
P0: gmem_private G -> p0, p1, p2, p3
P0: convert G[1] shared -> to_shared
P0: read A[1] -> host1_back

expect to_private == ENOTTY
expect mapped == true
expect host1 == 0xaa
expect host0 == 0
expect host2 == 0
expect p1 == false
expect to_shared == ENOTTY
expect host1_back == 0xaa
expect[gmem-conversion=inplace] to_private == OK
expect[gmem-conversion=inplace] mapped == false
expect[gmem-conversion=inplace] host1 == SIGBUS
expect[gmem-conversion=inplace] p1 == true
expect[gmem-conversion=inplace] to_shared == OK
