# S10: a guest_memfd with MMAP but without INIT_SHARED can be mapped, but
# every user fault is SIGBUS (BUS_ADRERR): kvm_gmem_fault_user_mapping()
# refuses indices that are not shared, even after fallocate. Everything that
# faults through GUP turns that into an errno: MADV_POPULATE_* EFAULT, mlock
# ENOMEM (__mlock_posix_error_return()); MAP_POPULATE ignores the errors.
scenario s10-private-by-default
doc "MMAP without INIT_SHARED: reads and writes SIGBUS, populate EFAULT, mlock ENOMEM, MAP_POPULATE succeeds"
ref virt/kvm/guest_memfd.c kvm_gmem_fault_user_mapping(); mm/mlock.c __mlock_posix_error_return(); spec §1.8 [V]

P0: vm V
P0: gmem G = create V size 4p mmap
P0: mmap A 4 rw shared gmem G
P0: read A[0] -> r0
P0: write A[1] = 0x11 -> w1
P0: fallocate G[0:2]
P0: read A[0] -> r0_after_alloc
P0: madvise A populate_read -> pop_r
P0: madvise A populate_write -> pop_w
P0: mlock A[0] -> lock
P0: mmap B 4 rw shared populate gmem G -> populate
P0: rss_file -> rss
P0: gmem_private G[0] -> priv0

expect r0 == SIGBUS
expect w1 == SIGBUS
expect r0_after_alloc == SIGBUS
expect pop_r == EFAULT
expect pop_w == EFAULT
expect lock == ENOMEM
expect populate == OK
expect rss == 0
expect priv0 == true
