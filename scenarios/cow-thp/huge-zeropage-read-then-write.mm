# The huge zero page (mm/huge_memory.c): a read fault in a THP-eligible range
# of a private anon VMA maps it with one special R/O PMD (do_huge_pmd_anonymous_page(),
# "!(vmf->flags & FAULT_FLAG_WRITE) && transparent_hugepage_use_zero_page()",
# set_huge_zero_folio()): every subpage is present, reads 0, holds no reference
# and counts no rss; pagemap (pagemap_pmd_range() uses pmd_page()) reports the
# huge zero page's frames (model pfn 2^30 + subpage), PM_FILE (the huge zero
# folio is not anon) and not PM_MMAP_EXCLUSIVE (no mapcount).
# The first write, do_huge_pmd_wp_page() "if (is_huge_zero_pmd(orig_pmd))":
# <= 5.7 "goto alloc" and 6.13+ do_huge_zero_wp_pmd() (1ced09e0331f): a new
# zeroed THP, PMD-mapped W; 5.8-6.12 (3917c80280c9 "thp: change CoW semantics
# for anon-THP"): __split_huge_pmd() -> __split_huge_zero_page_pmd() maps the
# small zero page in every PTE, VM_FAULT_FALLBACK, and do_wp_page() copies one 4K page.
scenario huge-zeropage-read-then-write
doc "A THP read fault maps the huge zero page; the first write maps a THP (<= 5.7, 6.13+) or splits and copies 4K (5.8-6.12)"
ref mm/huge_memory.c do_huge_pmd_anonymous_page(), set_huge_zero_folio(), do_huge_pmd_wp_page(), __split_huge_zero_page_pmd()
ref cow-gup.md §5.8
config thp_order=2
config memory=64

P0: mmap A 8 rw
P0: madvise A hugepage
P0: mmap Z 4 rw                      # no MADV_HUGEPAGE (thp=madvise): the small zero page
P0: read Z[0] -> zz
P0: pfn Z[0] -> small
P0: read A[5] -> r5
P0: present A[4:8] -> q4, q5, q6, q7
P0: pfn A[4:8] -> h4, h5, h6, h7
P0: pmd_mapped A[4] -> pmd
P0: file A[4] -> file
P0: exclusive A[4] -> excl
P0: thp A[4] -> thp0                 # folio probes: none on a zero page
P0: rss_anon -> rss0
P0: write A[5] = 7
P0: read A[5] -> w5
P0: read A[6] -> w6
P0: pfn A[4] -> a4
P0: pfn A[5] -> a5
P0: pmd_mapped A[5] -> pmd5
P0: thp A[5] -> thp5
P0: rss_anon -> rss1

expect zz == 0
expect r5 == 0
expect q4 == true
expect q7 == true
expect h4 != small
expect h4 != h5                      # the subpages of the huge zero page
expect h6 != h7
expect pmd == true
expect file == true
expect excl == false
expect thp0 == none
expect rss0 == 0
expect w5 == 7
expect w6 == 0
expect a5 != h5
# <= 5.7, 6.13+: a new THP under the PMD.
expect a4 != small
expect pmd5 == true
expect thp5 == true
expect rss1 == 4
# 5.8-6.12: split into small-zero-page PTEs, one 4K COW.
expect[linux-5.8,linux-5.9,linux-5.11,linux-5.18,linux-5.19,linux-6.1] a4 == small
expect[linux-5.8,linux-5.9,linux-5.11,linux-5.18,linux-5.19,linux-6.1] pmd5 == false
expect[linux-5.8,linux-5.9,linux-5.11,linux-5.18,linux-5.19,linux-6.1] thp5 == false
expect[linux-5.8,linux-5.9,linux-5.11,linux-5.18,linux-5.19,linux-6.1] rss1 == 1
