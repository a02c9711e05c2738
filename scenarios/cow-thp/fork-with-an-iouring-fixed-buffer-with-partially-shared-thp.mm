# cow.c "fork() with an iouring fixed buffer" (with partially shared THP), cow-gup.md §8.3 #8, §8.2 item 3, §8.6.
# Partially shared THP: MADV_DONTFORK of subpages 1..3 splits the VMA (and the
# PMD), fork shares subpage 0 only (5.19+: its PAE is cleared), the child exits,
# MADV_DOFORK. The folio stays large and PTE-mapped (4 PTEs in P0); subpage 0
# was shared once, 1..3 never were (PAE). cow.c keeps size = thpsize for this
# variant (do_run_with_thp() does not reset it), so the test memory is the
# whole THP, A[4:8]. Per era, for subpages of a large folio (§5.2, §5.3, §8.6):
#  5.7/5.8: reuse_swap_page() = max subpage mapcount + compound mapcount.
#  5.9-5.18: the subpage ref is the folio's, >= its 4 PTE mappings => a write
#           fault always copies (vmsplice tests PASS, pin tests FAIL).
#  5.19+:   PAE subpages (1..3) are reused; !PAE subpage 0 is copied
#           (5.19-6.13) or reused iff only this MM maps the folio and
#           refcount == large_mapcount (6.18); R/O pins unshare it first.
# 5.7/5.8: fork shares the pinned page, the parent's write copies => stale
# buffer => FAIL. 5.9+: copy_present_pte() copies maybe-pinned pages for the
# child (page_maybe_dma_pinned: the large folio's pincount) => PASS.
# Outcome (cow.c): 5.7 FAIL, 5.8 FAIL, 5.9 PASS, 5.11 PASS, 5.18 PASS, 5.19 PASS, 6.1 PASS, 6.13 PASS, 6.18 PASS.
scenario fork-with-an-iouring-fixed-buffer-with-partially-shared-thp
doc "cow.c fork() with an iouring fixed buffer (with partially shared THP)"
ref tools/testing/selftests/mm/cow.c "fork() with an iouring fixed buffer" (with partially shared THP)
ref cow-gup.md §8.3 #8, §8.2 item 3, §8.6, §5.2, §5.3, §4.1
config thp_order=2
config memory=64

P0: mmap A 8 rw
P0: madvise A hugepage
P0: write A[4:8] = 1               # memset(mem, 1, thpsize): PMD-mapped THP
P0: madvise A[5:8] dontfork         # cow.c: MADV_DONTFORK on all but the first subpage
P0: fork P9
P9: exit                          # the child exits immediately
P0: madvise A[5:8] dofork          # allow sharing all pages again
P0: anon_exclusive A[4:8] -> ae0, ae1, ae2, ae3
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

expect pmd == false
expect large0 == true
expect large1 == true
expect large2 == true
expect large3 == true
expect[linux-5.19,linux-6.1,linux-6.13,linux-6.18] ae0 == false          # shared once: PAE cleared by fork
expect[linux-5.19,linux-6.1,linux-6.13,linux-6.18] ae1 == true           # never shared
expect[linux-5.19,linux-6.1,linux-6.13,linux-6.18] ae2 == true           # never shared
expect[linux-5.19,linux-6.1,linux-6.13,linux-6.18] ae3 == true           # never shared
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
expect c1 == 1
expect c2 == 1
expect c3 == 1
