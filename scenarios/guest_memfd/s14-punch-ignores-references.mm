# S14: PUNCH_HOLE never waits for references (truncate_inode_pages_range()):
# a page spliced into a pipe, or pinned by a device, is simply dropped from
# the page cache. The holder keeps the old page ('A'); the mapping faults in
# a fresh zero page; an mlocked page is punched too. The pin now sees a page
# the process no longer maps: pin-coherent reports it.
# With in-place conversion, converting the spliced page to private instead of
# punching it fails with EAGAIN and error_offset 0 (the pipe holds a
# reference above the baseline) and the page stays shared; once the pipe
# is drained the conversion succeeds.
scenario s14-punch-ignores-references
doc "PUNCH_HOLE drops vmspliced, pinned and mlocked pages at once; in-place conversion waits (EAGAIN) instead"
ref virt/kvm/guest_memfd.c kvm_gmem_punch_hole(); spec guest-memfd.md §1.9, §5 S14 [V], §3.3(b)

P0: vm V
P0: gmem G = create V size 4p mmap init_shared
P0: mmap A 4 rw shared gmem G
P0: write A = 0x41
P0: vmsplice A[0] -> pipe p
P0: convert G[0] private -> conv, off
P0: fallocate G[0] punch -> punch
P0: read A[0] -> after_punch
P0: read pipe p -> piped
P0: convert G[1] private -> conv_drained, off2
P0: mlock A[2]
P0: fallocate G[2] punch -> punch_locked
P0: read A[2] -> locked_after
P0: pin K = A[3] write longterm
P0: fallocate G[3] punch -> punch_pinned
P0: write A[3] = 0x55
dma read K[0] -> device

expect conv == ENOTTY                # 6.18: no conversion ioctl
expect off == none
expect punch == OK
expect after_punch == 0
expect piped == 0x41                 # the pipe kept the old page
expect conv_drained == ENOTTY
expect off2 == none
expect punch_locked == OK
expect locked_after == 0
expect punch_pinned == OK
expect device == 0x41                # the device still has the old page ...
expect lost_coherence == 1           # ... which the process no longer maps
# In place: the pipe's reference blocks the conversion; page 1 had none.
expect[gmem-conversion=inplace] conv == EAGAIN
expect[gmem-conversion=inplace] off == 0
expect[gmem-conversion=inplace] conv_drained == OK
