# cow.c "R/O GUP pin on R/O-mapped exclusive page" with single PTE of swapped-out THP,
# cow-gup.md §8.2 item 3, §8.3 #13, §8.6 "swapped-out base page" modifier.
# Single PTE of swapped-out THP (cow.c THP_RUN_SINGLE_PTE_SWAPOUT; config
# thp_order=2: the THP is the 4 pages A[4:8] of an 8-page mapping). cow.c's
# do_run_with_thp() order: the memset PMD-maps a THP, MADV_DONTNEED of all
# but the first subpage splits the PMD and leaves one PTE mapping subpage 0
# of a still-large folio (size = 1 page), and only then MADV_PAGEOUT of that
# one page (cow.c SKIPs unless it is swapped). The folio sticks out of the
# range and is split (split_folio(); the unmapped subpages are freed); subpage
# 0 gets a swap PTE (PTE_SWP_EXCLUSIVE in 5.19+) and comes back as a small
# page: it follows the "swapped-out base page" modifier of §8.6.
# mprotect(R), clear_refs, mprotect(RW) act on the swap PTEs; the R/O pin
# swaps the pages in. 5.19+: the swap PTEs kept the exclusive bit, the pages
# come back PG_anon_exclusive (mapped R/O: soft-dirty tracking wants the
# write fault), the pin needs no unshare and the write reuses them: PASS.
# - <= 5.8: mapcount 1 -> reuse: PASS.
# - 5.9-5.18: the pin's references make the write copy: FAIL.
# Same outcomes as cow-thp/ro-gup-pin-on-ro-mapped-exclusive-page-with-single-pte-of-thp.mm (not swapped out).
# Outcome (cow.c): 5.7 PASS, 5.8 PASS, 5.9 FAIL, 5.11 FAIL, 5.18 FAIL, 5.19 PASS, 6.1 PASS, 6.13 PASS, 6.18 PASS.
scenario ro-gup-pin-on-ro-mapped-exclusive-page-with-single-pte-of-swapped-out-thp
doc "A R/O long-term pin on an exclusive, swapped-out single PTE of a THP stays coherent"
ref tools/testing/selftests/mm/cow.c "R/O GUP pin on R/O-mapped exclusive page" (with single PTE of swapped-out THP)
ref cow.c do_run_with_thp() (THP_RUN_SINGLE_PTE_SWAPOUT)
ref cow-gup.md §5.5, §5.6, §8.2, §8.3 #13, §8.6
config thp_order=2
config memory=64
config swap=16

P0: mmap A 8 rw
P0: madvise A hugepage
P0: write A[4:8] = 1               # memset(mem, 1, thpsize): PMD-mapped THP
P0: madvise A[5:8] dontneed         # cow.c: MADV_DONTNEED on all but the first subpage
P0: present A[5:8] -> gone1, gone2, gone3
P0: pmd_mapped A[4] -> pmd
P0: thp A[4] -> large0
P0: madvise A[4] pageout            # cow.c: MADV_PAGEOUT of size = pagesize
P0: swapped A[4] -> s0              # cow.c: SKIP unless swapped
P0: mprotect A[4] r
P0: clear_refs                    # clear_softdirty()
P0: mprotect A[4] rw
P0: pin K = A[4] longterm
P0: anon_exclusive A[4] -> pae0
P0: write A[4] = 0xff
dma read K[0] -> v0
P0: unpin K

expect pmd == false
expect large0 == true
expect gone1 == false
expect gone2 == false
expect gone3 == false
expect s0 == true
expect pae0 == true
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] pae0 == none
expect v0 == 0xff                  # PASS: the pin sees the CPU's write
expect[linux-5.9,linux-5.11,linux-5.18] v0 == 1        # FAIL: the pinned page is stale
expect lost_coherence == 0
expect[linux-5.9,linux-5.11,linux-5.18] lost_coherence == 1
