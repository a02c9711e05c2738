# cow.c "R/O GUP-fast pin on R/O-mapped exclusive page" (with THP), cow-gup.md §8.3 #14, §8.2 item 3, §8.6.
# PMD-mapped THP (config thp_order=2: a THP is 4 pages; A[4:8] is the
# aligned THP). do_huge_pmd_wp_page(): 5.7 reuse by mapcount, else copy the
# whole THP (§3.6); 5.8 reuse by mapcount, else split + 4K copy (3917c80280c9);
# 5.9-5.17 still reuse_swap_page() = mapcount (§4.2); 5.18 reuse iff ref == 1,
# else split (§4.6); 6.18 reuse iff PAE or ref == 1, else split (§5.8).
# mprotect(R), clear_refs, mprotect(RW) of the whole exclusive THP: the kernel
# keeps the PMD (change_huge_pmd), R/O before 5.19. 5.7/5.8 and 5.9-5.17 reuse it
# by mapcount (1) despite the pin => PASS (5.8's forced write fault reuses it too).
# 5.18: ref > 1 => split + 4K copy => FAIL. 6.18: PAE PMD, mprotect(RW) maps it
# writable, the R/O pin needs no unshare => PASS. NOTE: the model's mprotect splits
# the PMD, so 5.9/5.11 take the PTE refcount rule (copy) and FAIL; the kernel's
# PASS is kept below and fails in the model.
# Outcome (cow.c): 5.7 PASS, 5.8 PASS, 5.9 PASS, 5.11 PASS, 5.18 FAIL, 6.18 PASS.
scenario ro-gup-fast-pin-on-ro-mapped-exclusive-page-with-thp
doc "cow.c R/O GUP-fast pin on R/O-mapped exclusive page (with THP)"
ref tools/testing/selftests/mm/cow.c "R/O GUP-fast pin on R/O-mapped exclusive page" (with THP)
ref cow-gup.md §8.3 #14, §8.2 item 3, §8.6, §7.7, §3.6, §4.2, §5.8
config thp_order=2
config memory=64

P0: mmap A 8 rw
P0: madvise A hugepage
P0: write A[4:8] = 1               # memset(mem, 1, thpsize): PMD-mapped THP
P0: pmd_mapped A[4] -> pmd
P0: thp A[4:8] -> large0, large1, large2, large3
P0: mprotect A[4:8] r
P0: clear_refs                    # clear_softdirty()
P0: mprotect A[4:8] rw
P0: pin K = A[4:8] longterm fast
P0: write A[4:8] = 0xff
dma read K[0] -> v0
dma read K[1] -> v1
dma read K[2] -> v2
dma read K[3] -> v3
P0: unpin K

expect pmd == true
expect large0 == true
expect large1 == true
expect large2 == true
expect large3 == true
expect v0 == 0xff                  # PASS: the pin sees the CPU's write
expect[linux-5.18] v0 == 1        # FAIL: the pinned page is stale
expect v1 == 0xff                  # PASS: the pin sees the CPU's write
expect[linux-5.18] v1 == 1        # FAIL: the pinned page is stale
expect v2 == 0xff                  # PASS: the pin sees the CPU's write
expect[linux-5.18] v2 == 1        # FAIL: the pinned page is stale
expect v3 == 0xff                  # PASS: the pin sees the CPU's write
expect[linux-5.18] v3 == 1        # FAIL: the pinned page is stale
expect lost_coherence == 0
expect[linux-5.18] lost_coherence == 4
