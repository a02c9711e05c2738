# mmap() flags. MAP_POPULATE on a private writable mapping populates with
# write faults (__mm_populate() -> populate_vma_page_range(): FOLL_WRITE for
# private writable VMAs, "We want to touch writable mappings with a write
# fault in order to break COW"): real exclusive pages. On a read-only private
# mapping it read-faults the zero page. MAP_LOCKED sets VM_LOCKED, populates
# and mlocks the pages (locked_vm). MAP_NORESERVE only affects accounting
# (VM_NORESERVE): the mapping faults lazily like any other. MAP_SHARED|
# MAP_ANONYMOUS is shmem-backed (pagemap file=1, MM_SHMEMPAGES).
# Same in every era; no PG_anon_exclusive before 5.19 (probe: none).
scenario mmap-flags-populate-locked-noreserve-shared
doc "MAP_POPULATE, MAP_LOCKED, MAP_NORESERVE, MAP_SHARED anon: what each one maps"
ref mm/mmap.c do_mmap(), mm/gup.c populate_vma_page_range(); mm/shmem.c

P0: mmap A 2 rw populate
P0: present A -> ap0, ap1
P0: anon_exclusive A -> ae0, ae1
P0: rss_anon -> rss_a
P0: mmap R 1 r populate
P0: present R[0] -> rp
P0: refcount R[0] -> rref           # zero page: no normal page
P0: mmap L 2 rw locked
P0: mlocked L -> lm0, lm1
P0: locked_vm -> lvm
P0: mmap N 2 rw noreserve
P0: present N[0] -> np
P0: write N[0] = 3
P0: read N[0] -> nv
P0: mmap S 1 rw shared
P0: write S[0] = 4
P0: file S[0] -> sfile
P0: rss_shmem -> rss_s
P0: rss_anon -> rss_all

expect ap0 == true
expect ap1 == true
expect ae0 == true
expect ae1 == true
expect rss_a == 2
expect rp == true
expect rref == none
expect lm0 == true
expect lm1 == true
expect lvm == 2
expect np == false                  # NORESERVE does not populate
expect nv == 3
expect sfile == true
expect rss_s == 1
expect rss_all == 5                 # A (2) + L (2) + N[0]
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] ae0 == none
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] ae1 == none
