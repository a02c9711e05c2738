# S06: fallocate() on a 16-page guest_memfd. vfs_fallocate() first (offset < 0
# or len <= 0: EINVAL; PUNCH_HOLE without KEEP_SIZE: EOPNOTSUPP; past
# s_maxbytes: EFBIG), then kvm_gmem_fallocate(): KEEP_SIZE is required, only
# PUNCH_HOLE may go with it, offset and len must be page aligned; allocation
# must stay within i_size, PUNCH_HOLE has no upper bound.
scenario s06-fallocate-matrix
doc "fallocate on guest_memfd: the errno table of spec §1.6"
ref virt/kvm/guest_memfd.c kvm_gmem_fallocate(); fs/open.c vfs_fallocate(); spec guest-memfd.md §1.6 [V]

P0: vm V
P0: gmem G = create V size 16p
P0: fallocate G offset 0 len 4K -> mode0
P0: fallocate G offset 0 len 64K keep_size -> all
P0: fallocate G offset 4095 len 4K keep_size -> unaligned_off
P0: fallocate G offset 0 len 4095 keep_size -> unaligned_len
P0: fallocate G offset 64K len 4K keep_size -> at_eof
P0: fallocate G offset 68K len 4K keep_size -> past_eof
P0: fallocate G offset 60K len 8K keep_size -> straddle
P0: fallocate G offset 0 len 0 keep_size -> zero_len
P0: fallocate G offset -4K len 4K keep_size -> negative
P0: fallocate G offset 0x7ffffffffffff000 len 8K keep_size -> too_big
P0: fallocate G offset 0 len 4K punch_hole -> punch_nokeep
P0: fallocate G offset 0 len 4K keep_size punch_hole -> punch
P0: fallocate G offset 64K len 4K keep_size punch_hole -> punch_eof
P0: fallocate G offset 1T len 4K keep_size punch_hole -> punch_far
P0: fallocate G offset 60K len 8K keep_size punch_hole -> punch_straddle
P0: fallocate G offset 1 len 4K keep_size punch_hole -> punch_unaligned
P0: fallocate G offset 4K len 4097 keep_size punch_hole -> punch_unaligned_len
P0: fallocate G offset 0 len 4K zero_range keep_size -> zero_range
P0: fallocate G offset 0 len 4K collapse_range -> collapse
P0: fallocate G offset 0 len 4K insert_range -> insert
P0: fallocate G offset 0 len 4K unshare_range keep_size -> unshare
P0: gmem_pages G -> pages

expect mode0 == EOPNOTSUPP
expect all == OK
expect unaligned_off == EINVAL
expect unaligned_len == EINVAL
expect at_eof == EINVAL
expect past_eof == EINVAL
expect straddle == EINVAL
expect zero_len == EINVAL
expect negative == EINVAL
expect too_big == EFBIG
expect punch_nokeep == EOPNOTSUPP
expect punch == OK
expect punch_eof == OK
expect punch_far == OK
expect punch_straddle == OK
expect punch_unaligned == EINVAL
expect punch_unaligned_len == EINVAL
expect zero_range == EOPNOTSUPP
expect collapse == EOPNOTSUPP
expect insert == EOPNOTSUPP
expect unshare == EOPNOTSUPP
expect pages == 14                   # 16 allocated, pages 0 and 15 punched
