# R/O long-term pins in shared mappings never unshare: gup_must_unshare()
# handles non-anon pages only "if is_cow_mapping()" (6.2+, 84209e87c696),
# and a MAP_SHARED mapping is not a COW mapping. The pin is on the shmem page
# itself, which every process maps: writes by anyone are visible through the
# pin. MADV_WIPEONFORK is refused on it (EINVAL).
scenario shared-anon-ro-pin-no-unshare
doc "A R/O long-term pin on shared anon memory pins the shared page; it stays coherent"
ref cow-gup.md §5.5 (C′ 6.2+); mm/internal.h gup_must_unshare()

P0: mmap S 1 rw shared
P0: write S[0] = 1
P0: pfn S[0] -> x
P0: fork P1
P0: pin K = S[0] longterm
P0: pfn S[0] -> x1
P1: write S[0] = 2
dma read K[0] -> v
P0: madvise S wipeonfork -> e

expect x1 == x
expect v == 2
expect e == EINVAL
