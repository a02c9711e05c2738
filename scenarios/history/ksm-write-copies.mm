# cow-gup.md §3.1, §4.1, §5.2, §7.8 (KSM): a write fault on a KSM page.
# <= 5.8 (A/A'): do_wp_page() tries reuse_ksm_page(): if the page is not in the
#   swap cache and its refcount can be frozen at 1 (mapped once, no other
#   references) the page is taken back as an ordinary anon page and reused in
#   place; otherwise (here: merged from two pages, refcount 2) it is copied.
# 5.9+ (B, B18, C): "mm/ksm: Remove reuse_ksm_page()" (Peter Xu, v5.9, with
#   09854ba94c6a): a KSM page is always copied (B: "PageKsm(page) || ref != 1";
#   C: wp_can_reuse_anon_folio() returns false for KSM, and KSM pages are never
#   PAE).
# Thread: Peter Xu's series <20200821234958.7896-1-peterx@redhat.com>.
# Page S is a KSM page mapped once (refcount 1); D[0]/D[1] were merged into one
# KSM page (refcount 2, mapcount 2). The twin D[1] keeps the old contents in
# every era.
scenario ksm-write-copies
doc "A write to a KSM page copies; only <= 5.8 reuses a KSM page whose refcount is 1"
ref cow-gup.md §3.1 (reuse_ksm_page), §4 ("mm/ksm: Remove reuse_ksm_page()"), §4.1, §5.2, §7.8 KSM
ref <20200821234958.7896-1-peterx@redhat.com>

P0: mmap S 1 rw
P0: mmap D 2 rw
P0: write S = 5
P0: write D = 6
P0: ksm_merge S[0] -> ms            # a lone KSM page
P0: ksm_merge D[0] -> md0
P0: ksm_merge D[1] -> md1           # merged with its twin
P0: pfn S[0] -> s
P0: pfn D -> d0, d1
P0: refcount S[0] -> rs
P0: refcount D[0] -> rd
P0: mapcount D[0] -> md
P0: write S[0] = 7
P0: pfn S[0] -> s1
P0: write D[0] = 8
P0: pfn D -> e0, e1
P0: read D -> v0, v1

expect ms == OK
expect md0 == OK
expect md1 == OK
expect d0 == d1                     # one KSM page for both
expect rs == 1
expect rd == 2
expect md == 2
expect s1 != s                      # 5.9+: KSM pages are always copied
expect[linux-5.7,linux-5.8] s1 == s # reuse_ksm_page(): refcount froze at 1
expect e0 != d0                     # shared KSM page: copied in every era
expect e1 == d1
expect v0 == 8
expect v1 == 6                      # the twin is untouched
