# S05: the guest_memfd file refuses plain file I/O (kvm_gmem_fops has no
# read_iter/write_iter/llseek/fsync, kvm_gmem_setattr() returns -EINVAL, and
# in 6.18 there is no unlocked_ioctl). The file can only be reached through
# dup/fork/SCM_RIGHTS: reopening /proc/self/fd/N is ENXIO.
scenario s05-no-file-io
doc "read/write EINVAL, pread/pwrite/lseek ESPIPE, ftruncate/fsync EINVAL, ioctl ENOTTY, copy_file_range EXDEV"
ref virt/kvm/guest_memfd.c kvm_gmem_fops, kvm_gmem_setattr(); spec guest-memfd.md §1.4-§1.5 [V]

P0: vm V
P0: gmem G = create V size 16p mmap init_shared
P0: file_op G read -> rd
P0: file_op G write -> wr
P0: file_op G pread -> prd
P0: file_op G pwrite -> pwr
P0: file_op G lseek -> seek
P0: file_op G ftruncate -> trunc
P0: file_op G fchmod -> chmod
P0: file_op G fsync -> sync
P0: file_op G ioctl -> ioc
P0: file_op G splice -> spl
P0: file_op G copy_file_range -> cfr
P0: file_op G add_seals -> seals
P0: file_op G flock -> lock
P0: file_op G fadvise -> fadv
P0: file_op G reopen -> reopen

expect rd == EINVAL
expect wr == EINVAL
expect prd == ESPIPE
expect pwr == ESPIPE
expect seek == ESPIPE
expect trunc == EINVAL
expect chmod == EINVAL
expect sync == EINVAL
expect ioc == ENOTTY
expect spl == EINVAL
expect cfr == EXDEV
expect seals == EINVAL
expect lock == OK
expect fadv == OK
expect reopen == ENXIO
