# cow.c "R/O-mapping a page registered as iouring fixed buffer" (with PTE-mapped THP), cow-gup.md §8.3 #7, §8.2 item 3, §8.6.
# PTE-mapped THP: the THP is PMD-mapped by the first write, then
# mprotect(R)+mprotect(RW) of one subpage splits the PMD (as cow.c does);
# the folio stays large, all 4 PTEs keep PAE (6.18). Write faults then follow
# the PTE rules: 5.7/5.8 reuse_swap_page() (largest subpage mapcount +
# compound mapcount); 5.9-5.18 refcount (the subpage ref is the folio's,
# >= its PTE mappings => always copy); 6.18 PAE, else reuse only when
# this MM alone maps the folio and refcount == large_mapcount (§5.2, §5.3).
# PTE-mapped: 5.7/5.8 reuse_swap_page() mapcount 1 => reuse => PASS. 5.9-5.18:
# subpage ref >= PTE mappings + pins => copy => FAIL (stale fixed buffer). 6.18:
# every subpage is PAE, mprotect(RW) upgrades (can_change_pte_writable) => PASS.
# Outcome (cow.c): 5.7 PASS, 5.8 PASS, 5.9 FAIL, 5.11 FAIL, 5.18 FAIL, 6.18 PASS.
scenario ro-mapping-a-page-registered-as-iouring-fixed-buffer-with-pte-mapped-thp
doc "cow.c R/O-mapping a page registered as iouring fixed buffer (with PTE-mapped THP)"
ref tools/testing/selftests/mm/cow.c "R/O-mapping a page registered as iouring fixed buffer" (with PTE-mapped THP)
ref cow-gup.md §8.3 #7, §8.2 item 3, §8.6, §7.7, §5.2, §5.3, §4.1
config thp_order=2
config memory=64

P0: mmap A 8 rw
P0: madvise A hugepage
P0: write A[4:8] = 1               # memset(mem, 1, thpsize): PMD-mapped THP
P0: mprotect A[5] r                # cow.c: mprotect(mem + pagesize, pagesize, PROT_READ)
P0: mprotect A[5] rw               # ... and back: the PMD is split
P0: pmd_mapped A[4] -> pmd
P0: thp A[4:8] -> large0, large1, large2, large3
P0: pin K = A[4:8] write longterm  # io_uring fixed buffer
P0: mprotect A[4:8] r
P0: clear_refs                    # clear_softdirty()
P0: mprotect A[4:8] rw
P0: write A[4:8] = 0xff
dma read K[0] -> v0
dma read K[1] -> v1
dma read K[2] -> v2
dma read K[3] -> v3

expect pmd == false
expect large0 == true
expect large1 == true
expect large2 == true
expect large3 == true
expect v0 == 0xff                  # PASS: the pin sees the CPU's write
expect[linux-5.9,linux-5.11,linux-5.18] v0 == 1        # FAIL: the pinned page is stale
expect v1 == 0xff                  # PASS: the pin sees the CPU's write
expect[linux-5.9,linux-5.11,linux-5.18] v1 == 1        # FAIL: the pinned page is stale
expect v2 == 0xff                  # PASS: the pin sees the CPU's write
expect[linux-5.9,linux-5.11,linux-5.18] v2 == 1        # FAIL: the pinned page is stale
expect v3 == 0xff                  # PASS: the pin sees the CPU's write
expect[linux-5.9,linux-5.11,linux-5.18] v3 == 1        # FAIL: the pinned page is stale
expect lost_coherence == 0
expect[linux-5.9,linux-5.11,linux-5.18] lost_coherence == 4
