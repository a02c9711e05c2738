# khugepaged collapses two PTE-mapped mTHPs into one PMD THP (6.8+). With
# hugepages-16kB/enabled = always (`config mthp=2`) and the PMD size
# inheriting `thp=madvise`, writes into a VMA without MADV_HUGEPAGE get
# order-2 folios (alloc_anon_folio()), each mapped by 4 PTEs. MADV_HUGEPAGE
# makes the PMD size allowed; khugepaged copies both mTHPs into a new THP
# (a PTE-mapped large folio is copied like small pages) and frees them.
# Outcome: 5.7-6.1 SKIP (no per-size THP controls before 6.8); 6.13, 6.18 PASS.
scenario khugepaged-collapses-mthp
doc "khugepaged collapses PTE-mapped mTHPs into a PMD-mapped THP"
ref mm/memory.c alloc_anon_folio(); mm/khugepaged.c hpage_collapse_scan_pmd()
config thp_order=3
config mthp=2
config memory=64

P0: mmap A 8 rw
P0: write A[1] = 1                 # an order-2 folio at A[0:4]
P0: write A[6] = 6                 # another at A[4:8]
P0: thp A[0] -> large0
P0: thp A[4] -> large4
P0: pfn A[0] -> f0
P0: pfn A[4] -> f4
P0: madvise A hugepage
khugepaged -> n
P0: pmd_mapped A[0] -> pmd
P0: pfn A[0] -> g0
P0: read A[1] -> x1
P0: read A[6] -> x6
P0: free_pages -> free

expect large0 == true
expect large4 == true
expect f4 != f0
expect n == 1
expect pmd == true
expect g0 != f0
expect x1 == 1
expect x6 == 6
expect free == 56                  # 64 - the 8-page THP: both mTHPs were freed
