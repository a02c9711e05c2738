# droppable.md §11 T03, §2.2 step 8. do_mmap(), case MAP_DROPPABLE:
# "if (flags & (MAP_LOCKED | MAP_HUGETLB)) return -EINVAL" and
# "if (vm_flags & (VM_GROWSDOWN | VM_GROWSUP)) return -EINVAL" (as root, so
# the MAP_LOCKED rlimit checks before it pass). Before 6.11 the type is
# unknown: EINVAL as well, from the default case.
scenario droppable-forbidden-modifiers
doc "MAP_DROPPABLE with MAP_LOCKED, MAP_GROWSDOWN or MAP_HUGETLB: EINVAL"
ref droppable.md §11 T03, §2.2; do_mmap()
config hugetlb=2

P0: mmap L 1 rw droppable locked -> rl
P0: mmap G 1 rw droppable growsdown -> rg
P0: mmap H 1 rw droppable hugetlb -> rh

expect rl == EINVAL
expect rg == EINVAL
expect rh == EINVAL
