# Written from a 6.18 host run (CVE-2020-29374 shape): the child vmsplices the
# COW-shared page into a pipe (R/O FOLL_GET, no unshare), unmaps it, and the
# parent writes. Since 5.9 the parent's write sees the pipe's extra reference
# (refcount-based reuse; 5.19+ PG_anon_exclusive is clear) and copies, so the
# pipe still holds the old contents: no leak.
scenario host-vmsplice-munmap-parent-write
doc "vmsplice in the child, munmap, parent writes: the pipe keeps 0xaa"
ref CVE-2020-29374; cow-gup.md §9.3

P0: mmap A 1 rw
P0: write A[0] = 0xaa
P0: pfn A[0] -> p0
P0: fork P1
P1: vmsplice A[0] -> pipe p
P1: munmap A
P0: write A[0] = 0xbb
P0: pfn A[0] -> p1
P1: read pipe p -> x
P1: read pipe p -> empty
P1: read A[0] -> gone

expect x == 0xaa
expect p1 != p0
expect empty == EAGAIN
expect gone == SIGSEGV
# 5.7: mapcount-based reuse lets the parent write into the spliced page
# (CVE-2020-29374); 5.8: the child's vmsplice broke COW (forced write fault),
# so the parent's page is exclusive and reused.
expect[linux-5.7] x == 0xbb
expect[linux-5.7] p1 == p0
expect[linux-5.7] leaks == 1
expect[linux-5.8] p1 == p0
