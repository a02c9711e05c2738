# droppable.md §11 T08, §3.1. A read of a never-written droppable page is
# do_anonymous_page()'s read path: the shared zero page, mapped R/O
# (pte_mkspecial), no folio, not in Rss: present, not exclusive, reads 0.
# sigbus: a page never touched reads zero too (only a dropped one raises
# SIGBUS). refill: the ->fault callback fills a real page (7), exclusive and
# counted. pinned: the mapping is VM_LOCKED, so mmap populated it with write
# faults: real zeroed pages.
scenario droppable-read-before-write
doc "Reading a never-written droppable page maps the zero page"
ref droppable.md §11 T08, §3.1; do_anonymous_page()

P0: mmap D 2 rw droppable refill 7
P0: read D[0] -> d0
P0: read D[1] -> d1
P0: present D[0] -> pr
P0: exclusive D[0] -> ex
P0: pfn D[0] -> p0
P0: pfn D[1] -> p1
P0: rss_anon -> rss

expect d0 == 0
expect pr == true
expect ex == false                  # the zero page is mapped shared
expect p0 == p1                     # both map the zero page
expect rss == 0
expect[droppable=refill] d0 == 7
expect[droppable=refill] ex == true
expect[droppable=refill] p0 != p1
expect[droppable=refill] rss == 2
expect[droppable=pinned] ex == true
expect[droppable=pinned] p0 != p1
expect[droppable=pinned] rss == 2
