# Written from a 6.18 host run: mprotect() over a hole fails with ENOMEM
# (mprotect_fixup() walk finds the gap), accesses against the protection
# raise SIGSEGV, and an upgrade back to rw lets the write through.
scenario host-mprotect-errnos
doc "mprotect at a hole is ENOMEM; r and none fault as SIGSEGV"
ref mm/mprotect.c do_mprotect_pkey()

P0: mmap A 3 rw
P0: munmap A[1]
P0: mprotect A r -> hole
P0: mprotect A[0] r
P0: write A[0] = 1 -> w
P0: read A[0] -> r0
P0: mprotect A[2] none
P0: read A[2] -> r2
P0: mprotect A[0] rw
P0: write A[0] = 7
P0: read A[0] -> r0b
P0: read A[1] -> r1

expect hole == ENOMEM
expect w == SIGSEGV
expect r0 == 0
expect r2 == SIGSEGV
expect r0b == 7
expect r1 == SIGSEGV
