# mm/page_alloc.c __alloc_pages_slowpath() -> direct reclaim, then
# __alloc_pages_may_oom(). A machine of 8 page frames with 4 swap slots:
# writing 10 private pages makes allocation reclaim -- the oldest pages go
# to swap -- and the writes complete. When memory and swap are both full,
# nothing is reclaimable and the fault fails: OOM (the model reports the
# outcome; no OOM killer picks a victim).
scenario memory-pressure-swap-then-oom
doc "Under memory pressure allocation swaps out the oldest pages; with swap full the fault is OOM"
ref mm/page_alloc.c __alloc_pages_slowpath(); mm/vmscan.c try_to_free_pages()
config memory=8 swap=4

P0: mmap A 10 rw
P0: write A = 1 -> w
P0: swapped A[0] -> s0
P0: present A[9] -> p9
P0: free_swap -> fs
P0: mmap B 4 rw
P0: write B = 2 -> wb

expect w == OK
expect s0 == true                   # the oldest went to swap
expect p9 == true
expect wb == OOM
