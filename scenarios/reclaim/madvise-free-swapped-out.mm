# mm/madvise.c madvise_free_pte_range(): a swap PTE in the range is simply
# forgotten -- "free_swap_and_cache(entry); pte_clear_not_present_full()" --
# the contents are discarded at once and the slot is freed; the page then
# reads 0.
scenario madvise-free-swapped-out
doc "MADV_FREE on a swapped-out page frees its swap slot; the page reads 0"
ref mm/madvise.c madvise_free_pte_range(); mm/swapfile.c free_swap_and_cache()
config swap=4

P0: mmap A 1 rw
P0: write A[0] = 0xaa
P0: madvise A pageout
P0: free_swap -> before
P0: madvise A free
P0: free_swap -> after
P0: swapped A[0] -> s
P0: read A[0] -> a0

expect before == 3
expect after == 4
expect s == false
expect a0 == 0
