# MADV_DONTNEED zaps the PTEs (zap_page_range_single() -> zap_pte_range()):
# the page is unmapped and freed (mapcount, refcount and MM_ANONPAGES drop),
# the next read maps the zero page and reads 0. A page still referenced
# elsewhere (here a pipe, vmsplice = R/O FOLL_GET) survives the zap and keeps
# its contents for the other holder.
scenario dontneed-zaps
doc "MADV_DONTNEED drops the pages: reads see zeros, other holders keep the old page"
ref mm/madvise.c madvise_dontneed_single_vma(); mm/memory.c zap_pte_range()

P0: mmap A 2 rw
P0: write A = 0x11
P0: pfn A -> a0, a1
P0: vmsplice A[1] -> pipe p
P0: madvise A dontneed -> r
P0: present A -> pr0, pr1
P0: rss_anon -> rss
P0: read A -> v0, v1
P0: pfn A[1] -> z1                  # the zero page, while the pipe still holds a1
P0: read pipe p -> piped

expect r == OK
expect pr0 == false
expect pr1 == false
expect rss == 0
expect v0 == 0
expect v1 == 0
expect piped == 0x11
expect z1 != a1                     # (a PFN freed later may come back at once on a real kernel)
