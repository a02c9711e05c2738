# vmsplice() hands pages to the pipe by reference (iov_iter_get_pages2():
# FOLL_GET, no copy): whatever later happens to the page is what the pipe's
# reader gets. When the splicer itself writes the page after a fork, the
# eras differ:
# - <= 5.8: the child's COW copy left P0's page with mapcount 1, so P0's
#   write reuses it (reuse_swap_page() ignores the pipe's reference): the
#   reader gets the new data, 2.
# - 5.9+: the pipe's reference makes refcount 2; in 5.19+ the fork cleared
#   PG_anon_exclusive; P0's write copies and the pipe keeps the old data, 1.
# Neither is a leak: the data in the pipe is the splicer's own (the no-leak
# check only flags tokens the splicer itself could not see: another
# process's write after they diverged, as in CVE-2020-29374).
scenario vmsplice-by-reference-splicer-writes
doc "the splicer's own write after fork reaches its pipe in <= 5.8 and is copied away in 5.9+; never a leak"
ref fs/splice.c vmsplice_to_pipe(); cow-gup.md §3.1, §4.1, §5.2; src/run/checks.cpp (no-leak)

P0: mmap A 1 rw
P0: write A = 1
P0: vmsplice A -> pipe p
P0: fork P1
P1: write A = 3                     # the child's own copy-on-write page
P0: write A = 2
P1: read pipe p -> got

expect got == 1
expect[linux-5.7,linux-5.8] got == 2
expect leaks == 0
