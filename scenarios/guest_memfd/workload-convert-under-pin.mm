# Workload: a VMM shares guest pages with a device (a long-term pin, e.g. an
# io_uring fixed buffer or a VFIO DMA mapping) and converts pages back and
# forth between shared and private while the device holds page 1. Where does
# each design block, fail, or silently lose coherence?
#   6.18 (gmem-conversion=none): no conversion ioctl (ENOTTY). A VMM can only
#     discard (PUNCH_HOLE), which never waits: the device keeps a page the
#     guest_memfd no longer has (pin-coherent reports it).
#   in place (gmem-conversion=inplace): shared->private fails with EAGAIN and
#     error_offset 4096 until the device lets go; once private, the device's
#     new pin fails with EFAULT (no host mapping of a private page).
#   exclusive pins (gmem-pin=exclusive): the hypervisor's exclusive pin on
#     the pages it donates to the guest fails with EBUSY while the device
#     pin exists; once taken, the device's new pin fails with EBUSY, but
#     FOLL_GET and the host mapping are untouched (the 2024 RFC's weak spot).
scenario workload-convert-under-pin
doc "convert [0:4) private and back while a device pins page 1, under each guest_memfd design"
ref spec guest-memfd.md §2 (2024 RFC and alignment session), §3.3 (in-place conversion), §5 S28, S35

P0: vm V
P0: gmem G = create V size 8p mmap init_shared
P0: mmap A 8 rw shared gmem G
P0: write A = 0x10
P0: pin DEV = A[1] write longterm                 # the device
# Round 1: make [0:4) private while the device holds page 1.
P0: convert G[0:4] private -> conv1, off1
P0: pin HYP1 = A[0:4] write exclusive -> excl1    # the 2024 RFC's way to make pages private
# The 6.18 way: discard instead of converting.
P0: fallocate G[1] punch -> discard
P0: write A[1] = 0x11 -> host_write
dma read DEV[0] -> device_sees
P0: unpin DEV
# Round 2: the device is gone; convert again.
P0: convert G[0:4] private -> conv2, off2
P0: pin HYP2 = A[0:4] write exclusive -> excl2
P0: pin DEV2 = A[1] write longterm -> dev_repin
P0: gup GET = A[2] -> get_while_private
P0: read A[3] -> host_read_private
# Round 3: back to shared.
P0: unpin HYP2 -> unexc
P0: convert G[0:4] shared -> conv3, off3
P0: pin DEV3 = A[1] write longterm -> dev_after

expect conv1 == ENOTTY
expect off1 == none
expect excl1 == EINVAL
expect discard == OK
expect host_write == OK
expect device_sees == 0x10                        # the device still DMAs to the discarded page
expect lost_coherence == 1
expect conv2 == ENOTTY
expect off2 == none
expect excl2 == EINVAL
expect dev_repin == OK
expect get_while_private == OK
expect host_read_private == 0x10
expect unexc == EINVAL
expect conv3 == ENOTTY
expect off3 == none
expect dev_after == OK

# In place: EAGAIN while pinned, then private pages cannot be pinned or read by the host.
expect[gmem-conversion=inplace] conv1 == EAGAIN
expect[gmem-conversion=inplace] off1 == 4096
expect[gmem-conversion=inplace] conv2 == OK
expect[gmem-conversion=inplace] dev_repin == EFAULT
expect[gmem-conversion=inplace] get_while_private == EFAULT
expect[gmem-conversion=inplace] host_read_private == SIGBUS
expect[gmem-conversion=inplace] conv3 == OK

# Exclusive pins: EBUSY both ways, but FOLL_GET and CPU access still reach the "private" pages.
expect[gmem-pin=exclusive] excl1 == EBUSY
expect[gmem-pin=exclusive] excl2 == OK
expect[gmem-pin=exclusive] dev_repin == EBUSY
expect[gmem-pin=exclusive] unexc == OK
