# CVE-2020-29374 (Jann Horn, Project Zero 2045): a child vmsplice()s a page it
# shares with its parent through COW, unmaps it, and then reads the pipe. The
# parent's later write must not show up in the pipe. 5.19+ (anon-exclusive):
# the parent's page is no longer exclusive after fork and the pipe's extra
# reference makes wp_can_reuse_anon_folio() fail, so the parent copies.
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
expect p1 != p0
expect r == SIGSEGV
