# Written from host observations (Linux 6.18). A move inside one VMA, the
# same in every era; moves of several VMAs and of holes (knob mremap-move,
# 6.17+ remap_move()) are in mremap-two-vmas.mm, mremap-holes.mm and
# mremap-uffd-vmas.mm.
scenario mremap-moves-pages
doc "mremap(MREMAP_MAYMOVE|MREMAP_FIXED) moves the page-table entries: same PFNs, same data, the old range is gone"
ref mm/mremap.c move_page_tables()
P0: mmap A 3 rw
P0: write A = 7
P0: pfn A -> a0, a1, a2
P0: mremap A[1:3] B
P0: pfn B -> b0, b1
P0: read B -> d0, d1
P0: present A[1] -> gone
P0: read A[2] -> old
P0: exclusive B[0] -> ex
expect b0 == a1
expect b1 == a2
expect d0 == 7
expect d1 == 7
expect gone == false
expect old == SIGSEGV
expect ex == true
