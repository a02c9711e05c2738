# droppable.md §11 T19, §5 fork(). VM_WIPEONFORK: dup_mmap() gives the child
# a VMA with the same flags but anon_vma = NULL and skips copy_page_range():
# the child reads 0, its own writes are private to it, the parent is
# untouched.
# refill: the child's first read is filled by the callback (7).
scenario droppable-fork-wipes
doc "fork() wipes a droppable mapping in the child; the parent keeps its data"
ref droppable.md §11 T19, §5; dup_mmap() VM_WIPEONFORK

P0: mmap D 2 rw droppable refill 7
P0: write D = 0xaa
P0: fork P1
P1: present D[0] -> cp
P1: read D[0] -> c0
P1: write D[1] = 0xbb
P1: read D[1] -> c1
P0: read D[0] -> p0
P0: read D[1] -> p1

expect cp == false
expect c0 == 0
expect c1 == 0xbb
expect p0 == 0xaa
expect p1 == 0xaa
expect[droppable=refill] c0 == 7
