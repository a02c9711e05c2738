# CVE-2020-29374 (Jann Horn, Project Zero issue 2045, 27 May 2020): a child
# vmsplice()s a page it shares with its parent through COW, unmaps it, and then
# reads the pipe. The parent's later write must not show up in the pipe. NVD:
# "before 5.7.3 ... get_user_pages ... when used for a copy-on-write page, does
# not properly consider the semantics of read operations"; David Hildenbrand
# calls it "unintended read access" <3ae33b08-d9ef-f846-56fb-645e3b9b4c66@redhat.com>.
# Fixes, per era (cow-gup.md §7.1):
# <= 5.7 (mapcount): vmsplice's R/O FOLL_GET takes a reference on the shared
#   page (ref 3); after the child's munmap the parent's write sees mapcount 1
#   and reuse_swap_page() reuses the page the pipe references: LEAK.
# 5.8 (17839856fd58 "gup: document and work around 'COW can break either way'
#   issue", Linus, also 5.7.3+): should_force_cow_break() makes the child's
#   vmsplice a write fault: mapcount 2 -> the child gets a private copy, which
#   the pipe references; the parent's page is its own (ref 1) and is reused
#   harmlessly.
# 5.9+ (refcount, 09854ba94c6a; a308c71bf1e6 removed the forced COW): the
#   pipe's reference makes refcount 2 (parent PTE + pipe): copy.
# 5.19+ (anon-exclusive): fork cleared PG_anon_exclusive and
#   wp_can_reuse_anon_folio() sees refcount 2 > 1: copy.
scenario vmsplice-leak
doc "vmsplice() after fork() must not show the child the parent's later writes"
ref CVE-2020-29374; Project Zero issue 2045; 17839856fd58 (v5.8, 5.7.3); 09854ba94c6a (v5.9)
ref cow-gup.md §7.1, §3.7, §8.6 #3; tools/testing/selftests/mm/cow.c "vmsplice() + unmap in child"
config memory=64

P0: mmap A 2 rw
P0: write A[0] = 0xaa
P0: pfn A[0] -> p0
P0: fork P1
P1: vmsplice A[0] -> pipe p
P1: munmap A
P0: refcount A[0] -> ref_before     # parent PTE + pipe (5.8: parent PTE only)
P0: mapcount A[0] -> map_before
P0: write A[0] = 0xbb
P0: pfn A[0] -> p1
P0: refcount A[0] -> ref_after
P1: read pipe p -> x
P0: mprotect A[1] r
P0: write A[1] = 1 -> r

expect ref_before == 2
expect[linux-5.8] ref_before == 1           # the pipe holds the child's private copy
expect map_before == 1                      # the decisive quantity of policy A
expect x == 0xaa
expect[linux-5.7] x == 0xbb                 # the leak: the parent reused the page the pipe still references
expect p1 != p0
expect[linux-5.7,linux-5.8] p1 == p0        # mapcount 1: reuse (5.8: the child's vmsplice already broke COW)
expect ref_after == 1                       # the parent's page is private ...
expect[linux-5.7] ref_after == 2            # ... except under 5.7, where the pipe shares it
expect r == SIGSEGV
expect leaks == 0
expect[linux-5.7] leaks == 1
