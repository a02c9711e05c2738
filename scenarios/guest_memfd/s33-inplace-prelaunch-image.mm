# S33 (in-place model): loading a guest image before launch — "a special case
# of (1)" in the 2024 alignment session: with INIT_SHARED the VMM writes the
# image through its mapping, converts the range to private (contents
# preserved: the PRESERVE mode / SNP_LAUNCH_UPDATE and TDX_INIT_MEM_REGION
# with no source, modelled as plain preservation) and the guest sees the
# image; the host mapping now SIGBUSes. On a CoCo VM type INIT_SHARED exists
# only with in-place conversion: 6.18 refuses it (EINVAL), and a guest_memfd
# without it cannot be written by the host at all.
scenario s33-inplace-prelaunch-image
doc "CoCo VM: write image while shared, convert private, guest sees it, host SIGBUS"
ref 2024-07-10 MM alignment session (Ackerley Tng's summary, item 8); spec guest-memfd.md §2.2, §5 S33

P0: vm S snp
P0: gmem G = create S size 2p mmap init_shared -> created
P0: memslot S 0 gpa 1M size 2p gmem G -> bound
P0: mmap A 2 rw shared gmem G -> mapped
P0: write A = 0x1ea6 -> image
P0: convert G[0:2] private -> conv
guest S: read 1M -> guest_sees, exit
P0: read A[0] -> host_after
P0: gmem P = create S size 2p mmap
P0: mmap B 2 rw shared gmem P
P0: write B[0] = 0x1ea6 -> image_618

expect created == EINVAL             # 6.18: no INIT_SHARED on an SNP VM
expect bound == EBADF
expect mapped == EBADF
expect image == SIGSEGV              # nothing mapped
expect conv == EBADF
expect guest_sees == ENOENT          # no memslot
expect exit == none
expect host_after == SIGSEGV
expect image_618 == SIGBUS           # MMAP without INIT_SHARED: private, no way to write an image
expect[gmem-conversion=inplace] created == OK
expect[gmem-conversion=inplace] bound == OK
expect[gmem-conversion=inplace] mapped == OK
expect[gmem-conversion=inplace] image == OK
expect[gmem-conversion=inplace] conv == OK
expect[gmem-conversion=inplace] guest_sees == 0x1ea6
expect[gmem-conversion=inplace] host_after == SIGBUS
