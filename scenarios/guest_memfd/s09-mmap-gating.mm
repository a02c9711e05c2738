# S09: mmap() of a guest_memfd. sys_mmap() rejects an unaligned offset
# (EINVAL); the anon-inode mount is noexec, so PROT_EXEC is EPERM
# (do_mmap(): path_noexec()) and a later mprotect(PROT_EXEC) is EACCES (no
# VM_MAYEXEC); kvm_gmem_mmap() needs GUEST_MEMFD_FLAG_MMAP (ENODEV) and
# MAP_SHARED (EINVAL, even for PROT_READ).
scenario s09-mmap-gating
doc "mmap of guest_memfd: ENODEV without MMAP, EINVAL for MAP_PRIVATE or an unaligned offset, EPERM for PROT_EXEC"
ref virt/kvm/guest_memfd.c kvm_gmem_mmap(); mm/mmap.c do_mmap(); spec guest-memfd.md §1.8 [V]

P0: vm V
P0: gmem N = create V size 4p
P0: gmem S = create V size 4p init_shared
P0: gmem M = create V size 4p mmap
P0: mmap A 4 rw shared gmem N -> no_mmap
P0: mmap B 4 rw shared gmem S -> init_shared_only
P0: mmap C 4 rw gmem M -> private
P0: mmap D 4 r gmem M -> private_ro
P0: mmap E 4 rw shared gmem M offset 1 -> bad_offset
P0: mmap F 4 rw shared exec gmem M -> exec
P0: mmap G 4 rw shared gmem M -> shared_rw
P0: mprotect G r exec -> mprotect_exec
P0: mprotect G r -> mprotect_ro

expect no_mmap == ENODEV
expect init_shared_only == ENODEV
expect private == EINVAL
expect private_ro == EINVAL
expect bad_offset == EINVAL
expect exec == EPERM
expect shared_rw == OK
expect mprotect_exec == EACCES
expect mprotect_ro == OK
