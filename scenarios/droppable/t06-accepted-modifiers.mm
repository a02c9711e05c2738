# droppable.md §11 T06, §2.2 step 9. MAP_POPULATE, MAP_NORESERVE (redundant)
# and PROT_NONE are accepted and behave as for private anon: MAP_POPULATE
# pre-faults with write faults (the VMA is writable), a PROT_READ mapping is
# populated onto the zero page, PROT_NONE gives SIGSEGV on access.
# (MAP_STACK, MAP_SYNC, MAP_UNINITIALIZED, PROT_EXEC, MAP_FIXED[_NOREPLACE]
# and len 0 are not expressible: the language has no such flags and rejects
# 0-page mappings at parse time.)
# refill: the populate faults are filled by the callback; pinned: the
# mapping is locked, so mmap pre-faults anyway.
scenario droppable-accepted-modifiers
doc "MAP_DROPPABLE with MAP_POPULATE, MAP_NORESERVE, PROT_NONE, PROT_READ is accepted"
ref droppable.md §11 T06, §2.2; do_mmap(), mm_populate()

P0: mmap D 2 rw droppable populate refill 7
P0: present D[1] -> pop
P0: rss_anon -> rss
P0: read D[0] -> d0
P0: mmap N 2 rw droppable noreserve refill 7
P0: write N[0] = 1 -> wn
P0: mmap Z 1 none droppable
P0: read Z[0] -> z
P0: mmap R 1 r droppable populate refill 7
P0: present R[0] -> rp
P0: read R[0] -> r0

expect pop == true
expect rss == 2
expect d0 == 0
expect wn == OK
expect z == SIGSEGV
expect rp == true                   # the zero page
expect r0 == 0
expect[droppable=refill] d0 != 0      # filled by the callback: never a zero
expect[droppable=refill] r0 != 0
