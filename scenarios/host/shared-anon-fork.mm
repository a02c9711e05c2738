# Written from a 6.18 host run: MAP_SHARED|MAP_ANONYMOUS is shmem. fork does
# not copy its PTEs (copy_page_range() skips a VMA without anon_vma: the child
# faults the page in from the page cache later), so the child's PTE is not
# present right after fork; once faulted it is the same page (same PFN), and
# writes are visible both ways.
scenario host-shared-anon-fork
doc "MAP_SHARED anonymous memory: PTEs not copied at fork, same page once faulted"
ref mm/shmem.c; cow-gup.md §9.1

P0: mmap S 1 rw shared
P0: write S[0] = 1
P0: pfn S[0] -> p0
P0: fork P1
P1: pfn S[0] -> c0
P1: write S[0] = 2
P0: read S[0] -> pv
P0: write S[0] = 3
P1: read S[0] -> cv
P1: pfn S[0] -> c1
P0: file S[0] -> f

expect c0 == none
expect pv == 2
expect cv == 3
expect c1 == p0
expect f == true
