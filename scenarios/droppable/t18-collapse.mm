# droppable.md §11 T18, §5 MADV_COLLAPSE. Small pages (MADV_NOHUGEPAGE),
# then MADV_HUGEPAGE + MADV_COLLAPSE: collapse_huge_page() copies them into a
# new THP through folio_add_new_anon_rmap(), so the THP is still droppable
# (!swapbacked), and MADV_PAGEOUT drops all of it.
# pinned: the VMA is VM_LOCKED; collapse works, PAGEOUT is EINVAL.
scenario droppable-collapse
doc "A THP made by MADV_COLLAPSE in a droppable mapping is still droppable"
ref droppable.md §11 T18; collapse_huge_page(), folio_add_new_anon_rmap()
config thp_order=2

P0: mmap D 4 rw droppable refill 7
P0: madvise D nohugepage
P0: write D = 0xaa
P0: madvise D hugepage
P0: madvise D collapse -> c
P0: thp D[0] -> thp
P0: lazyfree D[0] -> lf
P0: madvise D pageout -> po
P0: read D[2] -> d2

expect c == OK
expect thp == true
expect lf == true
expect d2 == 0
expect[droppable=sigbus] d2 == SIGBUS
expect[droppable=refill] d2 == 7
expect[droppable=pinned] lf == false
expect[droppable=pinned] po == EINVAL
expect[droppable=pinned] d2 == 0xaa
