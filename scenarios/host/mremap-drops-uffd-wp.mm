# Written from host observations (Linux 6.18): mremap() of a range registered
# for userfaultfd write-protect, without UFFD_FEATURE_EVENT_REMAP (the host
# runner's userfaultfd asks only for UFFD_FEATURE_SIGBUS).
scenario mremap-drops-uffd-wp
doc "mremap() without UFFD_FEATURE_EVENT_REMAP drops the moved VMA's userfaultfd registration and the uffd-wp bits of its PTEs: a write goes through, and UFFDIO_WRITEPROTECT there finds nothing registered"
ref fs/userfaultfd.c mremap_userfaultfd_prep() userfaultfd_reset_ctx(); mm/mremap.c move_ptes() (0cef0bb836e3, 6.14)
P0: mmap A 1 rw
P0: write A[0] = 1
P0: pfn A[0] -> p0
P0: uffd_register A wp
P0: uffd_writeprotect A[0]
P0: uffd_wp A[0] -> before
P0: mremap A B
P0: uffd_wp B[0] -> after
P0: write B[0] = 2 -> moved_write
P0: pfn B[0] -> p1
P0: uffd_writeprotect B[0] -> reprotect
P0: read B[0] -> final
expect before == true
expect after == false
expect moved_write == OK
expect p1 == p0          # the page moved with its PTE, exclusive: the write reuses it
expect reprotect == ENOENT
expect final == 2
