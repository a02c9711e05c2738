# cow.c "R/O GUP pin on R/O-mapped shared page" (with THP), cow-gup.md §8.3 #9, §8.2 item 3, §8.6.
# PMD-mapped THP (config thp_order=2: a THP is 4 pages; A[4:8] is the
# aligned THP). do_huge_pmd_wp_page(): 5.7 reuse by mapcount, else copy the
# whole THP (§3.6); 5.8 reuse by mapcount, else split + 4K copy (3917c80280c9);
# 5.9-5.17 still reuse_swap_page() = mapcount (§4.2); 5.18 reuse iff ref == 1,
# else split (§4.6); 6.18 reuse iff PAE or ref == 1, else split (§5.8).
# 5.7: the R/O pin takes the shared THP; the write sees mapcount 2 and copies the
# whole THP => FAIL. 5.8: the R/O pin is a forced write fault (GUP-fast forces
# FOLL_WRITE and falls back): split + 4K copy per subpage, the pin is on the
# copies, the memset finds them writable => PASS. 5.9-5.17: no unshare; the
# write sees mapcount 2 => split + copy => FAIL. 5.18: ref > 1 => FAIL. 6.18:
# gup_must_unshare (!PAE) => unshare fault on the PMD: ref > 1 => split, each
# subpage unshared into a PAE copy before the pin => PASS. NOTE: the model's pin-coherent check
# (src/run/checks.cpp) reads only PTEs (mm.pt.get), not the PMD that now maps the
# 5.7 whole-THP copy, so it reports lost_coherence 0 there; the expectation below
# is the kernel's (4) and fails in the model.
# Outcome (cow.c): 5.7 FAIL, 5.8 PASS, 5.9 FAIL, 5.11 FAIL, 5.18 FAIL, 6.18 PASS.
scenario ro-gup-pin-on-ro-mapped-shared-page-with-thp
doc "cow.c R/O GUP pin on R/O-mapped shared page (with THP)"
ref tools/testing/selftests/mm/cow.c "R/O GUP pin on R/O-mapped shared page" (with THP)
ref cow-gup.md §8.3 #9, §8.2 item 3, §8.6, §7.7, §3.6, §4.2, §5.8
config thp_order=2
config memory=64

P0: mmap A 8 rw
P0: madvise A hugepage
P0: write A[4:8] = 1               # memset(mem, 1, thpsize): PMD-mapped THP
P0: pmd_mapped A[4] -> pmd
P0: thp A[4:8] -> large0, large1, large2, large3
P0: fork P1                       # child stays alive
P0: pin K = A[4:8] longterm
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
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] v0 == 1        # FAIL: the pinned page is stale
expect v1 == 0xff                  # PASS: the pin sees the CPU's write
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] v1 == 1        # FAIL: the pinned page is stale
expect v2 == 0xff                  # PASS: the pin sees the CPU's write
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] v2 == 1        # FAIL: the pinned page is stale
expect v3 == 0xff                  # PASS: the pin sees the CPU's write
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] v3 == 1        # FAIL: the pinned page is stale
expect lost_coherence == 0
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] lost_coherence == 4
