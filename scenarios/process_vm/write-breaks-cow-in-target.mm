# process_vm_writev() pins the remote pages with FOLL_WRITE
# (pin_user_pages_remote(.., FOLL_WRITE)): a COW-shared page of the target
# gets a write fault in the target's mm (faultin_page(FAULT_FLAG_WRITE) ->
# do_wp_page() -> wp_page_copy()), so only the target sees the data; the
# other sharer (the writer itself, here) keeps its page. Writing to an
# exclusive page of the target changes no PFN. The target's R/O mapping
# makes the write fail (check_vma_flags(): FOLL_WRITE without VM_WRITE and
# no FOLL_FORCE -> EFAULT).
# Same in every era for the R/W accesses (a FOLL_WRITE GUP is a write fault).
# 5.8 (A'): process_vm_readv() of the never-touched R/O private mapping R: in
# 17839856fd58 __get_user_pages() runs check_vma_flags(vma, gup_flags) on the
# caller's flags *before* should_force_cow_break() adds FOLL_WRITE to
# foll_flags, and 5.8's can_follow_write_pte() accepts FOLL_COW && pte_dirty
# without FOLL_FORCE (§3.7), so the read succeeds (after a write fault that
# maps a private page R/O) and returns 0. The model reports EFAULT here under
# linux-5.8 (it re-runs check_vma_flags() with the forced FOLL_WRITE): left
# failing as a suspected model bug.
scenario write-breaks-cow-in-target
doc "process_vm_writev's R/W pin breaks COW in the target"
ref cow-gup.md §9.3; mm/process_vm_access.c; mm/gup.c check_vma_flags()

P0: mmap A 2 rw
P0: write A = 1
P0: pfn A -> a0, a1
P0: fork P1
P1: write A[1] = 2                  # A[1] becomes exclusive in both
P1: pfn A[1] -> c1
P0: process_vm_write P1 A[0] = 0x33 -> w0
P0: process_vm_write P1 A[1] = 0x44 -> w1
P1: pfn A -> d0, d1
P1: read A -> v0, v1
P0: read A[0] -> mine
P1: mmap R 1 r
P0: process_vm_write P1 R[0] = 5 -> wr
P0: process_vm_read P1 R[0] -> rr

expect w0 == OK
expect w1 == OK
expect d0 != a0                     # COW broken in the target
expect d1 == c1                     # exclusive: written in place
expect v0 == 0x33
expect v1 == 0x44
expect mine == 1
expect wr == EFAULT
expect rr == 0
