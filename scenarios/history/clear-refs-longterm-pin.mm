# cow-gup.md §7.2a: clear_refs(4) (soft-dirty reset) on memory that a device
# holds with a long-term R/W pin (RDMA / VFIO: pin_user_pages(FOLL_WRITE|
# FOLL_LONGTERM)), single process, no fork.
# Bug: 09854ba94c6a "mm: do_wp_page() simplification" (v5.9) made a write fault
# reuse only if refcount == 1; clear_refs(4) write-protects the pinned PTE, the
# next CPU write sees refcount 1025 and copies, and CPU and device diverge.
# Thread: Andrea Arcangeli "[PATCH 0/1] mm: restore full accuracy in COW page
# reuse" <20210110004435.26382-1-aarcange@redhat.com> (not merged); David
# Hildenbrand <bb071419-bf40-c5ed-4b2d-d5eb03031b0a@redhat.com> ("A VM with
# VFIO ... can essentially be corrupted by 'echo 4 > /proc/[pid]/clear_refs'");
# Jason Gunthorpe <20210115183721.GG4605@ziepe.ca> ("This is now a real world
# uABI break"). Fix: 9348b73c2e1b "mm: don't play games with pinned pages in
# clear_page_refs" (5.11-rc, stable 5.10.9): skip pte_is_pinned() PTEs.
# Per era:
# <= 5.8 (A/A'): clear_refs write-protects; the write sees mapcount 1 and
#   reuses: coherent.
# 5.9 (B, 5.10.0-5.10.8): clear_refs write-protects; the write sees refcount
#   1025 -> wp_page_copy(): the device reads stale data and its writes never
#   reach the CPU (VM memory corruption).
# 5.11-5.18 (B + skip), 6.18 (C): clear_refs leaves the writable PTE of the
#   maybe-pinned page alone (it stays soft-dirty, "reported dirty forever"); no
#   fault at all: coherent.
scenario clear-refs-longterm-pin
doc "clear_refs(4) on a long-term R/W pinned page: 5.9 copies on the next write and the pin goes stale"
ref cow-gup.md §7.2 (7.2a), §4.5, §2.2 item 3, §6 row 13
ref 09854ba94c6a (v5.9, the refcount rule); 9348b73c2e1b (v5.11 / 5.10.9, the pte_is_pinned() skip)
ref <20210110004435.26382-1-aarcange@redhat.com>; <bb071419-bf40-c5ed-4b2d-d5eb03031b0a@redhat.com>; <20210115183721.GG4605@ziepe.ca>

P0: mmap A 1 rw
P0: write A[0] = 1
P0: pfn A[0] -> x
P0: pin K = A[0] write longterm     # RDMA memory registration / VFIO DMA map
P0: clear_refs                      # echo 4 > /proc/PID/clear_refs (e.g. live migration)
P0: softdirty A[0] -> sd            # 5.11+: skipped, so still soft-dirty
P0: write A[0] = 2                  # the guest / application writes
P0: pfn A[0] -> x1
P0: refcount A[0] -> r1
dma read K[0] -> v                  # the device reads the buffer
dma write K[0] = 3                  # the device writes the buffer
P0: read A[0] -> cpu_sees
P0: unpin K dirty

expect sd == true
expect[linux-5.7,linux-5.8,linux-5.9] sd == false     # write-protected and cleaned
expect x1 == x
expect[linux-5.9] x1 != x                              # the write copied
expect r1 == 1025
expect[linux-5.9] r1 == 1                              # the CPU's page is no longer the pinned one
expect v == 2
expect[linux-5.9] v == 1                               # device reads stale data
expect cpu_sees == 3
expect[linux-5.9] cpu_sees == 2                        # device writes are lost for the CPU
expect lost_coherence == 0
expect[linux-5.9] lost_coherence == 1
