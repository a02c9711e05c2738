# Bad accesses raise SIGSEGV: a PROT_NONE VMA fails access_error() for reads
# and writes, a PROT_READ VMA fails it for writes (do_user_addr_fault()),
# and after munmap() there is no VMA at all (bad_area). Reading a PROT_READ
# mapping is fine (zero page).
scenario sigsegv-prot-none-readonly-unmapped
doc "SIGSEGV on PROT_NONE, on writes to PROT_READ, and after munmap()"
ref arch/x86/mm/fault.c do_user_addr_fault(), access_error(); mm/mmap.c

P0: mmap N 1 none
P0: mmap R 1 r
P0: mmap A 1 rw
P0: read N[0] -> n_read
P0: write N[0] = 1 -> n_write
P0: read R[0] -> r_read
P0: write R[0] = 1 -> r_write
P0: write A[0] = 2
P0: munmap A
P0: read A[0] -> a_read
P0: write A[0] = 3 -> a_write
P0: present N[0] -> n_present

expect n_read == SIGSEGV
expect n_write == SIGSEGV
expect r_read == 0
expect r_write == SIGSEGV
expect a_read == SIGSEGV
expect a_write == SIGSEGV
expect n_present == false
