# khugepaged never collapses a range with a pinned page (cow-gup.md §7.7):
# is_refcount_suitable() wants refcount == mapcount (+ the swap cache), so a
# FOLL_PIN (GUP_PIN_COUNTING_BIAS on a small folio) makes the scan fail with
# SCAN_PAGE_COUNT and the device keeps seeing the page the CPU writes. After
# the unpin the range collapses.
# Outcome: PASS everywhere.
scenario khugepaged-pinned-page-refused
doc "khugepaged leaves a range with a pinned page alone (SCAN_PAGE_COUNT); the pin stays coherent"
ref mm/khugepaged.c is_refcount_suitable() / folio_expected_ref_count()
ref cow-gup.md §7.7
config thp_order=3
config memory=64

P0: mmap A 8 rw
P0: write A = 1
P0: madvise A hugepage
P0: pin K = A[3] write longterm    # an io_uring fixed buffer
khugepaged -> n0
P0: pmd_mapped A[0] -> pmd0
P0: write A[3] = 5
dma read K[0] -> v
P0: unpin K
khugepaged -> n1
P0: pmd_mapped A[0] -> pmd1
P0: read A[3] -> x

expect n0 == 0                     # SCAN_PAGE_COUNT
expect pmd0 == false
expect v == 5                      # the pin is coherent
expect lost_coherence == 0
expect n1 == 1
expect pmd1 == true
expect x == 5
