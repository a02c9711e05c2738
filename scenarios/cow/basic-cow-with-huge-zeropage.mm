# cow.c non-anon "Basic COW" (with huge zeropage), cow-gup.md §8.5 #19.
# run_with_huge_zeropage(): two private anon mappings, mem (RW) and smem (R/O),
# MADV_HUGEPAGE, read-faulted: do_huge_pmd_anonymous_page() sees a read fault
# with transparent_hugepage/use_zero_page set and maps the huge zero page with
# one R/O PMD in both (set_huge_zero_folio(); no refcount, no rss). cow.c skips
# unless pagemap shows the *second* subpage populated too. memset(mem) write-
# faults: do_huge_pmd_wp_page() on the huge zero PMD, per era (knob
# huge-zero-wp): <= 5.7 "goto alloc" and 6.13+ do_huge_zero_wp_pmd()
# (1ced09e0331f) map a new zeroed THP; 5.8-6.12 (3917c80280c9) split the PMD into
# PTEs of the small zero page and COW 4K at a time. Either way smem keeps the
# huge zero PMD and reads 0: PASS in every era.
# config thp_order=2: a THP is 4 pages; M[4:8] and S[4:8] are the aligned halves.
scenario basic-cow-with-huge-zeropage
doc "Writing a huge-zero-page-backed mapping must not modify another mapping of the huge zero page"
ref tools/testing/selftests/mm/cow.c "Basic COW" (with huge zeropage)
ref cow-gup.md §8.5 #19
config thp_order=2
config memory=64

P0: mmap M 8 rw
P0: mmap S 8 r
P0: madvise M hugepage
P0: madvise S hugepage
P0: read M[4] -> m0                 # tmp = *mem + *smem
P0: read S[4] -> s0
P0: present M[5] -> mpop            # pagemap_is_populated(mem + pagesize)
P0: present S[5] -> spop
P0: pmd_mapped M[4] -> mpmd
P0: pfn M[4] -> zm
P0: pfn S[4] -> zs
P0: write M[4:8] = 0xff             # memset(mem, 0xff, thpsize)
P0: pfn M[4] -> m1
P0: pmd_mapped M[4] -> m1pmd
P0: pfn S[4] -> s1
P0: read S[4:8] -> a0, a1, a2, a3   # memcmp(smem, old)

expect m0 == 0
expect mpop == true                 # the huge zero PMD populates every subpage
expect spop == true
expect mpmd == true
expect zm == zs                     # both map the huge zero page
expect m1 != zm
expect m1pmd == true                # a new THP replaced the huge zero PMD
expect[linux-5.8,linux-5.9,linux-5.11,linux-5.18,linux-5.19,linux-6.1] m1pmd == false   # split + 4K COW
expect s1 == zs
expect a0 == 0                      # PASS
expect a1 == 0
expect a2 == 0
expect a3 == 0
expect leaks == 0
