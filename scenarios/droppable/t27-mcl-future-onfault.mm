# droppable.md §11 T27, §2.3. With mlockall(MCL_FUTURE|MCL_ONFAULT) mm->def_flags
# holds VM_LOCKED|VM_LOCKONFAULT. do_mmap() sets *populate = len from the
# local VM_LOCKED alone; for a private mapping populate_vma_page_range()
# then skips the lock-on-fault VMA (Rss 0, `lo lf`), but a droppable VMA lost
# VM_LOCKED_MASK in __mmap_complete() (vma_supports_mlock() is false), so it
# is pre-faulted after all: the quirk observed on 6.18 (Rss 1024 kB).
# pinned: the mapping keeps VM_LOCKED|VM_LOCKONFAULT like the private one.
scenario droppable-mcl-future-onfault
doc "MCL_FUTURE|MCL_ONFAULT: a new droppable mapping is still pre-faulted, a private one is not"
ref droppable.md §11 T27, §2.3; do_mmap(), populate_vma_page_range(), vma_supports_mlock()

P0: mlockall future onfault
P0: mmap D 4 rw droppable
P0: present D[3] -> d_present
P0: mlocked D[0] -> d_locked
P0: mmap A 4 rw
P0: present A[0] -> a_present
P0: locked_vm -> lv

expect d_present == true
expect d_locked == false
expect a_present == false
expect lv == 4                      # only the private mapping is charged
expect[droppable=pinned] d_present == false
expect[droppable=pinned] d_locked == none
expect[droppable=pinned] lv == 8
