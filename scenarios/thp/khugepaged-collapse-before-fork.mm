# khugepaged collapses a range of small pages into a new THP before fork
# (cow.c #15 "Basic COW after fork() when collapsing before fork()", with
# khugepaged as the collapser instead of MADV_COLLAPSE; cow-gup.md §7.7).
# The 8 pages are written before MADV_HUGEPAGE (thp=madvise: small pages),
# then MADV_HUGEPAGE makes the VMA eligible (khugepaged_enter_vma()) and one
# khugepaged pass (hpage_collapse_scan_pmd(): 0 none, 0 swap, 0 shared PTEs,
# young PTEs, refcount == mapcount) copies them into a new THP mapped by a
# PMD: collapse_huge_page() -> folio_add_new_anon_rmap(RMAP_EXCLUSIVE), so
# the new THP is PG_anon_exclusive. fork then shares it like any THP and the
# parent's write must not leak into the child.
# khugepaged is modelled with 6.18's rules in every profile (docs/thp.md).
# Outcome: PASS everywhere.
scenario khugepaged-collapse-before-fork
doc "khugepaged collapses small pages into an exclusive THP; fork + write still COWs"
ref mm/khugepaged.c hpage_collapse_scan_pmd(), collapse_huge_page()
ref cow-gup.md §7.7 Collapse, §8.4 #15
config thp_order=3
config memory=64

P0: mmap A 8 rw
P0: write A = 1                    # 8 small pages: the VMA is not VM_HUGEPAGE yet
P0: thp A[0] -> small
P0: madvise A hugepage
P0: pmd_mapped A[0] -> before
khugepaged -> n
P0: pmd_mapped A[0] -> after
P0: anon_exclusive A[0] -> ae
P0: read A[7] -> kept
P0: fork P1
P1: read A[0] -> o0
P0: write A = 0xff
P1: read A[0] -> c0
P1: read A[7] -> c7

expect small == false
expect before == false
expect n == 1                      # one range collapsed
expect after == true
expect[linux-5.19,linux-6.1,linux-6.13,linux-6.18] ae == true   # RMAP_EXCLUSIVE
expect kept == 1                   # the contents were copied
expect o0 == 1
expect c0 == 1                     # PASS: the child still sees the old data
expect c7 == 1
expect leaks == 0
