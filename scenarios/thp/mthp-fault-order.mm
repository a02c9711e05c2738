# alloc_anon_folio() (mm/memory.c, 6.8+): a write fault takes the highest
# enabled order whose naturally aligned range lies in the VMA and has only
# none PTEs, falling back order by order, then to order 0. Here orders 2 and
# 3 are `always`, the PMD (order 4) never:
# - A[9]: A[8:16] is all none: an order-3 folio (8 PTEs, all writable).
# - A[5] after a read of A[1] (a zero-page PTE): A[0:8] is not all none,
#   A[4:8] is: an order-2 folio.
# - A[2]: neither A[0:8] nor A[0:4] is all none: a small page.
# Outcome: 5.7-6.1 SKIP (no per-size THP controls before 6.8); 6.13, 6.18 PASS.
scenario mthp-fault-order
doc "mTHP write faults: highest enabled order that fits, then fallback"
ref mm/memory.c alloc_anon_folio(), pte_range_none(); include/linux/huge_mm.h thp_vma_suitable_order()
config thp_order=4
config mthp=2:always,3:always,4:never
config memory=64

P0: mmap A 16 rw
P0: write A[9] = 9
P0: present A[8:16] -> a8, a9, a10, a11, a12, a13, a14, a15
P0: thp A[15] -> t15
P0: pmd_mapped A[9] -> pmd
P0: refcount A[8] -> ref8
P0: mapcount A[15] -> map15
P0: rss_anon -> rss0
P0: read A[1] -> z
P0: write A[5] = 5
P0: present A[4:8] -> b4, b5, b6, b7
P0: thp A[4] -> t4
P0: pfn A[4] -> p4
P0: pfn A[8] -> p8
P0: write A[2] = 2
P0: thp A[2] -> t2
P0: present A[3] -> a3
P0: rss_anon -> rss1

expect a8 == true
expect a15 == true
expect t15 == true
expect pmd == false
expect ref8 == 8                   # one reference per PTE (folio_ref_add(nr - 1))
expect map15 == 1
expect rss0 == 8
expect z == 0
expect b4 == true
expect b7 == true
expect t4 == true
expect p4 != p8
expect t2 == false                 # order 0
expect a3 == false
expect rss1 == 13                  # 8 + 4 + 1
