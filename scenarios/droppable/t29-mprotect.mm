# droppable.md §11 T29, §5 mprotect. mprotect() splits and re-merges the VMA
# and keeps VM_DROPPABLE (and, with VM_NORESERVE, charges nothing). Pages
# survive protection changes and stay droppable under any protection,
# PROT_NONE included: MADV_PAGEOUT drops them, and after going back to RW
# they read 0. (VMA counts and Committed_AS are not model observables.)
scenario droppable-mprotect
doc "Droppable pages survive mprotect and are dropped even while PROT_NONE"
ref droppable.md §11 T29, §5; mprotect_fixup()

P0: mmap D 4 rw droppable refill 7
P0: write D = 0xaa
P0: mprotect D[0:2] r
P0: read D[0] -> ro
P0: mprotect D rw
P0: read D[1] -> rw
P0: mprotect D none
P0: madvise D pageout -> po
P0: mprotect D rw
P0: read D[0] -> d0

expect ro == 0xaa
expect rw == 0xaa
expect po == OK
expect d0 == 0
expect[droppable=sigbus] d0 == SIGBUS
expect[droppable=refill] d0 == 7
expect[droppable=pinned] po == EINVAL
expect[droppable=pinned] d0 == 0xaa
