# cow.c "Basic COW after fork()" with swapped-out THP,
# cow-gup.md §8.2 item 3, §8.3 #1, §8.6 "swapped-out base page" modifier.
# Swapped-out THP (cow.c THP_RUN_PMD_SWAPOUT; config thp_order=2: the THP is
# the 4 pages A[4:8] of an 8-page mapping): the memset PMD-maps a THP, then
# MADV_PAGEOUT of the whole THP (cow.c SKIPs unless every page is swapped).
# The model splits the folio before swap-out (as with CONFIG_THP_SWAP=n,
# src/model/vmscan.cpp), so each subpage gets a swap PTE of its own
# (PTE_SWP_EXCLUSIVE in 5.19+: the PMD was PG_anon_exclusive) and comes back
# as a small page. No THP is left to fault on, so the PMD-mapped THP rules of
# §8.6 (do_huge_pmd_wp_page()) do not apply: every page follows the
# "swapped-out base page" modifier of §8.6.
# fork duplicates each swap entry (swapcount 2; 5.19+ clears the exclusive
# bit). The child reads (swap-in, R/O, into the swap cache); the parent's
# write fault finds the page in the swap cache, mapped by the child, and
# copies (<= 5.17 reuse_swap_page(): mapcount 1 + swapcount 1 = 2 -> no
# reuse; 5.18+ refcount > 1, and 5.19+ the swap PTE is no longer exclusive).
# PASS in every era.
# Same outcomes as cow-thp/basic-cow-after-fork-with-thp.mm (not swapped out).
# Outcome (cow.c): 5.7 PASS, 5.8 PASS, 5.9 PASS, 5.11 PASS, 5.18 PASS, 5.19 PASS, 6.1 PASS, 6.13 PASS, 6.18 PASS.
scenario basic-cow-after-fork-with-swapped-out-thp
doc "After fork() of a swapped-out THP the parent's write must not be visible to the child"
ref tools/testing/selftests/mm/cow.c "Basic COW after fork()" (with swapped-out THP)
ref cow.c do_run_with_thp() (THP_RUN_PMD_SWAPOUT)
ref cow-gup.md §8.2, §8.3 #1, §8.6
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
P0: fork P1
P1: read A[4:8] -> o0, o1, o2, o3  # child backs up mem (swap-in)
P0: write A[4:8] = 0xff             # parent memset(mem, 0xff)
P1: read A[4:8] -> c0, c1, c2, c3  # child memcmp(old, mem)
P0: read A[4:8] -> m0, m1, m2, m3

expect pmd == true
expect large0 == true
expect large1 == true
expect large2 == true
expect large3 == true
expect s0 == true
expect s1 == true
expect s2 == true
expect s3 == true
expect o0 == 1
expect c0 == 1                     # PASS: the child still sees the old data
expect m0 == 0xff
expect o1 == 1
expect c1 == 1                     # PASS: the child still sees the old data
expect m1 == 0xff
expect o2 == 1
expect c2 == 1                     # PASS: the child still sees the old data
expect m2 == 0xff
expect o3 == 1
expect c3 == 1                     # PASS: the child still sees the old data
expect m3 == 0xff
expect leaks == 0
