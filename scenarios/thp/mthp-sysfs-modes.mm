# The per-size controls (6.8+, thp_vma_allowable_orders()): "madvise" sizes
# only in VM_HUGEPAGE VMAs, "inherit" sizes follow the global `enabled`
# (here never, so order 3 is off everywhere), "always" everywhere. An
# MADV_NOHUGEPAGE VMA gets no THP of any size (vma_thp_disabled()).
# Outcome: 5.7-6.1 SKIP (no per-size THP controls before 6.8); 6.13, 6.18 PASS.
scenario mthp-sysfs-modes
doc "hugepages-<size>kB/enabled: always, madvise, inherit"
ref include/linux/huge_mm.h thp_vma_allowable_orders(); mm/huge_memory.c __thp_vma_allowable_orders()
config thp=never
config thp_order=4
config mthp=2:madvise,3:inherit
config memory=64

P0: mmap A 16 rw
P0: mmap B 16 rw
P0: mmap C 16 rw
P0: madvise B hugepage
P0: madvise C nohugepage
P0: write A[0] = 1                 # not VM_HUGEPAGE: order 2 (madvise) not allowed, order 3 (inherit) off
P0: write B[0] = 1                 # VM_HUGEPAGE: order 2
P0: write C[0] = 1                 # VM_NOHUGEPAGE
P0: thp A[0] -> ta
P0: thp B[0] -> tb
P0: present B[3] -> b3
P0: present B[4] -> b4
P0: thp C[0] -> tc

expect ta == false
expect tb == true
expect b3 == true
expect b4 == false                 # order 2, not 3
expect tc == false
