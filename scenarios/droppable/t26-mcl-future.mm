# droppable.md §11 T26, §2.3. After mlockall(MCL_FUTURE) mm->def_flags holds
# VM_LOCKED. do_mmap() sets *populate = len from its local vm_flags, then
# (fixed kernels, d239462787b0, 6.18.y) __mmap_complete() clears
# VM_LOCKED_MASK because vma_supports_mlock() is false for VM_DROPPABLE: no
# lock, locked_vm 0, but the whole range is pre-faulted (write faults, the
# VMA is writable), and MADV_PAGEOUT drops it all.
# Pre-fix kernels (6.11 .. 6.18.y before May 2026) kept VM_LOCKED: mlocked,
# never dropped. No profile models the pre-fix state.
# pinned: locked and charged; PAGEOUT EINVAL.
scenario droppable-mcl-future
doc "mlockall(MCL_FUTURE) pre-faults a new droppable mapping but does not lock it"
ref droppable.md §11 T26, §2.3; do_mmap() populate, __mmap_complete(), d239462787b0

P0: mlockall future
P0: mmap D 4 rw droppable refill 7
P0: rss_anon -> rss
P0: present D[3] -> pr
P0: mlocked D[0] -> locked
P0: locked_vm -> lv
P0: madvise D pageout -> po
P0: read D[0] -> d0

expect rss == 4                     # pre-faulted
expect pr == true
expect locked == false
expect lv == 0
expect d0 == 0
expect[droppable=sigbus] d0 == SIGBUS
expect[droppable=refill] d0 == 7
expect[droppable=pinned] locked == true
expect[droppable=pinned] lv == 4
expect[droppable=pinned] po == EINVAL
expect[droppable=pinned] d0 == 0
