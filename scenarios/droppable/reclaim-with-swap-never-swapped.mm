# droppable.md §4.1, §4.2 step 1, §11 T14 with global reclaim instead of
# MADV_PAGEOUT: with a swap device the kernel's reclaim swaps the private
# anon pages out (inactive anon list, add_to_swap()) and discards the
# droppable ones (inactive file list, !swapbacked: no add_to_swap()). The
# droppable-never-swapped check runs after every step.
# pinned: the droppable pages are mlocked (unevictable) and stay; the
# private ones are swapped as usual.
scenario droppable-reclaim-with-swap-never-swapped
doc "Global reclaim with swap: private anon is swapped, droppable memory is dropped, never swapped"
ref droppable.md §4.1, §4.2, §11 T14; shrink_folio_list() add_to_swap()
config swap=8

P0: mmap D 2 rw droppable refill 7
P0: mmap A 2 rw
P0: write D = 0xaa
P0: write A = 0xbb
reclaim -> freed
P0: swapped A[0] -> a_swapped
P0: swapped D[0] -> d_swapped
P0: present D[0] -> d_present
P0: rss_swap -> rs
P0: read A[1] -> a1
P0: read D[1] -> d1

expect freed == 4
expect a_swapped == true
expect d_swapped == false
expect d_present == false
expect rs == 2
expect a1 == 0xbb
expect d1 == 0
expect swapped_droppable == 0
expect[droppable=sigbus] d1 == SIGBUS
expect[droppable=refill] d1 == 7
expect[droppable=pinned] freed == 2
expect[droppable=pinned] d_present == true
expect[droppable=pinned] d1 == 0xaa
