# droppable.md §11 T30, §5 mremap. mremap(MAYMOVE|FIXED): copy_vma() keeps
# the flags and move_page_tables() moves the PTEs: the data moves along and
# the moved pages are still droppable. (Growing a mapping and
# MREMAP_DONTUNMAP are not in the scenario language.)
scenario droppable-mremap
doc "mremap moves droppable data and keeps it droppable"
ref droppable.md §11 T30, §5; copy_vma(), move_page_tables()

P0: mmap D 4 rw droppable refill 7
P0: write D = 0xaa
P0: mremap D M
P0: read M[2] -> moved
P0: lazyfree M[2] -> lf
P0: madvise M pageout -> po
P0: read M[2] -> after
P0: read D[0] -> old

expect moved == 0xaa
expect lf == true
expect after == 0
expect old == SIGSEGV
expect[droppable=sigbus] after == SIGBUS
expect[droppable=refill] after == 7
expect[droppable=pinned] lf == false
expect[droppable=pinned] po == EINVAL
expect[droppable=pinned] after == 0xaa
