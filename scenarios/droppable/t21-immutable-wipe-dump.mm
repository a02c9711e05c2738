# droppable.md §11 T21, §5. madvise_vma_behavior(): MADV_KEEPONFORK and
# MADV_DODUMP on a VM_DROPPABLE VMA are EINVAL; MADV_WIPEONFORK and
# MADV_DONTDUMP succeed and change nothing (already set). The flags are
# unchanged: a fork still wipes the child.
scenario droppable-immutable-wipe-dump
doc "MADV_KEEPONFORK/MADV_DODUMP are EINVAL on droppable memory; WIPEONFORK/DONTDUMP are no-ops"
ref droppable.md §11 T21, §5; madvise_vma_behavior()

P0: mmap D 1 rw droppable
P0: write D[0] = 0xaa
P0: madvise D keeponfork -> kof
P0: madvise D dodump -> dd
P0: madvise D wipeonfork -> wof
P0: madvise D dontdump -> dnd
P0: fork P1
P1: present D[0] -> cp

expect kof == EINVAL
expect dd == EINVAL
expect wof == OK
expect dnd == OK
expect cp == false                  # still VM_WIPEONFORK
