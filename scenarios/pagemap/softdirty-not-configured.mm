# Without CONFIG_MEM_SOFT_DIRTY (config soft_dirty=n; e.g. the Debian host
# kernel this corpus was checked against) pagemap bit 55 is always 0:
# pte_soft_dirty() is 0 and VM_SOFTDIRTY is 0. Nothing else changes:
# can_change_pte_writable() never needs a soft-dirty fault, so the
# mprotect(R)->mprotect(RW) upgrade still maps the exclusive page writable
# and the write reuses it.
scenario softdirty-not-configured
doc "config soft_dirty=n: pagemap soft-dirty bit is always 0"
ref cow-gup.md §9.1; mm/internal.h pte_needs_soft_dirty_wp(); fs/proc/task_mmu.c
config soft_dirty=n

P0: mmap A 1 rw
P0: softdirty A[0] -> sd0
P0: write A[0] = 1
P0: pfn A[0] -> x
P0: softdirty A[0] -> sd1
P0: mprotect A r
P0: mprotect A rw
P0: write A[0] = 2
P0: pfn A[0] -> x2
P0: softdirty A[0] -> sd2

expect sd0 == false
expect sd1 == false
expect x2 == x
expect sd2 == false
