# cow-gup.md §7.6b. X is swapped out; a read fault swaps it in (X in the
# swap cache, +1 reference); then P writes.
# - <= 5.8 (A): the write fault's reuse_swap_page() sees mapcount 1 +
#   swapcount 0, deletes X from the swap cache and reuses it.
# - 5.9-5.17 (B): refcount 2 (mapping + swap cache) != 1 -> COPY; X stays as
#   an orphaned swap-cache page holding the slot (free_swap does not come
#   back).
# - 5.18: try_to_free_swap() in do_wp_page() -> refcount 1 -> REUSE.
# - 5.19/6.1: the exclusive bit of the swap PTE made X PG_anon_exclusive at
#   swap-in (mapped R/O); the write reuses it. The swap cache keeps the slot
#   until reclaim (only a *write* swap-in frees it: should_try_to_free_swap()).
# - 6.13+: do_swap_page() maps an exclusive page writable even for a read
#   fault, so the write does not fault (cow-gup.md §5.6).
scenario read-swapin-then-write
doc "Read swap-in then write: 5.9-5.17 copy and orphan the swap-cache page, other eras reuse"
ref cow-gup.md §7.6b, §3.3, §4.1, §4.6, §5.6; 53a05ad9f21d, c145e0b47c77
config swap=4

P0: mmap A 1 rw
P0: write A[0] = 1
P0: madvise A pageout
P0: read A[0] -> x
P0: pfn A[0] -> p0
P0: refcount A[0] -> ref
P0: anon_exclusive A[0] -> pae
P0: write A[0] = 2
P0: pfn A[0] -> p1
P0: swapcache A[0] -> sc_after
P0: free_swap -> fs

expect x == 1
expect ref == 2                     # mapping + swap cache
expect pae == true
expect p1 == p0
expect sc_after == true             # the slot stays with the swap cache
expect fs == 3
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] pae == none
expect[linux-5.9,linux-5.11] p1 != p0     # COPY
expect[linux-5.9,linux-5.11] sc_after == false   # the new copy is not in the swap cache ...
expect[linux-5.9,linux-5.11] fs == 3            # ... but the orphaned X still holds the slot
expect[linux-5.7,linux-5.8,linux-5.18] sc_after == false
expect[linux-5.7,linux-5.8,linux-5.18] fs == 4
