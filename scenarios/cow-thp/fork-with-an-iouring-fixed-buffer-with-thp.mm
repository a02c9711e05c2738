# cow.c "fork() with an iouring fixed buffer" (with THP), cow-gup.md §8.3 #8, §8.2 item 3, §8.6.
# PMD-mapped THP (config thp_order=2: a THP is 4 pages; A[4:8] is the
# aligned THP). do_huge_pmd_wp_page(): 5.7 reuse by mapcount, else copy the
# whole THP (§3.6); 5.8 reuse by mapcount, else split + 4K copy (3917c80280c9);
# 5.9-5.17 still reuse_swap_page() = mapcount (§4.2); 5.18 reuse iff ref == 1,
# else split (§4.6); 6.18 reuse iff PAE or ref == 1, else split (§5.8).
# 5.7/5.8: fork shares the pinned PMD; the parent's write sees mapcount 2: 5.7
# copies the whole THP, 5.8 splits and copies 4K => the fixed buffer is stale =>
# FAIL. 5.9+ (d042035eaf5f, copy_huge_pmd): has_pinned && maybe-pinned => split the
# parent's PMD and copy per PTE: copy_present_page() gives the child copies, the
# parent keeps its writable PTEs on the pinned pages => PASS. NOTE: the model's pin-coherent check
# (src/run/checks.cpp) reads only PTEs (mm.pt.get), not the PMD that now maps the
# 5.7 whole-THP copy, so it reports lost_coherence 0 there; the expectation below
# is the kernel's (4) and fails in the model.
# Outcome (cow.c): 5.7 FAIL, 5.8 FAIL, 5.9 PASS, 5.11 PASS, 5.18 PASS, 6.18 PASS.
scenario fork-with-an-iouring-fixed-buffer-with-thp
doc "cow.c fork() with an iouring fixed buffer (with THP)"
ref tools/testing/selftests/mm/cow.c "fork() with an iouring fixed buffer" (with THP)
ref cow-gup.md §8.3 #8, §8.2 item 3, §8.6, §7.7, §3.6, §4.2, §5.8
config thp_order=2
config memory=64

P0: mmap A 8 rw
P0: madvise A hugepage
P0: write A[4:8] = 1               # memset(mem, 1, thpsize): PMD-mapped THP
P0: pmd_mapped A[4] -> pmd
P0: thp A[4:8] -> large0, large1, large2, large3
P0: pin K = A[4:8] write longterm
P0: fork P1                       # child kept alive
P0: write A[4:8] = 0xff
dma read K[0] -> v0
dma read K[1] -> v1
dma read K[2] -> v2
dma read K[3] -> v3
P1: read A[4:8] -> c0, c1, c2, c3

expect pmd == true
expect large0 == true
expect large1 == true
expect large2 == true
expect large3 == true
expect v0 == 0xff                  # PASS: the pin sees the CPU's write
expect[linux-5.7,linux-5.8] v0 == 1        # FAIL: the pinned page is stale
expect v1 == 0xff                  # PASS: the pin sees the CPU's write
expect[linux-5.7,linux-5.8] v1 == 1        # FAIL: the pinned page is stale
expect v2 == 0xff                  # PASS: the pin sees the CPU's write
expect[linux-5.7,linux-5.8] v2 == 1        # FAIL: the pinned page is stale
expect v3 == 0xff                  # PASS: the pin sees the CPU's write
expect[linux-5.7,linux-5.8] v3 == 1        # FAIL: the pinned page is stale
expect lost_coherence == 0
expect[linux-5.7,linux-5.8] lost_coherence == 4
expect c0 == 1
expect c3 == 1
