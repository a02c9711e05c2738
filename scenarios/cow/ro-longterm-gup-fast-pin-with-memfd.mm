# cow.c non-anon "R/O longterm GUP-fast pin" (with memfd), cow-gup.md §8.5 #21.
# mem = MAP_PRIVATE of a memfd page, smem = MAP_SHARED R/O of the same page;
# both read-faulted, so both map the one page-cache page. A R/O long-term
# pin of mem: since 6.2 (84209e87c696, 8d6a0ac09a16) gup_must_unshare()
# returns true for a non-anon page in a COW mapping with FOLL_LONGTERM, and
# FAULT_FLAG_UNSHARE -> do_wp_page() -> wp_page_copy() gives mem a private
# anonymous copy mapped R/O; the pin is taken on it and the memset reuses it
# (PG_anon_exclusive): the pin sees the new data, smem does not. 6.18: PASS.
# 5.7, 5.9-5.18: the pin is taken on the page-cache page; the memset's write
# fault copies (do_wp_page() on a non-anon page always copies): the pin is
# stale (FAIL, §8.6 "non-anon #20/#21: FAIL before 84209e87c696").
# 5.8: should_force_cow_break() write-faults first (do_cow_fault-like copy),
# so the pin lands on the private anonymous copy: PASS.
# 5.19 and 6.1 (PG_anon_exclusive without 84209e87c696): gup_must_unshare()
# ignores non-anon pages, so the pin stays on the old page as before: FAIL.
scenario ro-longterm-gup-fast-pin-with-memfd
doc "A R/O long-term pin of a private file page unshares it (6.2+), so it sees the process's later writes"
ref tools/testing/selftests/mm/cow.c "R/O longterm GUP-fast pin" (with memfd)
ref cow-gup.md §5.5 (C′), §8.5, §8.6

P0: memfd F 1
P0: fallocate F
P0: mmap M 1 rw file F              # mem: MAP_PRIVATE
P0: mmap S 1 r file F shared        # smem: MAP_SHARED, R/O
P0: read M[0] -> m0
P0: read S[0] -> s0
P0: pfn M[0] -> pm
P0: pfn S[0] -> ps
P0: file M[0] -> was_file
P0: pin K = M[0] longterm fast
P0: file M[0] -> pinned_file
P0: write M[0] = 0xff               # memset(mem, 0xff)
dma read K[0] -> v
P0: read S[0] -> s1
P0: unpin K

expect m0 == 0
expect pm == ps                     # both map the page-cache page
expect was_file == true
expect pinned_file == false         # unshared into a private anonymous page
expect v == 0xff                    # PASS
expect s1 == 0                      # the file never sees the private write
expect lost_coherence == 0
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18,linux-5.19,linux-6.1] pinned_file == true
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18,linux-5.19,linux-6.1] v == 0        # FAIL: the pin is on the page-cache page
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18,linux-5.19,linux-6.1] lost_coherence == 1
