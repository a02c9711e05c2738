# cow-gup.md §7.4: fork() while a page is R/W pinned (cow.c "fork() with an
# iouring fixed buffer"; the historical RDMA "MADV_DONTFORK" requirement).
# Bug: fork shared a pinned page like any other ("COW can break either way"):
# if the parent writes first, its write fault copies and the parent leaves the
# page the device holds. Fix: 70e806e4e645 "mm: Do early cow for pinned pages
# during fork() for ptes" with 008cfe4418b3 "mm: Introduce
# mm_struct.has_pinned" (Peter Xu, v5.9): copy_present_page() gives the child
# a copy of a maybe-pinned page; 5.19+ folio_try_dup_anon_rmap_pte() -EBUSY
# (PAE && folio_needs_cow_for_dma()) does the same. RDMA exposes it as
# RDMA_NLDEV_SYS_ATTR_COPY_ON_FORK (Peter Xu's series, merged for v5.9-rc8 with
# d042035eaf5f "mm/thp: Split huge pmds/puds if they're pinned when fork()":
# "make sure userspaces that pinned some thps will still work even without
# MADV_DONTFORK and after they fork()ed").
# Buffer A: the parent writes first after fork. Buffer B: the child writes
# first (so under A/A' the child copies and the parent later reuses).
# Per era:
# <= 5.8 (A/A'): copy_one_pte() ignores the pin: A is shared (map 2), the
#   parent's write copies, the device keeps the page the child now maps: FAIL.
#   B: the child's write copies (map 2), the parent's later write reuses
#   (map 1): coherent by luck of ordering.
# 5.9-5.18 (B), 6.18 (C): the child gets a copy at fork, the parent keeps the
#   pinned pages writable: PASS for both orders.
scenario fork-while-pinned
doc "fork() with a R/W pinned page: <= 5.8 the parent's first write leaves the pinned page (FAIL); 5.9+ copies for the child"
ref cow-gup.md §7.4, §3.5, §4.3, §5.4, §6 row 3, §8.6 #8
ref 70e806e4e645, 008cfe4418b3 (v5.9); tools/testing/selftests/mm/cow.c "fork() with an iouring fixed buffer"

P0: mmap A 1 rw
P0: mmap B 1 rw
P0: write A[0] = 1
P0: write B[0] = 1
P0: pfn A[0] -> a
P0: pfn B[0] -> b
P0: pin KA = A[0] write longterm
P0: pin KB = B[0] write longterm
P0: fork P1                         # the child stays alive
P1: pfn A[0] -> ca
P0: mapcount A[0] -> ma
P0: write A[0] = 2                  # the parent writes first
P0: pfn A[0] -> a1
dma read KA[0] -> va
P1: read A[0] -> child_a
P1: write B[0] = 7                  # the child writes first ...
P0: write B[0] = 2                  # ... then the parent
P0: pfn B[0] -> b1
dma read KB[0] -> vb
P1: read B[0] -> child_b

expect ca != a                      # the child got a copy at fork
expect[linux-5.7,linux-5.8] ca == a # shared
expect ma == 1
expect[linux-5.7,linux-5.8] ma == 2
expect a1 == a
expect[linux-5.7,linux-5.8] a1 != a # the parent's write copied
expect va == 2                      # PASS
expect[linux-5.7,linux-5.8] va == 1 # FAIL: the device holds the child's page
expect child_a == 1
expect b1 == b                      # B: the parent kept (or reused) the pinned page
expect vb == 2                      # coherent in every era
expect child_b == 7
expect lost_coherence == 0
expect[linux-5.7,linux-5.8] lost_coherence == 1
expect leaks == 0
