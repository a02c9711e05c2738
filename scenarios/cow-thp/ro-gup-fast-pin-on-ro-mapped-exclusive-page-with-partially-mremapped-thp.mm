# cow.c "R/O GUP-fast pin on R/O-mapped exclusive page" (with partially mremap()'ed THP), cow-gup.md §8.3 #14, §8.2 item 3, §8.6.
# Partially mremap()'ed THP: the memset PMD-maps the THP, then mremap() moves
# its upper half elsewhere: move_page_tables() cannot move the PMD whole
# (misaligned destination), so the PMD is split and the upper PTEs move; the
# folio stays large, now PTE-mapped in two places of the same process. The
# test memory is the lower half, A[4:6] (cow.c: size = thpsize / 2).
# Per era, for subpages of a large folio (§5.2, §5.3, §8.6):
#  5.7/5.8: reuse_swap_page() -> page_trans_huge_mapcount(): the MAX mapcount
#           over all subpages of the compound page (+ compound mapcount). In
#           the vmsplice cases (#3-#6) the other process still maps the moved
#           upper half, so the count stays 2 and the writer copies: no leak,
#           unlike the base page (the spec's "like base pages" is too coarse;
#           v5.4 mm/huge_memory.c page_trans_huge_mapcount()).
#  5.9-5.18: the subpage ref is the folio's, >= its 4 PTE mappings => a write
#           fault always copies (vmsplice tests PASS, pin tests FAIL).
#  5.19+:   PAE subpages are reused; a !PAE subpage is copied (5.19-6.13) or
#           reused iff only this MM maps the folio and refcount ==
#           large_mapcount (6.18); R/O pins unshare first.
# mprotect(R), clear_refs, mprotect(RW) of an exclusive page, R/O pin, memset.
# 5.7/5.8: mapcount 1 => reuse => PASS. 5.9-5.18: pin ref => copy => FAIL.
# 5.19+: PAE, no unshare, the write reuses (6.1+ mprotect maps it writable) =>
# PASS.
# Outcome (cow.c): 5.7 PASS, 5.8 PASS, 5.9 FAIL, 5.11 FAIL, 5.18 FAIL, 5.19 PASS, 6.1 PASS, 6.13 PASS, 6.18 PASS.
scenario ro-gup-fast-pin-on-ro-mapped-exclusive-page-with-partially-mremapped-thp
doc "cow.c R/O GUP-fast pin on R/O-mapped exclusive page (with partially mremap()'ed THP)"
ref tools/testing/selftests/mm/cow.c "R/O GUP-fast pin on R/O-mapped exclusive page" (with partially mremap()'ed THP)
ref cow-gup.md §8.3 #14, §8.2 item 3, §8.6, §5.2, §5.3, §4.1
config thp_order=2
config memory=64

P0: mmap A 8 rw
P0: madvise A hugepage
P0: write A[4:8] = 1               # memset(mem, 1, thpsize): PMD-mapped THP
P0: mremap A[6:8] B                # cow.c: the upper half moved with mremap(MREMAP_MAYMOVE|MREMAP_FIXED)
P0: pmd_mapped A[4] -> pmd
P0: thp A[4:6] -> large0, large1
P0: mprotect A[4:6] r                  # cow.c: mprotect(mem, size, PROT_READ)
P0: clear_refs                    # clear_softdirty()
P0: mprotect A[4:6] rw
P0: pin K = A[4:6] longterm fast
P0: write A[4:6] = 0xff
dma read K[0] -> v0
dma read K[1] -> v1
P0: unpin K

expect pmd == false
expect large0 == true
expect large1 == true
expect v0 == 0xff                  # PASS: the pin sees the CPU's write
expect[linux-5.9,linux-5.11,linux-5.18] v0 == 1        # FAIL: the pinned page is stale
expect v1 == 0xff                  # PASS: the pin sees the CPU's write
expect[linux-5.9,linux-5.11,linux-5.18] v1 == 1        # FAIL: the pinned page is stale
expect lost_coherence == 0
expect[linux-5.9,linux-5.11,linux-5.18] lost_coherence == 2
