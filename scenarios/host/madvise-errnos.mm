# Written from a 6.18 host run: madvise() over a hole applies to the mapped
# parts and returns ENOMEM (madvise_walk_vmas()); MADV_DONTNEED zaps (the next
# read sees zero); MADV_POPULATE_WRITE on a read-only mapping is EINVAL
# (madvise_populate() -> faultin_page_range() -> check_vma_flags() refuses a
# write to a VMA without VM_WRITE: -EFAULT would come from a later fault, not
# from the flags check); MADV_DONTNEED on mlocked memory is
# EINVAL (VM_LOCKED in madvise_dontneed_free_valid_vma()).
scenario host-madvise-errnos
doc "madvise errnos: hole ENOMEM, populate_write on r EINVAL, dontneed on locked EINVAL"
ref mm/madvise.c

P0: mmap A 3 rw
P0: write A = 9
P0: munmap A[1]
P0: madvise A dontneed -> hole
P0: read A[0] -> a0
P0: present A[2] -> p2
P0: mmap R 1 r
P0: madvise R populate_write -> pw
P0: mmap L 1 rw locked
P0: madvise L dontneed -> dl
P0: madvise L populate_read -> pr

expect hole == ENOMEM
expect a0 == 0
expect p2 == false
expect pw == EINVAL
expect dl == EINVAL
expect pr == OK
