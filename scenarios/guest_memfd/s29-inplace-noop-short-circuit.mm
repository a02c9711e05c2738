# S29 (in-place model): asking for the attributes a range already has returns
# 0 at once ("the range already has the attributes"): no unmap, no refcount
# check. So converting a pinned shared page to shared succeeds and the pin
# and the host mapping are untouched.
scenario s29-inplace-noop-short-circuit
doc "shared -> shared on a pinned page: 0, nothing unmapped, no EAGAIN"
ref __kvm_gmem_set_attributes() (early return); spec guest-memfd.md §5 S29

P0: vm V
P0: gmem G = create V size 2p mmap init_shared
P0: mmap A 2 rw shared gmem G
P0: write A[1] = 0x9
P0: pin K = A[1] write longterm
P0: convert G[1] shared -> noop
P0: present A[1] -> mapped
P0: pincount A[1] -> pins

expect noop == ENOTTY
expect mapped == true
expect pins == 1
expect[gmem-conversion=inplace] noop == OK
