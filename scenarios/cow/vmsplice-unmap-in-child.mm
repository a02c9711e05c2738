# cow.c "vmsplice() + unmap in child" (with base page), CVE-2020-29374,
# cow-gup.md §8.3 #3, §7.1. The child vmsplice()s the COW-shared page
# (iov_iter_get_pages2() -> get_user_pages_fast(0): R/O FOLL_GET, no unshare
# -- gup_must_unshare() is only for FOLL_PIN), then unmaps it. The parent's
# write: do_wp_page() finds the page not PAE and wp_can_reuse_anon_folio()
# sees refcount 2 (parent PTE + pipe) > 1 -> wp_page_copy(). The pipe keeps
# the old data. 6.18 (policy C): PASS.
# 5.9-5.18 (B): refcount 2 != 1 -> copy: PASS.
# 5.8 (A'): should_force_cow_break() makes the child's vmsplice a write fault:
# mapcount 2 -> the child gets a private copy, which the pipe references; the
# parent's page is then only its own (refcount 1) and is reused: PASS.
# <= 5.7 (A): reuse_swap_page() sees mapcount 1 and reuses the page the pipe
# still references: LEAK (§7.1, §8.6 #3).
scenario vmsplice-unmap-in-child
doc "A child's pipe reference to a COW-shared page must not see the parent's later writes"
ref CVE-2020-29374; tools/testing/selftests/mm/cow.c "vmsplice() + unmap in child" (with base page)
ref cow-gup.md §7.1, §8.3 #3

P0: mmap A 1 rw
P0: write A[0] = 1
P0: pfn A[0] -> p0
P0: fork P1
P1: vmsplice A[0] -> pipe p
P1: munmap A
P0: refcount A[0] -> ref_before     # parent PTE + pipe
P0: mapcount A[0] -> map_before
P0: write A[0] = 0xff
P0: pfn A[0] -> p1
P1: read pipe p -> x

expect ref_before == 2
expect map_before == 1
expect p1 != p0                     # refcount 2 > 1: copy, not reuse
expect x == 1                       # PASS: the pipe holds the old data
expect[linux-5.8] ref_before == 1            # the pipe holds the child's copy
expect[linux-5.7,linux-5.8] p1 == p0        # mapcount 1: reused
expect[linux-5.7] x == 0xff                   # LEAK: the child reads the parent's new data
expect leaks == 0
expect[linux-5.7] leaks == 1
