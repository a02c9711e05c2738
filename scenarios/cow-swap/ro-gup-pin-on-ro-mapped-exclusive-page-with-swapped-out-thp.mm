# cow.c "R/O GUP pin on R/O-mapped exclusive page" with swapped-out THP,
# cow-gup.md §8.2 item 3, §8.3 #13, §8.6 "swapped-out base page" modifier.
# Swapped-out THP (cow.c THP_RUN_PMD_SWAPOUT; config thp_order=2: the THP is
# the 4 pages A[4:8] of an 8-page mapping): the memset PMD-maps a THP, then
# MADV_PAGEOUT of the whole THP (cow.c SKIPs unless every page is swapped).
# The model splits the folio before swap-out (as with CONFIG_THP_SWAP=n,
# src/model/vmscan.cpp), so each subpage gets a swap PTE of its own
# (PTE_SWP_EXCLUSIVE in 5.19+: the PMD was PG_anon_exclusive) and comes back
# as a small page. No THP is left to fault on, so the PMD-mapped THP rules of
# §8.6 (do_huge_pmd_wp_page()) do not apply: every page follows the
# "swapped-out base page" modifier of §8.6.
# mprotect(R), clear_refs, mprotect(RW) act on the swap PTEs; the R/O pin
# swaps the pages in. 5.19+: the swap PTEs kept the exclusive bit, the pages
# come back PG_anon_exclusive (mapped R/O: soft-dirty tracking wants the
# write fault), the pin needs no unshare and the write reuses them: PASS.
# - <= 5.8: mapcount 1 -> reuse: PASS.
# - 5.9-5.18: the pin's references make the write copy: FAIL.
# Differs from cow-thp/ro-gup-pin-on-ro-mapped-exclusive-page-with-thp.mm (not swapped out: 5.9 PASS, 5.11 PASS).
# Outcome (cow.c): 5.7 PASS, 5.8 PASS, 5.9 FAIL, 5.11 FAIL, 5.18 FAIL, 5.19 PASS, 6.1 PASS, 6.13 PASS, 6.18 PASS.
scenario ro-gup-pin-on-ro-mapped-exclusive-page-with-swapped-out-thp
doc "A R/O long-term pin on an exclusive, swapped-out THP stays coherent"
ref tools/testing/selftests/mm/cow.c "R/O GUP pin on R/O-mapped exclusive page" (with swapped-out THP)
ref cow.c do_run_with_thp() (THP_RUN_PMD_SWAPOUT)
ref cow-gup.md §5.5, §5.6, §8.2, §8.3 #13, §8.6
config thp_order=2
config memory=64
config swap=16

P0: mmap A 8 rw
P0: madvise A hugepage
P0: write A[4:8] = 1               # memset(mem, 1, thpsize): PMD-mapped THP
P0: pmd_mapped A[4] -> pmd
P0: thp A[4:8] -> large0, large1, large2, large3
P0: madvise A[4:8] pageout          # MADV_PAGEOUT of the whole THP
P0: swapped A[4:8] -> s0, s1, s2, s3  # cow.c: SKIP unless all swapped
P0: mprotect A[4:8] r
P0: clear_refs                    # clear_softdirty()
P0: mprotect A[4:8] rw
P0: pin K = A[4:8] longterm
P0: anon_exclusive A[4:8] -> pae0, pae1, pae2, pae3
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
expect s0 == true
expect s1 == true
expect s2 == true
expect s3 == true
expect pae0 == true
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] pae0 == none
expect pae1 == true
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] pae1 == none
expect pae2 == true
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] pae2 == none
expect pae3 == true
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] pae3 == none
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
