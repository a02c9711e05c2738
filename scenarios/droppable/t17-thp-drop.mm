# droppable.md §11 T17, §3.1, §4.2 step 2. A droppable THP (MADV_HUGEPAGE,
# aligned write fault: do_huge_pmd_anonymous_page() ->
# folio_add_new_anon_rmap(), so !swapbacked too). MADV_PAGEOUT:
# try_to_unmap(TTU_SPLIT_HUGE_PMD); __discard_anon_folio_pmd_locked() refuses
# a dirty PMD, so the PMD is split and the PTE path drops the whole folio:
# every page of it reads 0. Small THPs here (config thp_order=2).
# refill: the ->fault callback maps small pages (a special mapping gets no
# THP). pinned: mmap populated the locked VMA with small pages before
# MADV_HUGEPAGE, and MADV_PAGEOUT is EINVAL.
scenario droppable-thp-drop
doc "A droppable THP is dropped whole by MADV_PAGEOUT"
ref droppable.md §11 T17, §4.2; try_to_unmap_one(), __discard_anon_folio_pmd_locked()
config thp_order=2

P0: mmap D 8 rw droppable refill 7
P0: madvise D hugepage
P0: write D = 0xaa
P0: thp D[0] -> thp
P0: lazyfree D[0] -> lf
P0: madvise D pageout -> po
P0: read D[0] -> d0
P0: read D[3] -> d3

expect thp == true
expect lf == true
expect d0 == 0
expect d3 == 0
expect[droppable=sigbus] d0 == SIGBUS
expect[droppable=sigbus] d3 == SIGBUS
expect[droppable=refill] thp == false
expect[droppable=refill] d0 == 7
expect[droppable=refill] d3 == 7
expect[droppable=pinned] thp == false
expect[droppable=pinned] lf == false
expect[droppable=pinned] po == EINVAL
expect[droppable=pinned] d0 == 0xaa
expect[droppable=pinned] d3 == 0xaa
