# vmsplice() takes R/O FOLL_GET references, which never unshare
# (gup_must_unshare() is false without FOLL_PIN): the pipe references the
# COW-shared page itself, the PFN does not change and PAE stays clear.
# Safety relies on the write-fault rule: the writer (here the child, which
# still maps the page) sees refcount 3 > 1 and copies (wp_can_reuse_anon_folio()),
# so the pipe keeps the data as it was at vmsplice() time. Contrast
# process_vm/read-unshares-target.mm (a R/O FOLL_PIN does unshare).
# B (5.9-5.18): same outcome (refcount 3, then 2 -> copy).
# A (5.7): the child's write sees mapcount 2 and copies, the parent's write sees
# mapcount 1 and reuses the page the pipe holds: the pipe shows 3 (§3.1).
# A' (5.8): the vmsplice is a forced write fault in the parent: mapcount 2 ->
# the parent copies first and the pipe references the parent's private copy;
# the child's and then the parent's writes both reuse (mapcount 1), so the
# pipe shows the parent's own later write (3) -- no cross-process leak (§3.7).
# No PG_anon_exclusive before 5.19 (probe: none).
scenario vmsplice-ro-get-no-unshare
doc "vmsplice's R/O FOLL_GET does not unshare; the later writer copies"
ref cow-gup.md §5.5 (R/O FOLL_GET), §6 row 8; lib/iov_iter.c iov_iter_get_pages2()

P0: mmap A 1 rw
P0: write A[0] = 1
P0: pfn A[0] -> x
P0: fork P1
P0: vmsplice A[0] -> pipe p
P0: pfn A[0] -> x1
P0: anon_exclusive A[0] -> e
P0: refcount A[0] -> r
P1: write A[0] = 2
P1: pfn A[0] -> cy
P0: write A[0] = 3
P0: pfn A[0] -> x2
P0: read pipe p -> piped

expect x1 == x
expect e == false
expect r == 3
expect cy != x
expect x2 != x                      # the pipe still holds x: refcount 2 -> copy
expect piped == 1
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] e == none
expect[linux-5.8] x1 != x                   # forced COW break at vmsplice time
expect[linux-5.8] r == 2                     # the parent's PTE + the pipe
expect[linux-5.8] cy == x                    # the child now owns x alone: reuse
expect[linux-5.7] x2 == x                    # mapcount 1: reuse
expect[linux-5.7,linux-5.8] piped == 3       # the pipe sees the parent's later write
