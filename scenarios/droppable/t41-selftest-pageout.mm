# droppable.md §11 T41, §10: the June 2026 rewrite of the selftest (David
# Hildenbrand): fill a droppable range with 'A', MADV_PAGEOUT, and check that
# no page still holds 'A' (memchr == NULL). On 6.18 the first MADV_PAGEOUT
# drops every page (no speculative references in the model).
scenario droppable-selftest-pageout
doc "One MADV_PAGEOUT drops every page of a droppable range (2026 selftest)"
ref droppable.md §11 T41, §10; tools/testing/selftests/mm/droppable.c (2026)

P0: mmap D 8 rw droppable refill 7
P0: write D = 0x41
P0: madvise D pageout -> po
P0: present D -> p0, p1, p2, p3, p4, p5, p6, p7

expect p0 == false
expect p1 == false
expect p2 == false
expect p3 == false
expect p4 == false
expect p5 == false
expect p6 == false
expect p7 == false
expect[droppable=pinned] po == EINVAL
expect[droppable=pinned] p0 == true
expect[droppable=pinned] p1 == true
expect[droppable=pinned] p2 == true
expect[droppable=pinned] p3 == true
expect[droppable=pinned] p4 == true
expect[droppable=pinned] p5 == true
expect[droppable=pinned] p6 == true
expect[droppable=pinned] p7 == true
