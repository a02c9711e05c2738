# S15: GUP on a guest_memfd mapping simply goes through the fault handler:
# it works iff the index is shared. On an MMAP-only file, an io_uring buffer
# registration (pin_user_pages_fast(FOLL_WRITE|FOLL_LONGTERM)), an O_DIRECT
# pin, process_vm_readv/writev and vmsplice all fail with EFAULT; with
# INIT_SHARED they work, FOLL_LONGTERM included (the memory is neither
# movable nor in need of dirty tracking). /proc/PID/mem (access_remote_vm()
# with FOLL_FORCE) reports the same failure as EIO.
scenario s15-gup-matrix
doc "pins, process_vm_* and vmsplice: EFAULT on a private guest_memfd mapping, OK on a shared one"
ref mm/gup.c __get_user_pages(); virt/kvm/guest_memfd.c kvm_gmem_fault_user_mapping(); spec guest-memfd.md §1.9 [V]

P0: vm V
P0: gmem M = create V size 2p mmap
P0: gmem S = create V size 2p mmap init_shared
P0: mmap A 2 rw shared gmem M
P0: mmap B 2 rw shared gmem S
P0: pin K1 = A[0] write longterm -> iouring_private
P0: fork P1
P1: process_vm_read P0 A[0] -> pvr_private
P1: process_vm_write P0 A[0] = 1 -> pvw_private
P1: proc_mem_read P0 A[0] -> mem_read_private
P1: proc_mem_write P0 A[0] = 1 -> mem_write_private
P0: vmsplice A[0] -> pipe p -> splice_private
P0: write B[0] = 0x42
P0: pin K3 = B[0] write longterm -> iouring_shared
P1: process_vm_read P0 B[0] -> pvr_shared
P1: process_vm_write P0 B[1] = 7 -> pvw_shared
P1: proc_mem_read P0 B[0] -> mem_read_shared
P1: proc_mem_write P0 B[1] = 8 -> mem_write_shared
P0: read B[1] -> b1
P0: vmsplice B[0] -> pipe q -> splice_shared
P0: read pipe q -> piped
P0: pincount B[0] -> pins
# O_DIRECT: a short-term FOLL_PIN (the host runner has no interface for it).
P0: pin K2 = A[1] write -> odirect_private
P0: pin K4 = B[1] write -> odirect_shared
dma write K4[0] = 0x99
P0: read B[1] -> odirect_data

expect iouring_private == EFAULT
expect odirect_private == EFAULT
expect pvr_private == EFAULT
expect pvw_private == EFAULT
expect splice_private == EFAULT
expect mem_read_private == EIO       # /proc/PID/mem: mem_rw() turns the failed access into EIO
expect mem_write_private == EIO
expect iouring_shared == OK
expect odirect_shared == OK
expect odirect_data == 0x99
expect pvr_shared == 0x42
expect pvw_shared == OK
expect splice_shared == OK
expect piped == 0x42
expect mem_read_shared == 0x42
expect mem_write_shared == OK
expect b1 == 8
expect pins == 1
