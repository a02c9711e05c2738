# cow.c "vmsplice() before fork(), unmap in parent after fork()" (with base
# page), cow-gup.md §8.3 #5, §7.1 "mirror-image". The parent vmsplice()s its
# exclusive page (R/O FOLL_GET: refcount 2, still PAE), forks (the FOLL_GET
# reference is not a pin: folio_try_dup_anon_rmap_pte() succeeds, page shared,
# PAE cleared), and unmaps. The child's write: not PAE, refcount 2 (child PTE
# + pipe) -> wp_page_copy(). Policy A/A' reused by mapcount and leaked.
# 6.18 (policy C): PASS -- no "Leak from child into parent".
# 5.9-5.18 (B): the child's write sees refcount 2 (child PTE + pipe) -> copy: PASS.
# <= 5.8 (A and A'): the pipe reference was taken before fork on a page that
# was still exclusive, so A' had no COW to break; after the parent's munmap the
# child's write sees mapcount 1 and reuse_swap_page() reuses: LEAK (§7.1
# mirror images, §8.6 #5). No PG_anon_exclusive before 5.19 (probe: none).
scenario vmsplice-before-fork-unmap-in-parent-after-fork
doc "A pipe reference taken before fork() must not see the child's later writes"
ref tools/testing/selftests/mm/cow.c "vmsplice() before fork(), unmap in parent after fork()"
ref cow-gup.md §7.1, §8.3 #5

P0: mmap A 1 rw
P0: write A[0] = 1
P0: vmsplice A[0] -> pipe p
P0: pfn A[0] -> p0
P0: anon_exclusive A[0] -> pae0     # a FOLL_GET reference does not clear PAE
P0: fork P1
P1: anon_exclusive A[0] -> pae1     # fork shared it anyway (not maybe-pinned)
P1: pfn A[0] -> c0
P0: munmap A
P1: write A[0] = 0xff
P1: pfn A[0] -> c1
P1: exit
P0: read pipe p -> x

expect pae0 == true
expect pae1 == false
expect c0 == p0
expect c1 != p0                     # the child copied
expect x == 1                       # PASS
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] pae0 == none
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] pae1 == none
expect[linux-5.7,linux-5.8] c1 == p0          # mapcount 1: reused
expect[linux-5.7,linux-5.8] x == 0xff         # LEAK from child into parent
expect leaks == 0
expect[linux-5.7,linux-5.8] leaks == 1
