# mlock() of a PROT_NONE mapping: VM_LOCKED is set, but __mm_populate() ->
# populate_vma_page_range() -> __get_user_pages() -> check_vma_flags() fails
# with -EFAULT (no FOLL_FORCE for inaccessible VMAs), which
# __mlock_posix_error_return() turns into ENOMEM. Nothing is mapped. mlock()
# over a hole is ENOMEM too (apply_vma_lock_flags()).
scenario mlock-prot-none-enomem
doc "mlock() of PROT_NONE memory fails with ENOMEM and maps nothing"
ref mm/mlock.c do_mlock(), __mlock_posix_error_return(); mm/gup.c check_vma_flags()

P0: mmap N 1 none
P0: mlock N -> e
P0: present N[0] -> pr
P0: mmap H 3 rw
P0: munmap H[1]
P0: mlock H -> e_hole

expect e == ENOMEM
expect pr == false
expect e_hole == ENOMEM
