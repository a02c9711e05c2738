# mm/vmscan.c get_scan_count(): "If we have no swap space, do not bother
# scanning anon folios". Without a swap device (the default, like this
# machine) private anon memory cannot be reclaimed at all: `reclaim` frees
# nothing, MADV_PAGEOUT keeps the pages (add_to_swap() fails ->
# activate_locked).
scenario no-swap-anon-not-reclaimed
doc "Without swap, anonymous memory is never reclaimed"
ref mm/vmscan.c get_scan_count(), shrink_folio_list() add_to_swap()

P0: mmap A 2 rw
P0: write A = 1
reclaim -> freed
P0: madvise A pageout -> po
P0: swapped A[0] -> s0
P0: present A[0] -> p0
P0: free_swap -> fs

expect freed == 0
expect po == OK
expect s0 == false
expect p0 == true
expect fs == 0
