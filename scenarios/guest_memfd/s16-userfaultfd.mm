# S16: userfaultfd cannot register a guest_memfd VMA (vma_can_userfault():
# neither anonymous, shmem nor hugetlb): EINVAL for both guest_memfd kinds.
# (The MISSING and MINOR modes are not in the scenario language; WP stands
# for all three. The uffd-minor series for guest_memfd is not modelled.)
scenario s16-userfaultfd
doc "UFFDIO_REGISTER (WP) on a guest_memfd VMA: EINVAL"
ref fs/userfaultfd.c userfaultfd_register(), vma_can_userfault(); spec guest-memfd.md §5 S16 [V]

P0: vm V
P0: gmem M = create V size 2p mmap
P0: gmem S = create V size 2p mmap init_shared
P0: mmap A 2 rw shared gmem M
P0: mmap B 2 rw shared gmem S
P0: uffd_register A wp -> reg_private
P0: uffd_register B wp -> reg_shared

expect reg_private == EINVAL
expect reg_shared == EINVAL
