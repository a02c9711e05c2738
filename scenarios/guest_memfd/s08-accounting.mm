# S08: guest_memfd memory is RAM (unevictable page cache, mapping_set_inaccessible()):
# fallocate allocates every page (Unevictable and Cached grow on a real
# host), a second fallocate allocates nothing, PUNCH_HOLE frees, and closing
# the last fd frees the rest. The model counts frames in the page cache.
scenario s08-accounting
doc "fallocate allocates, re-allocating is a no-op, punch frees half, close frees the rest"
ref virt/kvm/guest_memfd.c kvm_gmem_allocate(), kvm_gmem_punch_hole(), kvm_gmem_release()
config memory=64

P0: vm V
P0: gmem G = create V size 32p
P0: fallocate G
P0: gmem_pages G -> after_alloc
P0: gmem_refcount G[0] -> ref0
P0: fallocate G
P0: gmem_pages G -> after_realloc
P0: fallocate G[0:16] punch
P0: gmem_pages G -> after_punch
P0: close G
P0: gmem_live G -> live
P0: gmem_pages G -> after_close
P0: vm_live V -> vm

expect after_alloc == 32
expect ref0 == 1                     # the page cache's reference only
expect after_realloc == 32
expect after_punch == 16
expect live == false
expect after_close == 0               # the page cache went with the inode
expect vm == true                    # the VM fd still holds the VM
