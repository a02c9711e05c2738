# vmsplice() takes R/O FOLL_GET references, which never unshare
# (gup_must_unshare() is false without FOLL_PIN): the pipe references the
# COW-shared page itself, the PFN does not change and PAE stays clear.
# Safety relies on the write-fault rule: the writer (here the child, which
# still maps the page) sees refcount 3 > 1 and copies (wp_can_reuse_anon_folio()),
# so the pipe keeps the data as it was at vmsplice() time. Contrast
# process_vm/read-unshares-target.mm (a R/O FOLL_PIN does unshare).
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
