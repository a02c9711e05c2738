# cow.c "vmsplice() before fork(), unmap in parent after fork()" (with single PTE of THP), cow-gup.md §8.3 #5, §8.2 item 3, §8.6.
# Single PTE of THP: the THP is PMD-mapped by the memset, then MADV_DONTNEED of
# subpages 1..3 splits the PMD and zaps their PTEs. What remains is ONE PTE
# mapping subpage 0 of a still-large folio (deferred split); size = 1 page.
# Per era, for a subpage of a large folio (§5.2, §5.3, §8.6):
#  5.7/5.8: reuse_swap_page() = max subpage mapcount + compound mapcount: 1
#           (only subpage 0 is mapped), as for a base page.
#  5.9-5.18: the subpage ref is the folio's; the folio's refcount >= its PTE
#           mappings = 1, so ref == 1 <=> no extra reference: as a base page
#           (ref 1 + mapcount 1 => reuse; pins/pipe refs => copy).
#  5.19+:   PAE as for a base page; a !PAE subpage of a large folio is copied
#           (5.19-6.13) or reused iff only this MM maps the folio and
#           refcount == large_mapcount (6.18). Pins are reliable either way.
# Hence every outcome equals the base-page row of §8.6.
# The pipe references the still-exclusive page before fork (5.8's forced write
# fault reuses it, mapcount 1). fork shares it; the parent unmaps; the child's
# write: 5.7/5.8 mapcount 1 => reuse => LEAK from child into parent. 5.9-5.18:
# pipe refs => copy => PASS. 5.19+: !PAE (fork), refcount > mapcount => PASS.
# Outcome (cow.c): 5.7 FAIL, 5.8 FAIL, 5.9 PASS, 5.11 PASS, 5.18 PASS, 5.19 PASS, 6.1 PASS, 6.13 PASS, 6.18 PASS.
scenario vmsplice-before-fork-unmap-in-parent-after-fork-with-single-pte-of-thp
doc "cow.c vmsplice() before fork(), unmap in parent after fork() (with single PTE of THP)"
ref tools/testing/selftests/mm/cow.c "vmsplice() before fork(), unmap in parent after fork()" (with single PTE of THP)
ref cow-gup.md §8.3 #5, §8.2 item 3, §8.6, §5.2, §5.3, §4.1
config thp_order=2
config memory=64

P0: mmap A 8 rw
P0: madvise A hugepage
P0: write A[4:8] = 1               # memset(mem, 1, thpsize): PMD-mapped THP
P0: madvise A[5:8] dontneed         # cow.c: MADV_DONTNEED on all but the first subpage
P0: present A[5:8] -> gone1, gone2, gone3
P0: pmd_mapped A[4] -> pmd
P0: thp A[4] -> large0
P0: vmsplice A[4] -> pipe p
P0: fork P1
P0: munmap A[4]
P1: write A[4] = 0xff
P1: exit
P0: read pipe p -> x0

expect pmd == false
expect large0 == true
expect gone1 == false
expect gone2 == false
expect gone3 == false
expect x0 == 1                     # PASS: the pipe holds the old data
expect[linux-5.7,linux-5.8] x0 == 0xff   # LEAK
expect leaks == 0
expect[linux-5.7,linux-5.8] leaks == 1        # one per page read from the pipe
