# droppable.md §11 T24, §5 mlock. mlock() of a droppable range returns 0 but
# mlock_fixup() skips the VMA ("!vma_supports_mlock()": "don't set VM_LOCKED
# or VM_LOCKONFAULT and don't count"): no PG_mlocked, locked_vm 0, and the
# pages are still dropped by MADV_PAGEOUT. munlock() returns 0 as well.
# (mlock2(MLOCK_ONFAULT) is not in the scenario language.)
# pinned: the mapping is already VM_LOCKED (charged at mmap), the pages are
# mlocked and MADV_PAGEOUT is EINVAL.
scenario droppable-mlock-noop
doc "mlock() of droppable memory succeeds and does nothing: the pages are still dropped"
ref droppable.md §11 T24, §5; mlock_fixup(), vma_supports_mlock() (d239462787b0)

P0: mmap D 2 rw droppable refill 7
P0: write D = 0xaa
P0: mlock D -> ml
P0: mlocked D[0] -> locked
P0: unevictable D[0] -> unev
P0: locked_vm -> lv
P0: madvise D pageout -> po
P0: read D[0] -> d0
P0: munlock D -> mu

expect ml == OK
expect locked == false
expect unev == false
expect lv == 0
expect po == OK
expect d0 == 0
expect mu == OK
expect[droppable=sigbus] d0 == SIGBUS
expect[droppable=refill] d0 == 7
expect[droppable=pinned] locked == true
expect[droppable=pinned] unev == true
expect[droppable=pinned] lv == 2
expect[droppable=pinned] po == EINVAL
expect[droppable=pinned] d0 == 0xaa
