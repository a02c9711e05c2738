# cow.c non-anon "Basic COW" (with shared zeropage), cow-gup.md §8.5 #19.
# Two private anon mappings, mem (RW) and smem (R/O), both read-faulted:
# do_anonymous_page() maps the same shared zero page in both. memset(mem)
# write-faults: do_wp_page() -> vm_normal_page() is NULL -> wp_page_copy()
# allocates a fresh page for mem; smem still maps the zero page and reads 0.
# 6.18: PASS ("Other mapping modified" on failure).
scenario basic-cow-with-shared-zeropage
doc "Writing a zero-page-backed mapping must not modify another mapping of the zero page"
ref tools/testing/selftests/mm/cow.c "Basic COW" (with shared zeropage)
ref cow-gup.md §2.1, §8.5 #19

P0: mmap M 1 rw
P0: mmap S 1 r
P0: read M[0] -> m0
P0: read S[0] -> s0
P0: pfn M[0] -> zm
P0: pfn S[0] -> zs
P0: write M[0] = 0xff
P0: pfn M[0] -> m1
P0: pfn S[0] -> s1
P0: read S[0] -> s_after

expect zm == zs                     # both map the shared zero page
expect m1 != zm
expect s1 == zs
expect s_after == 0                 # PASS
