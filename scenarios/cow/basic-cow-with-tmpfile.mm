# cow.c non-anon "Basic COW" (with tmpfile), cow-gup.md §8.5 #19:
# writing through a MAP_PRIVATE mapping must not modify the file, seen
# through a MAP_SHARED R/O mapping of the same page.
# The file is tmpfile(): an unnamed file in /tmp, which on this machine (and
# on a typical system whose /tmp is not tmpfs) is a regular file on a disk
# file system (ext4): fallocate() allocates unwritten extents, the read faults
# bring one zero-filled page-cache page in (filemap_fault()), and that page is
# not swap-backed, lives on the file LRU and counts in MM_FILEPAGES (rss_file),
# not MM_SHMEMPAGES. COW treats it exactly like the memfd's shmem page:
# do_wp_page() copies every non-anon page in a private mapping.
# The write fault on the R/O page-cache PTE goes to do_wp_page(): a non-anon page in a private mapping is always copied
# (wp_page_copy()) into a new anonymous page.
# The same in every era: PASS.
scenario basic-cow-with-tmpfile
doc "A private mapping's write never reaches the file it maps (tmpfile)"
ref tools/testing/selftests/mm/cow.c "Basic COW" (with tmpfile)
ref cow-gup.md §8.5 #19, §8.6

P0: tmpfile F 1
P0: fallocate F
P0: mmap M 1 rw file F              # mem: MAP_PRIVATE
P0: mmap S 1 r file F shared        # smem: MAP_SHARED, R/O
P0: read M[0] -> m0
P0: read S[0] -> s0
P0: pfn M[0] -> pm
P0: pfn S[0] -> ps
P0: write M[0] = 0xff               # memset(mem, 0xff)
P0: read S[0] -> s1
P0: read M[0] -> m1
P0: pfn M[0] -> pm1
P0: file M[0] -> f1
P0: rss_anon -> anon
P0: rss_file -> filepages
P0: rss_shmem -> shmem

expect m0 == 0
expect pm == ps                     # both map the page-cache page
expect s1 == 0                      # "Other mapping modified" on failure
expect m1 == 0xff
expect pm1 != pm                    # the private copy
expect f1 == false                  # ... is anonymous
expect anon == 1
expect filepages == 1               # smem still maps the page-cache page (MM_FILEPAGES)
expect shmem == 0
