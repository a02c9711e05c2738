# S31 (in-place model): PUNCH_HOLE frees the page but does not change the
# index's attribute: it is still private (host SIGBUS) with no page behind
# it. Converting it to shared then faults in a fresh zero page.
scenario s31-inplace-truncation-keeps-attributes
doc "private page punched: still private (SIGBUS); converted to shared it reads 0"
ref kvm_gmem_punch_hole() (attributes untouched); spec guest-memfd.md §3.3(b), §5 S31

P0: vm V
P0: gmem G = create V size 4p mmap init_shared
P0: mmap A 4 rw shared gmem G
P0: write A[2] = 0xcc
P0: convert G[2] private -> conv
P0: fallocate G[2] punch -> punch
P0: gmem_present G[2] -> present
P0: gmem_private G[2] -> still_private
P0: read A[2] -> host
P0: convert G[2] shared -> back
P0: read A[2] -> fresh

expect conv == ENOTTY
expect punch == OK
expect present == false
expect still_private == false
expect host == 0
expect back == ENOTTY
expect fresh == 0
expect[gmem-conversion=inplace] conv == OK
expect[gmem-conversion=inplace] still_private == true
expect[gmem-conversion=inplace] host == SIGBUS
expect[gmem-conversion=inplace] back == OK
