# cow.c non-anon "R/O longterm GUP pin" (with huge zeropage), cow-gup.md §8.5 #20, §7.8.
# run_with_huge_zeropage() read-faults mem: the huge zero page is mapped by one
# R/O PMD (do_huge_pmd_anonymous_page(), use_zero_page=1). do_test_ro_pin()
# pins the whole THP range R/O with FOLL_LONGTERM, memsets mem and reads it
# back through the pin.
# 6.2+ (84209e87c696): gup_must_unshare() is true for a non-anon page in a COW
# mapping under FOLL_LONGTERM (follow_huge_pmd() / gup_fast_pmd_leaf() return
# -EMLINK / fall back): FAULT_FLAG_UNSHARE -> do_huge_pmd_wp_page() on
# the huge zero PMD. 6.13+ (1ced09e0331f do_huge_zero_wp_pmd()): a new zeroed
# THP, mapped exclusive (and writable: map_anon_folio_pmd() does not look at
# UNSHARE); the pin is taken on it and the memset reuses it: PASS. (6.2-6.12,
# no profile here: split into small-zero-page PTEs, then do_wp_page(unshare)
# copies 4K per pinned page: PASS as well.)
# 5.7, 5.9-6.1: no unshare of non-anon pages: the pin holds the huge zero page
# itself; the memset replaces the mapping (5.7: a new THP; 5.9-6.1: split +
# 4K COW) and the pin still reads 0: FAIL (§7.8, §8.6 "non-anon #20/#21: FAIL
# before 84209e87c696").
# 5.8 (A'): should_force_cow_break() makes the pin FOLL_WRITE: the write fault
# splits the huge zero PMD (3917c80280c9) and COWs each pinned page to a new
# writable anon page before pinning it: the pin sees the memset: PASS.
scenario ro-longterm-gup-pin-with-huge-zeropage
doc "A R/O long-term pin on the huge zero page unshares it first (6.2+), so the pin sees later writes"
ref tools/testing/selftests/mm/cow.c "R/O longterm GUP pin" (with huge zeropage)
ref cow-gup.md §5.5 (C′ 6.2+), §7.8, §8.5 #20, §8.6
config thp_order=2
config memory=64

P0: mmap A 8 rw
P0: madvise A hugepage
P0: read A[4] -> z0                 # populate the huge zero page
P0: present A[5] -> pop
P0: pfn A[4] -> zp0
P0: pin K = A[4:8] longterm
P0: pfn A[4] -> p0
P0: pmd_mapped A[4] -> pmd0
P0: anon_exclusive A[4] -> pae
P0: write A[4:8] = 0xff             # memset(mem, 0xff, size)
P0: pfn A[4] -> p1
dma read K[0] -> v0
dma read K[3] -> v3
P0: unpin K

expect z0 == 0
expect pop == true
expect p0 != zp0                    # unshared: a new THP replaced the huge zero PMD
expect pmd0 == true
expect pae == true
expect p1 == p0
expect v0 == 0xff                   # PASS
expect v3 == 0xff
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18,linux-5.19,linux-6.1] pae == none
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18,linux-5.19,linux-6.1] p0 == zp0      # pinned the huge zero page itself
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18,linux-5.19,linux-6.1] p1 != p0       # the memset replaced the mapping
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18,linux-5.19,linux-6.1] v0 == 0        # FAIL: the pin reads the zero page
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18,linux-5.19,linux-6.1] v3 == 0
expect[linux-5.8] pmd0 == false                                                        # split, then a 4K COW per page
expect lost_coherence == 0
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18,linux-5.19,linux-6.1] lost_coherence == 4   # each of the 4 pinned pages
