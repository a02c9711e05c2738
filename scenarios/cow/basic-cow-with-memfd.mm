# cow.c non-anon "Basic COW" (with memfd), cow-gup.md §8.5 #19: writing
# through a MAP_PRIVATE mapping of a memfd must not modify the file, seen
# through a MAP_SHARED mapping of the same page. The write fault on the R/O
# page-cache PTE goes to do_wp_page(); a non-anon page is always copied
# (wp_page_copy()). The same in every era.
scenario basic-cow-with-memfd
doc "A private mapping's write never reaches the file it maps"
ref tools/testing/selftests/mm/cow.c "Basic COW" (with memfd)
ref cow-gup.md §8.5 #19

P0: memfd F 1
P0: fallocate F
P0: mmap M 1 rw file F
P0: mmap S 1 r file F shared
P0: read M[0] -> m0
P0: read S[0] -> s0
P0: write M[0] = 0xff
P0: read S[0] -> s1
P0: read M[0] -> m1
P0: file M[0] -> f1
P0: rss_anon -> anon
P0: rss_shmem -> shmem

expect m0 == 0
expect s1 == 0                      # "Other mapping modified" on failure
expect m1 == 0xff
expect f1 == false                  # the private copy is anonymous
expect anon == 1
expect shmem == 1                   # smem still maps the page-cache page
