# mprotect() over a range containing a hole fails with ENOMEM
# (do_mprotect_pkey(): "if (!vma) ... error = -ENOMEM" / a gap between VMAs).
# The part before the hole has already been changed (Linux applies it VMA by
# VMA): A[0] is now read-only. A[1] is the hole left by munmap.
scenario mprotect-enomem-at-hole
doc "mprotect() across a hole: ENOMEM, the VMAs before the hole already changed"
ref mm/mprotect.c do_mprotect_pkey()

P0: mmap A 3 rw
P0: write A = 1
P0: munmap A[1]
P0: mprotect A r -> e
P0: write A[0] = 2 -> w0
P0: write A[2] = 3 -> w2
P0: mprotect A[2] r -> ok
P0: write A[2] = 4 -> w2b

expect e == ENOMEM
expect w0 == SIGSEGV
expect w2 == OK
expect ok == OK
expect w2b == SIGSEGV
