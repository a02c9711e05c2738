# MADV_POPULATE_READ faults pages in as if read (the zero page for untouched
# private anon memory: present, but no refcount and no RSS);
# MADV_POPULATE_WRITE faults them in as if written (FOLL_WRITE ->
# do_anonymous_page() write path or do_wp_page()): real exclusive pages, and
# on a COW-shared page it breaks COW just like a write
# (madvise_populate() -> faultin_page_range()).
# Same in every era; no PG_anon_exclusive before 5.19 (probe: none).
scenario populate-read-write
doc "MADV_POPULATE_READ maps the zero page; MADV_POPULATE_WRITE allocates and breaks COW"
ref mm/madvise.c madvise_populate(); mm/gup.c faultin_page_range()

P0: mmap A 2 rw
P0: madvise A populate_read
P0: present A -> p0, p1
P0: refcount A[0] -> zr
P0: rss_anon -> rss0
P0: madvise A populate_write
P0: anon_exclusive A -> e0, e1
P0: rss_anon -> rss1
P0: write A[0] = 1
P0: pfn A[0] -> x
P0: fork P1
P0: madvise A[0] populate_write     # breaks COW in the parent, like a write
P0: pfn A[0] -> x1
P0: anon_exclusive A[0] -> e2
P1: pfn A[0] -> cx
P0: read A[0] -> v

expect p0 == true
expect p1 == true
expect zr == none
expect rss0 == 0
expect e0 == true
expect e1 == true
expect rss1 == 2
expect x1 != x
expect e2 == true
expect cx == x
expect v == 1
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] e0 == none
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] e1 == none
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] e2 == none
