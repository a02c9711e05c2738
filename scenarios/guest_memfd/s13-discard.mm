# S13: discarding guest_memfd memory. MADV_DONTNEED only zaps the PTEs: the
# page cache keeps the data. PUNCH_HOLE and MADV_REMOVE (madvise_remove() ->
# vfs_fallocate(PUNCH_HOLE|KEEP_SIZE)) drop the pages: the next fault maps a
# fresh zero page. MADV_COLLAPSE is EINVAL (not an anonymous or shmem VMA).
scenario s13-discard
doc "DONTNEED keeps data, PUNCH_HOLE and MADV_REMOVE zero a page, MADV_COLLAPSE EINVAL"
ref virt/kvm/guest_memfd.c kvm_gmem_punch_hole(); mm/madvise.c madvise_remove(); spec guest-memfd.md §5 S13 [V]
config thp_order=2

P0: vm V
P0: gmem G = create V size 4p mmap init_shared
P0: mmap A 4 rw shared gmem G
P0: write A = 0xaa
P0: madvise A dontneed
P0: read A[0] -> after_dontneed
P0: fallocate G[0] punch
P0: read A[0] -> p0
P0: read A[1] -> p1
P0: madvise A[1] remove -> remove
P0: read A[1] -> q1
P0: read A[2] -> q2
P0: madvise A collapse -> collapse

expect after_dontneed == 0xaa
expect p0 == 0
expect p1 == 0xaa
expect remove == OK
expect q1 == 0
expect q2 == 0xaa
expect collapse == EINVAL
