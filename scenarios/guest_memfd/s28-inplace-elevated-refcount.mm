# S28 (in-place model): shared->private conversion unmaps, then requires every
# folio in the range at its baseline refcount (kvm_gmem_is_safe_for_conversion():
# folio_ref_count() == folio_nr_pages() + 1). An io_uring fixed buffer on
# page 1 keeps it above: EAGAIN, error_offset = 4096 (the first offending
# folio, ascending), the page stays shared and readable. After unregistering
# the retry succeeds. A pin on page 3 makes a conversion of [0,16K) fail at
# 12288, and the pages before it are not converted either.
scenario s28-inplace-elevated-refcount
doc "a pinned page blocks conversion to private: EAGAIN with error_offset at the pinned folio"
ref __kvm_gmem_set_attributes(), kvm_gmem_is_safe_for_conversion(); spec guest-memfd.md §3.3(b), §5 S28

P0: vm V
P0: gmem G = create V size 4p mmap init_shared
P0: mmap A 4 rw shared gmem G
P0: write A = 0x5
P0: pin K = A[1] write longterm
P0: convert G[1] private -> first, off1
P0: read A[1] -> still_shared
P0: unpin K
P0: convert G[1] private -> retry, off_retry
P0: convert G[1] shared -> back
P0: pin K3 = A[3] write longterm
P0: convert G[0:4] private -> range, off3
P0: gmem_private G[0] -> p0

expect first == ENOTTY
expect off1 == none
expect still_shared == 5
expect retry == ENOTTY
expect off_retry == none
expect range == ENOTTY
expect off3 == none
expect p0 == false
expect back == ENOTTY
expect[gmem-conversion=inplace] back == OK
expect[gmem-conversion=inplace] first == EAGAIN
expect[gmem-conversion=inplace] off1 == 4096
expect[gmem-conversion=inplace] retry == OK
expect[gmem-conversion=inplace] range == EAGAIN
expect[gmem-conversion=inplace] off3 == 12288
