# droppable.md §11 T32, §5. vma_can_userfault() refuses VM_DROPPABLE: on 6.18
# UFFDIO_REGISTER (MISSING or WP) on a droppable range fails with EINVAL,
# while a private anonymous mapping with the same implied flags
# (MADV_WIPEONFORK + MADV_DONTDUMP) registers fine. (In 6.11/6.12 the check
# tested the requested mode and could never trigger: registration would
# succeed there; no profile models those kernels.)
scenario droppable-userfaultfd-refused
doc "UFFDIO_REGISTER on a droppable mapping fails with EINVAL; a look-alike private mapping registers"
ref droppable.md §11 T32; vma_can_userfault() (include/linux/userfaultfd_k.h)

P0: mmap D 2 rw droppable
P0: uffd_register D wp -> rd
P0: mmap A 2 rw
P0: madvise A wipeonfork
P0: madvise A dontdump
P0: uffd_register A wp -> ra

expect rd == EINVAL
expect ra == OK
