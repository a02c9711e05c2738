# do_anonymous_page(): a read fault on a never-written private anon page maps
# the shared zero page R/O (pte_mkspecial; vm_normal_page() is NULL: no
# refcount, no mapcount, no rss). The model reports it as pfn:0; on a real
# 6.18 host pagemap shows the zero page's real PFN with present=1,
# exclusive=0, file=0 (not a normal page). Every read-faulted page maps the
# same zero page. A later write fault goes to do_wp_page(): vm_normal_page()
# is NULL -> wp_page_copy() allocates a new zeroed page (PAE, exclusive).
# Same in every era; no PG_anon_exclusive before 5.19 (probe: none).
scenario zero-page-read-then-write
doc "Read fault maps the shared zero page; the write fault then copies from it"
ref cow-gup.md §2.1, §9.1; mm/memory.c do_anonymous_page(), do_wp_page(), wp_page_copy()

P0: mmap A 2 rw
P0: read A -> v0, v1
P0: pfn A -> z0, z1
P0: present A[0] -> pr
P0: exclusive A[0] -> ex
P0: file A[0] -> fi
P0: refcount A[0] -> zr
P0: mapcount A[0] -> zm
P0: rss_anon -> rss0
P0: write A[0] = 5
P0: pfn A[0] -> n0
P0: exclusive A[0] -> ex1
P0: anon_exclusive A[0] -> pae1
P0: refcount A[0] -> r1
P0: rss_anon -> rss1
P0: read A -> w0, w1

expect v0 == 0
expect v1 == 0
expect z0 == z1                     # one shared zero page
expect pr == true
expect ex == false
expect fi == false
expect zr == none
expect zm == none
expect rss0 == 0
expect n0 != z0                     # the write fault allocated a page
expect ex1 == true
expect pae1 == true
expect r1 == 1
expect rss1 == 1
expect w0 == 5
expect w1 == 0
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] pae1 == none
