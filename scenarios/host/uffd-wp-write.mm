# Written from host observations (Linux 6.18): userfaultfd write-protect on
# private anonymous memory, the worker's userfaultfd with UFFD_FEATURE_SIGBUS.
scenario uffd-wp-write
doc "UFFDIO_WRITEPROTECT: a write stops (USERFAULT) and leaves the page alone; after resolving, the write reuses the page"
ref fs/userfaultfd.c userfaultfd_writeprotect(); mm/memory.c do_wp_page() userfaultfd_pte_wp()
P0: mmap A 2 rw
P0: uffd_writeprotect A -> before_reg      # no VMA registered for WP
P0: write A = 1
P0: pfn A -> p0, q0
P0: uffd_register A wp
P0: uffd_writeprotect A[0]
P0: uffd_wp A -> w0, w1
P0: write A[0] = 2 -> blocked
P0: read A[0] -> still
P0: write A[1] = 3 -> free_write              # A[1] was not write-protected
P0: fork P1
P1: uffd_wp A[0] -> child_wp                  # no UFFD_FEATURE_EVENT_FORK: the child's VMA has no VM_UFFD_WP
P1: write A[0] = 4 -> child_write
P1: exit
P0: uffd_writeprotect A[0] off
P0: uffd_wp A[0] -> w0_after
P0: write A[0] = 5 -> resolved
P0: pfn A[0] -> p1
P0: read A[0] -> final
expect before_reg == ENOENT
expect w0 == true
expect w1 == false
expect blocked == USERFAULT
expect still == 1
expect free_write == OK
expect child_wp == false
expect child_write == OK
expect w0_after == false
expect resolved == OK
expect p1 == p0                               # the child is gone: the page is exclusive again, reused
expect final == 5
