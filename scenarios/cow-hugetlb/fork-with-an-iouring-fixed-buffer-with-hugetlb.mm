# cow.c "fork() with an iouring fixed buffer" (with hugetlb), cow-gup.md
# §8.2 item 4, §8.3 #8, §7.4, §5.9, §8.6 ("#8 PASS from 4eae4efa2c29 on").
# The huge page is R/W long-term pinned (sets MMF_HAS_PINNED), then fork.
# 6.18: copy_hugetlb_page_range() -> hugetlb_try_dup_anon_rmap() fails for a
# PG_anon_exclusive, maybe-DMA-pinned page, so the child gets a copy in the
# second huge page and the parent's PTE stays writable: the memset lands in
# the pinned page. PASS.
# 4eae4efa2c29 "hugetlb: do early cow when page pinned on src mm" (Peter Xu,
# page_needs_cow_for_dma()) brought this to hugetlb in the v5.12-rc cycle,
# three releases after the base-page fix (70e806e4e645, v5.9): its v4 was
# posted on 8 Feb 2021 (cow-gup.md §11 only says ">=5.10 [UNVERIFIED]"). The
# model makes it its own knob: hugetlb-fork=share-pinned (<= 5.11) or
# copy-pinned (5.12+).
# So: 5.7 - 5.11 (copy_hugetlb_page_range() ignores pins): the page is
# shared, the parent's memset sees mapcount 2 in hugetlb_wp() and copies, the
# pin stays on the page the child keeps: FAIL (stale fixed buffer).
# linux-5.18 and linux-6.18: PASS.
scenario fork-with-an-iouring-fixed-buffer-with-hugetlb
doc "fork() must not share a long-term pinned hugetlb page: the child gets a copy (4eae4efa2c29)"
ref tools/testing/selftests/mm/cow.c "fork() with an iouring fixed buffer" (with hugetlb)
ref cow-gup.md §5.9, §7.4, §8.3 #8, §8.6; 4eae4efa2c29 "hugetlb: do early cow when page pinned on src mm"
config hugetlb=2

P0: mmap A 1 rw hugetlb
P0: write A[0] = 1
P0: pfn A[0] -> p0
P0: pin K = A[0] write longterm
P0: fork P1                         # child kept alive until the end
P1: pfn A[0] -> c0
P0: write A[0] = 0xff
P0: pfn A[0] -> p1
dma read K[0] -> v
P1: read A[0] -> child_sees

expect c0 != p0                     # the child got a copy at fork
expect p1 == p0                     # the parent kept the pinned page (no fault needed)
expect v == 0xff                    # PASS
expect child_sees == 1
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11] c0 == p0     # shared at fork
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11] p1 != p0     # hugetlb_wp(): mapcount 2 -> copy
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11] v == 1       # FAIL: the pin is stale
expect lost_coherence == 0
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11] lost_coherence == 1
