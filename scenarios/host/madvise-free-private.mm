# Written from 6.18 host runs, no swap device: MADV_FREE makes private anon
# pages lazyfree (clean PTE, PG_swapbacked cleared when the lru_lazyfree batch
# drains -- MADV_PAGEOUT's lru_add_drain() drains it on this CPU). A clean
# lazyfree page is discarded by MADV_PAGEOUT without swap (reads back 0, not
# present, not swapped); a page written again after MADV_FREE is dirty, so
# try_to_unmap_one() sets PG_swapbacked again and keeps it (no swap to write
# it to). A page never touched by MADV_FREE is kept as well.
scenario host-madvise-free-private
doc "MADV_FREE + MADV_PAGEOUT without swap: the clean page is dropped, the re-dirtied one and the plain one kept"
ref droppable.md §9 (MADV_FREE row), §4.2; mm/rmap.c try_to_unmap_one() "MADV_FREE page check"

P0: mmap A 3 rw
P0: write A = 0xaa
P0: madvise A[0:2] free -> fr
P0: write A[1] = 0xbb
P0: madvise A pageout -> po
P0: present A[0] -> pr0
P0: swapped A[0] -> sw0
P0: present A[1] -> pr1
P0: read A[0] -> a0
P0: read A[1] -> a1
P0: read A[2] -> a2

expect fr == OK
expect po == OK
expect pr0 == false
expect sw0 == false
expect pr1 == true
expect a0 == 0
expect a1 == 0xbb
expect a2 == 0xaa
