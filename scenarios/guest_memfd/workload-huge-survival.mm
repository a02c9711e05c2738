# Workload: how many huge pages survive a guest that shares one 4K page in
# half of its huge pages (a virtio ring, a bounce buffer), converts them
# back, and has them discarded and refilled — with a device pinning one
# shared page. `gmem_huge G` counts the huge folios left in the file (the
# ones that keep HVO and could keep a huge stage-2 mapping).
#   6.18 (gmem-huge=none): no HugeTLB guest_memfd (EINVAL): 4K folios only.
#   shatter (2024 interim design): huge pages are broken at allocation: 0 survive.
#   split (the 2026 tree): 4 after allocation, 2 after sharing a page in two
#     of them; converting back does not merge; PUNCH_HOLE merges and frees
#     (EAGAIN for the one the device pins); refilling brings 3 back.
# Huge pages are 4 frames here (config thp_order=2).
scenario workload-huge-survival
doc "huge folios surviving share/unshare/punch cycles: none (6.18) vs shatter vs split"
ref spec guest-memfd.md §2.2 item 4, §2.3 (Sean: shattering at creation would never ship), §3.4
config thp_order=2 memory=64

P0: vm V
P0: gmem G = create V size 16p mmap hugetlb -> created
P0: memslot V 0 gpa 1M size 16p gmem G -> bound
P0: fallocate G -> alloc
P0: gmem_huge G -> h_alloc
P0: convert G[1] shared -> s1
P0: convert G[9] shared -> s9
P0: gmem_huge G -> h_shared
P0: mmap A 16 rw shared gmem G -> mapped
P0: pin DEV = A[9] write longterm -> dev
P0: convert G[1] private -> p1
P0: gmem_huge G -> h_back
P0: fallocate G[0:4] punch -> punch0
P0: fallocate G[8:12] punch -> punch8
P0: fallocate G -> refill
P0: gmem_huge G -> h_refill

expect created == EINVAL
expect h_alloc == none
expect h_shared == none
expect h_back == none
expect h_refill == none
expect punch8 == EBADF
expect[gmem-huge=shatter,gmem-huge=split] created == OK
expect[gmem-huge=shatter] h_alloc == 0
expect[gmem-huge=shatter] h_shared == 0
expect[gmem-huge=shatter] h_back == 0
expect[gmem-huge=shatter] punch8 == OK
expect[gmem-huge=shatter] h_refill == 0
expect[gmem-huge=split] h_alloc == 4
expect[gmem-huge=split] h_shared == 2
expect[gmem-huge=split] h_back == 2
expect[gmem-huge=split] punch8 == EAGAIN
expect[gmem-huge=split] h_refill == 3
