# cow.c non-anon "R/O longterm GUP-fast pin" (with tmpfile), cow-gup.md §8.5 #21.
# mem = MAP_PRIVATE of the file's page, smem = MAP_SHARED R/O of the same page;
# both read-faulted, so both map the one page-cache page. Then a R/O
# long-term pin of mem through pin_user_pages_fast(), memset(mem), read through the pin.
# The file is tmpfile(): an unnamed file in /tmp, which on this machine (and
# on a typical system whose /tmp is not tmpfs) is a regular file on a disk
# file system (ext4): fallocate() allocates unwritten extents, the read faults
# bring one zero-filled page-cache page in (filemap_fault()), and that page is
# not swap-backed, lives on the file LRU and counts in MM_FILEPAGES (rss_file),
# not MM_SHMEMPAGES. COW treats it exactly like the memfd's shmem page:
# do_wp_page() copies every non-anon page in a private mapping.
# 6.2+ (6.13, 6.18): gup_must_unshare() is true for a non-anon page in a COW
# mapping with FOLL_LONGTERM (84209e87c696, 8d6a0ac09a16): FAULT_FLAG_UNSHARE
# -> do_wp_page() -> wp_page_copy() gives mem a private anonymous copy mapped
# R/O; the pin is taken on it and the memset reuses it (PG_anon_exclusive):
# the pin sees the new data, smem does not. PASS.
# 5.7, 5.9-5.18, 5.19 and 6.1: the pin is taken on the page-cache page (5.19
# and 6.1's gup_must_unshare() ignores non-anon pages); the memset's write
# fault copies: the pin is stale (FAIL, §8.6 "non-anon #20/#21: FAIL before
# 84209e87c696").
# 5.8: should_force_cow_break() (is_cow_mapping && FOLL_PIN, files included in
# mainline; only 5.4.y restricted it to anonymous VMAs) write-faults first, so
# the pin lands on the private anonymous copy: PASS, as with memfd.
scenario ro-longterm-gup-fast-pin-with-tmpfile
doc "A R/O long-term pin of a private file page unshares it (6.2+), so it sees the process's later writes (tmpfile)"
ref tools/testing/selftests/mm/cow.c "R/O longterm GUP-fast pin" (with tmpfile)
ref cow-gup.md §5.5 (C′), §8.5, §8.6

P0: tmpfile F 1
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
