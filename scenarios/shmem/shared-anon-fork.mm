# MAP_SHARED|MAP_ANONYMOUS is backed by shmem (shmem_zero_setup()): pages are
# page-cache pages, not anon, so pagemap reports file=1 (PM_FILE:
# !folio_test_anon) and they count in MM_SHMEMPAGES, not MM_ANONPAGES. fork
# copies the VMA without COW (is_cow_mapping() is false: no write-protect,
# both PTEs stay writable): writes by either process are visible to the
# other, the PFN never changes, and no page is PG_anon_exclusive.
scenario shared-anon-fork
doc "Shared anonymous memory: fork shares it, writes are visible both ways, pagemap file=1"
ref mm/shmem.c shmem_zero_setup(); fs/proc/task_mmu.c pte_to_pagemap_entry() PM_FILE

P0: mmap S 1 rw shared
P0: write S[0] = 1
P0: pfn S[0] -> x
P0: file S[0] -> fi
P0: rss_shmem -> shm
P0: rss_anon -> anon
P0: anon_exclusive S[0] -> pae
P0: fork P1
P1: present S[0] -> c_present
P0: exclusive S[0] -> ex_fork
P1: read S[0] -> c1
P1: write S[0] = 2
P0: read S[0] -> p2
P0: write S[0] = 3
P1: read S[0] -> c3
P1: pfn S[0] -> cx
P0: pfn S[0] -> px
P0: mapcount S[0] -> m
P0: exclusive S[0] -> ex
P1: rss_shmem -> child_shm

expect fi == true
expect shm == 1
expect anon == 0
expect pae == none                  # not an anon page (model-only flag)
expect c_present == false           # no PTE copied at fork
expect ex_fork == true              # the parent's mapping is still the only one
expect c1 == 1
expect p2 == 2
expect c3 == 3
expect cx == x
expect px == x
expect m == 2
expect ex == false
expect child_shm == 1
