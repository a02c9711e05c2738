# madvise() error returns (mm/madvise.c, 6.18):
# * MADV_WIPEONFORK on a shared mapping: "if (vma->vm_file || vma->vm_flags &
#   VM_SHARED) return -EINVAL" (madvise_vma_behavior()).
# * MADV_DONTNEED on an mlocked VMA: madvise_dontneed_free_valid_vma() rejects
#   VM_LOCKED -> -EINVAL.
# * MADV_POPULATE_WRITE on a PROT_READ mapping and MADV_POPULATE_READ /
#   _WRITE on PROT_NONE: madvise_populate() -> faultin_page_range() ->
#   check_vma_flags() fails -> -EINVAL ("Incompatible mappings / permissions").
# * Any advice over an unmapped hole: -ENOMEM (madvise_walk_vmas(): "If the
#   specified range is not entirely mapped, return -ENOMEM"; for populate the
#   missing VMA -> -ENOMEM).
scenario madvise-errnos
doc "madvise errnos: EINVAL for wipeonfork/shared, dontneed/mlocked, populate perms; ENOMEM at a hole"
ref mm/madvise.c madvise_vma_behavior(), madvise_dontneed_free_valid_vma(), madvise_populate()

P0: mmap S 1 rw shared
P0: madvise S wipeonfork -> e_wipe_shared
P0: mmap L 1 rw locked
P0: madvise L dontneed -> e_dontneed_locked
P0: read L[0] -> l0                 # still populated
P0: mmap R 1 r
P0: madvise R populate_write -> e_popw_ro
P0: madvise R populate_read -> ok_popr_ro
P0: mmap N 1 none
P0: madvise N populate_read -> e_popr_none
P0: madvise N populate_write -> e_popw_none
P0: mmap H 3 rw
P0: munmap H[1]
P0: madvise H populate_write -> e_pop_hole
P0: madvise H dontneed -> e_dontneed_hole
P0: madvise H[0] dontneed -> ok_dontneed

expect e_wipe_shared == EINVAL
expect e_dontneed_locked == EINVAL
expect l0 == 0
expect e_popw_ro == EINVAL
expect ok_popr_ro == OK
expect e_popr_none == EINVAL
expect e_popw_none == EINVAL
expect e_pop_hole == ENOMEM
expect e_dontneed_hole == ENOMEM
expect ok_dontneed == OK
