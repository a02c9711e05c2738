# CVE-2020-29374 (Jann Horn, Project Zero 2045): a child vmsplice()s a page it
# shares with its parent through COW, unmaps it, and then reads the pipe. The
# parent's later write must not show up in the pipe. 5.19+ (anon-exclusive):
# the parent's page is no longer exclusive after fork and the pipe's extra
# reference makes wp_can_reuse_anon_folio() fail, so the parent copies.
# <= 5.7 (mapcount): reuse_swap_page() sees mapcount 1 and reuses: LEAK.
# 5.8 (forced COW break in GUP): the child's vmsplice write-faults first and
# takes a private copy, so the parent's later reuse is harmless.
# 5.9+ (refcount): the pipe's reference makes refcount 2: copy.
scenario vmsplice-leak
doc "vmsplice() after fork() must not show the child the parent's later writes"
ref CVE-2020-29374
ref cow-gup.md §7.1; tools/testing/selftests/mm/cow.c "vmsplice() + unmap in child"
config memory=64

P0: mmap A 2 rw
P0: write A[0] = 0xaa
P0: pfn A[0] -> p0
P0: fork P1
P1: vmsplice A[0] -> pipe p
P1: munmap A
P0: write A[0] = 0xbb
P0: pfn A[0] -> p1
P1: read pipe p -> x
P0: mprotect A[1] r
P0: write A[1] = 1 -> r

expect x == 0xaa
expect[linux-5.7] x == 0xbb                 # the leak: the parent reused the page the pipe still references
expect p1 != p0
expect[linux-5.7,linux-5.8] p1 == p0        # mapcount 1: reuse (5.8: the child's vmsplice already broke COW)
expect r == SIGSEGV
