# S32 (in-place model): every index of a guest_memfd without INIT_SHARED
# starts private (host access SIGBUS); converting [0,4K) to shared makes
# page 0 accessible (a zero page) while page 1 still SIGBUSes. With
# INIT_SHARED everything starts shared. In 6.18 shareability is the
# INIT_SHARED flag, whole-file and immutable.
scenario s32-inplace-defaults
doc "MMAP only: all private, convert page 0 shared -> it reads 0, page 1 SIGBUS; INIT_SHARED: all shared"
ref kvm_gmem_init attributes (private unless INIT_SHARED); spec guest-memfd.md §5 S32

P0: vm V
P0: gmem G = create V size 2p mmap
P0: mmap A 2 rw shared gmem G
P0: read A[0] -> before
P0: convert G[0] shared -> conv
P0: read A[0] -> page0
P0: read A[1] -> page1
P0: gmem H = create V size 2p mmap init_shared
P0: gmem_private H -> h0, h1

expect before == SIGBUS
expect conv == ENOTTY
expect page0 == SIGBUS
expect page1 == SIGBUS
expect h0 == false
expect h1 == false
expect[gmem-conversion=inplace] conv == OK
expect[gmem-conversion=inplace] page0 == 0
