# S11: with INIT_SHARED the whole file is shared: every mapping of it, in
# the same process, in a child after fork (the VMA is MAP_SHARED: no COW,
# no PTE copied) or in any process that got the fd, sees the same page
# cache pages. A fresh page reads zero (zeroed at the first fault).
scenario s11-shared-coherence
doc "INIT_SHARED: first read 0; two mappings and a forked child see each other's writes"
ref virt/kvm/guest_memfd.c kvm_gmem_fault_user_mapping(); spec guest-memfd.md §5 S11 [V]

P0: vm V
P0: gmem G = create V size 4p mmap init_shared
P0: mmap A 4 rw shared gmem G
P0: mmap B 4 rw shared gmem G
P0: read A[0] -> fresh
P0: write A = 0xaa
P0: read B[0] -> b0
P0: read B[3] -> b3
P0: read B[2] -> b2
P0: pfn A[2] -> pa
P0: pfn B[2] -> pb
P0: fork P1
P1: write A[1] = 0x22
P0: read A[1] -> parent_sees
P0: mapcount A[2] -> map2
P0: file A[0] -> file_bit
P0: rss_file -> rss

expect fresh == 0
expect b0 == 0xaa
expect b3 == 0xaa
expect pa == pb
expect parent_sees == 0x22
expect map2 == 2
expect file_bit == true
expect b2 == 0xaa
expect rss == 7                      # A: 4 pages, B: 3 faulted (MM_FILEPAGES)
