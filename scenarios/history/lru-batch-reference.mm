# cow-gup.md §7.6a: a fresh page still sits in the CPU's LRU add batch
# (__folio_batch_add_and_move() holds a reference, PAGEVEC_SIZE 15 in 5.x,
# 31 in 6.x) when something write-protects it -- here uffd-wp, which leaves
# the PTE R/O after the resolve in every era before 6.x. The next write:
# - 5.9-5.17 (refcount, 09854ba94c6a): page_count 2 (mapping + batch) != 1
#   -> COPY, although nobody else uses the page (Nadav Amit's report; David
#   Hildenbrand's summary item 5).
# - 5.18 (d4c470970d45 "mm: optimize do_wp_page() for fresh pages in local
#   LRU pagevecs"): !PageLRU -> lru_add_drain() -> refcount 1 -> REUSE.
# - 6.18: the page is still PG_anon_exclusive -> REUSE (and the uffd-wp
#   resolve already maps it writable: can_change_pte_writable()).
# - <= 5.8 (mapcount): mapcount 1 -> REUSE.
# A batch on another CPU cannot be drained this way ("We cannot easily
# detect+handle references from remote LRU pagevecs"); the model has one CPU.
scenario lru-batch-reference
doc "A reference from the LRU add batch makes the 5.9-5.17 refcount rule copy a page nobody shares"
ref cow-gup.md §7.6a, §4.1, §4.6; d4c470970d45
config lru_batch=15

P0: mmap A 1 rw
P0: write A[0] = 1
P0: refcount A[0] -> r0             # the mapping + the LRU add batch
P0: lru_batch A[0] -> b0
P0: pfn A[0] -> p0
P0: uffd_register A wp
P0: uffd_writeprotect A[0]
P0: uffd_writeprotect A[0] off
P0: write A[0] = 2
P0: pfn A[0] -> p1
P0: lru_batch A[0] -> b1
P0: lru_add_drain
P0: refcount A[0] -> r2

expect r0 == 2
expect b0 == true
expect p1 == p0                     # reused
expect b1 == true                   # no drain: 6.18 never faulted, <= 5.8 reuse by mapcount
expect[linux-5.18] b1 == false      # 5.18: do_wp_page() drained the batch to reuse
expect[linux-5.9,linux-5.11] p1 != p0     # the needless copy (itself fresh in the batch)
expect r2 == 1
