# mlock is not inherited: dup_mmap() clears VM_LOCKED (and VM_LOCKONFAULT) in
# the child's VMA ("vm_flags_clear(tmp, VM_LOCKED_MASK)") and the child's
# locked_vm starts at 0. The page is still shared COW with the parent; the
# child's mapping of it does not count as mlocked, the folio stays PG_mlocked
# because the parent's VMA is VM_LOCKED. The child's write copies into an
# unlocked page.
scenario mlock-not-inherited-by-fork
doc "fork(): the child's copy of an mlocked VMA is not locked"
ref mm/mmap.c dup_mmap() VM_LOCKED_MASK; mm/mlock.c

P0: mmap A 1 rw locked
P0: write A[0] = 1
P0: pfn A[0] -> x
P0: fork P1
P1: locked_vm -> child_lvm
P0: locked_vm -> parent_lvm
P1: pfn A[0] -> cx
P1: write A[0] = 2
P1: pfn A[0] -> cy
P1: mlocked A[0] -> child_mlocked
P0: mlocked A[0] -> parent_mlocked
P1: madvise A dontneed -> child_dontneed   # allowed: the child's VMA is not VM_LOCKED
P0: madvise A dontneed -> parent_dontneed

expect child_lvm == 0
expect parent_lvm == 1
expect cx == x
expect cy != x
expect child_mlocked == false
expect parent_mlocked == true
expect child_dontneed == OK
expect parent_dontneed == EINVAL
