# With only two page frames, the third page-allocating write fault cannot
# allocate (alloc_anon_folio() / do_anonymous_page() -> VM_FAULT_OOM). The
# model binds OOM to the failing write; the first two pages are intact.
# Reads still work: the zero page needs no allocation.
scenario oom-third-page
doc "config memory=2: the third write fault runs out of memory"
ref mm/memory.c do_anonymous_page() VM_FAULT_OOM
config memory=2

P0: mmap A 3 rw
P0: write A[0] = 1
P0: write A[1] = 2
P0: write A[2] = 3 -> r
P0: read A -> x0, x1, x2
P0: present A[2] -> p2
P0: rss_anon -> rss

expect r == OOM
expect x0 == 1
expect x1 == 2
expect x2 == 0
expect rss == 2
