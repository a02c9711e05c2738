# S34 (model of the HugeTLB guest_memfd RFC / the 2026 tree; huge pages of 4
# frames here: config thp_order=2). Allocation is in whole huge pages:
# fallocate(4K, 4K) is EINVAL, fallocate(0, 2 huge pages) gives two huge
# folios. Under gmem-huge=split a private huge folio stays huge until part
# of it is converted to shared, which splits it to 4K; PUNCH_HOLE merges the
# split pages back and frees the huge page, or fails with EAGAIN while a
# page still has a reference above its baseline (a pin on a shared 4K
# subpage). Under gmem-huge=shatter every huge page is split at once and
# never merged (punch of a pinned page succeeds: 6.18's rule).
# Under gmem-huge=none (6.18) GUEST_MEMFD_FLAG_HUGETLB does not exist.
scenario s34-hugetlb-split-merge
doc "HugeTLB guest_memfd: aligned fallocate only; conversion to shared splits; punch merges, EAGAIN when pinned"
ref cover.1747264138.git.ackerleytng@google.com (1G RFC v2); spec guest-memfd.md §3.4, §5 S34
config thp_order=2 memory=64

P0: vm V
P0: gmem G = create V size 8p mmap hugetlb -> created
P0: fallocate G offset 4K len 4K keep_size -> unaligned
P0: fallocate G[0:8] -> alloc
P0: gmem_huge G -> huge_after_alloc
P0: convert G[1] shared -> share
P0: gmem_huge G -> huge_after_share
P0: mmap A 8 rw shared gmem G -> mapped
P0: write A[1] = 0x5 -> w
P0: pin K = A[1] write longterm -> pinned
P0: fallocate G[0:4] punch -> punch_pinned
P0: gmem_present G[0] -> still_there
P0: unpin K -> unpinned
P0: fallocate G[0:4] punch -> punch_free
P0: gmem_present G[0] -> gone
P0: fallocate G[4:8] punch -> punch_huge
P0: gmem_pages G -> pages

expect created == EINVAL
expect unaligned == EBADF
expect alloc == EBADF
expect huge_after_alloc == none
expect share == EBADF
expect huge_after_share == none
expect mapped == EBADF
expect w == SIGSEGV
expect pinned == EFAULT
expect punch_pinned == EBADF
expect still_there == none
expect unpinned == EINVAL             # nothing was pinned
expect[gmem-huge=split,gmem-huge=shatter] unpinned == OK
expect punch_free == EBADF
expect gone == none
expect punch_huge == EBADF
expect pages == none

# split (run with gmem-conversion=inplace): split on conversion to shared, merge on punch.
expect[gmem-huge=split] created == OK
expect[gmem-huge=split] unaligned == EINVAL
expect[gmem-huge=split] alloc == OK
expect[gmem-huge=split] huge_after_alloc == 2
expect[gmem-huge=split] share == OK
expect[gmem-huge=split] huge_after_share == 1
expect[gmem-huge=split] mapped == OK
expect[gmem-huge=split] w == OK
expect[gmem-huge=split] pinned == OK
expect[gmem-huge=split] punch_pinned == EAGAIN
expect[gmem-huge=split] still_there == true
expect[gmem-huge=split] punch_free == OK
expect[gmem-huge=split] gone == false
expect[gmem-huge=split] punch_huge == OK
expect[gmem-huge=split] pages == 0

# shatter (run with gmem-conversion=inplace): no huge folio survives allocation; punch does not wait.
expect[gmem-huge=shatter] created == OK
expect[gmem-huge=shatter] unaligned == EINVAL
expect[gmem-huge=shatter] alloc == OK
expect[gmem-huge=shatter] huge_after_alloc == 0
expect[gmem-huge=shatter] share == OK
expect[gmem-huge=shatter] huge_after_share == 0
expect[gmem-huge=shatter] mapped == OK
expect[gmem-huge=shatter] w == OK
expect[gmem-huge=shatter] pinned == OK
expect[gmem-huge=shatter] punch_pinned == OK
expect[gmem-huge=shatter] still_there == false
expect[gmem-huge=shatter] punch_free == OK
expect[gmem-huge=shatter] gone == false
expect[gmem-huge=shatter] punch_huge == OK
expect[gmem-huge=shatter] pages == 0
