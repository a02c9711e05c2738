# Written from host observations (Linux 6.18): userfaultfd_register() skips
# holes (for_each_vma_range()) and fails only when no VMA meets the range.
# The model said ENOMEM for a range with a hole until this scenario ran on
# the host; fs/userfaultfd.c agrees with the host in every era.
scenario uffd-register-errors
doc "UFFDIO_REGISTER (WP) registers the VMAs of a range with holes; a range without any VMA is EINVAL; write-protecting an unregistered VMA is ENOENT"
ref fs/userfaultfd.c userfaultfd_register(), mm/userfaultfd.c mwriteprotect_range()
P0: mmap A 3 rw
P0: mmap B 1 rw
P0: munmap A[1]
P0: uffd_register A wp -> hole
P0: uffd_wp A[2] -> before
P0: write A[2] = 1
P0: uffd_writeprotect A[2] -> last
P0: uffd_wp A[2] -> after
P0: write A[2] = 2 -> blocked
P0: munmap A
P0: uffd_register A wp -> nothing
P0: uffd_writeprotect B -> unregistered
expect hole == OK
expect before == false
expect last == OK                   # A[2] was registered across the hole
expect after == true
expect blocked == USERFAULT
expect nothing == EINVAL            # no VMA meets the range
expect unregistered == ENOENT
