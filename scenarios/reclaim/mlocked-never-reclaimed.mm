# mm/mlock.c, mm/vmscan.c: mlock()ed folios are PG_mlocked and on the
# unevictable list, which reclaim never scans; MADV_PAGEOUT on a VM_LOCKED
# VMA is EINVAL (can_madv_lru_vma()); try_to_unmap_one() aborts on a
# VM_LOCKED mapping anyway. The unlocked mapping next to it is swapped.
scenario mlocked-never-reclaimed
doc "mlocked pages are unevictable: reclaim never swaps them"
ref mm/mlock.c mlock_folio(); mm/vmscan.c; mm/madvise.c can_madv_lru_vma()
config swap=4

P0: mmap L 2 rw
P0: mmap A 2 rw
P0: write L = 1
P0: write A = 2
P0: mlock L
P0: unevictable L[0] -> unev
P0: madvise L pageout -> po
reclaim -> freed
P0: swapped L[0] -> sl
P0: swapped A[0] -> sa
P0: read L[1] -> l1

expect unev == true
expect po == EINVAL
expect freed == 2                   # only A's pages
expect sl == false
expect sa == true
expect l1 == 1
