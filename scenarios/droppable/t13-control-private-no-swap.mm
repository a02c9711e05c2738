# droppable.md §11 T13 (control). Private anon without a swap device:
# MADV_PAGEOUT finds no swap slot (add_to_swap() fails) and the folio is
# activated and kept: data intact, still present, not swapped. No droppable
# mapping involved, so this holds in every profile.
scenario droppable-control-private-no-swap
doc "Control: private anon survives MADV_PAGEOUT when there is no swap"
ref droppable.md §11 T13; shrink_folio_list() add_to_swap() failure -> activate_locked

P0: mmap A 4 rw
P0: write A = 0xaa
P0: madvise A pageout -> po
P0: present A[0] -> pr
P0: swapped A[0] -> sw
P0: read A[3] -> a3

expect po == OK
expect pr == true
expect sw == false
expect a3 == 0xaa
