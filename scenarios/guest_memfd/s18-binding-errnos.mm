# S18: the errno order of __kvm_set_memory_region(): flags first
# (check_memory_region_flags(): GUEST_MEMFD excludes READONLY and
# LOG_DIRTY_PAGES; the v1 ioctl knows no GUEST_MEMFD), then alignment and
# the slot id, then GPA overlap (EEXIST, before any guest_memfd check), then
# kvm_gmem_bind(): EBADF, not a guest_memfd, another VM's guest_memfd.
# Without the flag the guest_memfd fields are ignored.
scenario s18-binding-errnos
doc "REGION2 errnos: flags, alignment, EEXIST before the fd checks, EBADF, foreign guest_memfd"
ref virt/kvm/kvm_main.c __kvm_set_memory_region(), check_memory_region_flags(); spec guest-memfd.md §1.10 [V]

P0: vm V
P0: vm W
P0: gmem G = create V size 16p
P0: gmem H = create W size 16p
P0: memfd F 4
P0: mmap U 4 rw
P0: memslot V 0 gpa 1M size 4p gmem G -> s0
P0: memslot V 1 gpa 2M size 4p gmem badfd -> badfd
P0: memslot V 1 gpa 2M size 4p gmem F -> memfd
P0: memslot V 1 gpa 2M size 4p gmem H -> foreign
P0: memslot V 1 gpa 2M size 4p gmem G offset 4p readonly -> ro
P0: memslot V 1 gpa 2M size 4p gmem G offset 4p log_dirty -> logdirty
P0: memslot V 1 gpa 2M size 4p gmem G offset 4p uaddr 1 -> uaddr1
P0: memslot V 1 gpa 2M size 4p gmem G offset 4p uaddr 0 -> uaddr0
P0: memslot V 2 gpa 1M size 4p gmem G offset 8p -> gpa_overlap
P0: memslot V 2 gpa 1M size 4p gmem badfd -> overlap_badfd
P0: memslot V 2 gpa 1M size 4p gmem badfd readonly -> flags_first
P0: memslot V 3 gpa 3M size 4p v1 flags 4 -> v1_gmem
P0: memslot V 0x7fff gpa 4M size 4p -> slot_id
P0: memslot V 4 gpa 5M size 4p uaddr U fd G -> plain_with_fd

expect s0 == OK
expect badfd == EBADF
expect memfd == EINVAL
expect foreign == EINVAL
expect ro == EINVAL
expect logdirty == EINVAL
expect uaddr1 == EINVAL
expect uaddr0 == OK
expect gpa_overlap == EEXIST
expect overlap_badfd == EEXIST
expect flags_first == EINVAL
expect v1_gmem == EINVAL
expect slot_id == EINVAL
expect plain_with_fd == OK
