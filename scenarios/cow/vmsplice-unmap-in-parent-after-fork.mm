# cow.c "vmsplice() + unmap in parent after fork()" (with base page),
# cow-gup.md §8.3 #6. fork; the parent vmsplice()s the shared page (R/O
# FOLL_GET via get_user_pages_fast(), no unshare) and unmaps; the child's
# write: do_wp_page(), not PAE, wp_can_reuse_anon_folio() refcount 2 -> copy.
# 6.18 (policy C): PASS.
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
