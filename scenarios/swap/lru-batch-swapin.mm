# cow-gup.md §7.6a, §7.6b with an explicit LRU add batch (config
# lru_batch=15). A read swap-in allocates X, puts it in the swap cache (+1)
# and, through folio_add_lru(), in this CPU's LRU add batch (+1): refcount 3
# with the mapping. The following write fault:
# - 5.9-5.17 (B): do_wp_page() sees refcount 3 != 1 -> COPY, although
#   nobody else uses X (Nadav Amit's report); X stays behind as an orphaned
#   swap-cache page.
# - 5.18: d4c470970d45 drains the local batch (!PageLRU -> lru_add_drain()),
#   53a05ad9f21d frees the swap cache (try_to_free_swap()) -> refcount 1 ->
#   REUSE.
# - <= 5.8 (A): reuse_swap_page(): mapcount 1 + swapcount 0 -> REUSE.
# - 5.19/6.1: the swap PTE was exclusive -> PG_anon_exclusive at swap-in,
#   the write reuses X (mapped R/O until then).
# - 6.13+: the read swap-in maps X writable at once: no write fault at all.
scenario lru-batch-swapin
doc "A read swap-in leaves LRU-batch and swap-cache references that made 5.9-5.17 copy on the next write"
ref cow-gup.md §7.6a, §7.6b, §4.1, §4.6; d4c470970d45, 53a05ad9f21d
config swap=4 lru_batch=15

P0: mmap A 1 rw
P0: write A[0] = 1
P0: lru_add_drain
P0: madvise A pageout
P0: read A[0] -> x
P0: pfn A[0] -> p0
P0: refcount A[0] -> ref
P0: lru_batch A[0] -> batch
P0: swapcache A[0] -> sc
P0: write A[0] = 2
P0: pfn A[0] -> p1

expect x == 1
expect ref == 3                     # mapping + swap cache + LRU add batch
expect batch == true
expect sc == true
expect p1 == p0                     # reused
expect[linux-5.9,linux-5.11] p1 != p0   # the needless copy
