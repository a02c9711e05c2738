# cow.c "vmsplice() + unmap in parent after fork()" (with base page),
# cow-gup.md §8.3 #6. fork; the parent vmsplice()s the shared page (R/O
# FOLL_GET via get_user_pages_fast(), no unshare) and unmaps; the child's
# write: do_wp_page(), not PAE, wp_can_reuse_anon_folio() refcount 2 -> copy.
# 6.18 (policy C): PASS.
# 5.9-5.18 (B): refcount 2 -> copy: PASS.
# 5.8 (A'): the parent's vmsplice is a forced write fault -> the parent gets a
# private copy (which the pipe references); the child's page is its own and
# is reused: PASS. <= 5.7 (A): the child's write sees mapcount 1 and reuses
# the page the parent's pipe holds: LEAK from child into parent (§8.6 #6).
scenario vmsplice-unmap-in-parent-after-fork
doc "The parent's pipe reference must not see the child's writes after the parent unmaps"
ref tools/testing/selftests/mm/cow.c "vmsplice() + unmap in parent after fork()"
ref cow-gup.md §7.1, §8.3 #6

P0: mmap A 1 rw
P0: write A[0] = 1
P0: pfn A[0] -> p0
P0: fork P1
P0: vmsplice A[0] -> pipe p
P0: munmap A
P1: refcount A[0] -> ref_before     # child PTE + pipe
P1: write A[0] = 0xff
P1: pfn A[0] -> c1
P1: exit
P0: read pipe p -> x

expect ref_before == 2
expect c1 != p0
expect x == 1                       # PASS
expect[linux-5.8] ref_before == 1            # the pipe holds the parent's copy
expect[linux-5.7,linux-5.8] c1 == p0        # mapcount 1: reused
expect[linux-5.7] x == 0xff                   # LEAK
expect leaks == 0
expect[linux-5.7] leaks == 1
