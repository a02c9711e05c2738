# droppable.md §11 T14, §4.2 step 1. With a swap device, shrink_folio_list()
# only calls add_to_swap() for "folio_test_anon(folio) &&
# folio_test_swapbacked(folio)": the private folios go to swap (Swap +N,
# data intact on swap-in), the droppable ones are discarded (Swap 0, zeros).
# The droppable-never-swapped check watches every step.
# pinned: the locked VMA refuses MADV_PAGEOUT; its pages stay resident.
scenario droppable-never-swapped
doc "With swap configured, private anon is swapped out and droppable memory is dropped, never swapped"
ref droppable.md §11 T14, §4.2; shrink_folio_list() add_to_swap()
config swap=8

P0: mmap D 4 rw droppable refill 7
P0: mmap A 4 rw
P0: write D = 0xaa
P0: write A = 0xbb
P0: madvise D pageout -> pd
P0: madvise A pageout
P0: swapped A[0] -> a_swapped
P0: swapped D[0] -> d_swapped
P0: rss_swap -> rs
P0: free_swap -> fs
P0: read A[0] -> a0
P0: read D[0] -> d0

expect a_swapped == true
expect d_swapped == false
expect rs == 4                      # only the private pages
expect fs == 4
expect a0 == 0xbb                   # swapped in intact
expect d0 == 0
expect[droppable=sigbus] d0 == SIGBUS
expect[droppable=refill] d0 == 7
expect[droppable=pinned] pd == EINVAL
expect[droppable=pinned] d0 == 0xaa
expect swapped_droppable == 0
