# cow-gup.md §7.4, FOLL_GET variant: the classic O_DIRECT + fork() hazard. An
# O_DIRECT read (<= 6.4: get_user_pages(FOLL_WRITE), a plain FOLL_GET
# reference) is in flight when the process forks. A FOLL_GET reference is not
# "maybe pinned" (no MMF_HAS_PINNED, refcount < 1024), so no era copies at
# fork: the page is COW-shared, and whichever write fault copies decides where
# the DMA's data ends up. "mm: COW fixes part 3: reliable GUP R/W FOLL_GET of
# anonymous pages" (David Hildenbrand, v5.19) says it "does *not* consider any
# kind of fork() after taking the reference: fork() after GUP never worked
# reliably with FOLL_GET". 6.5+ block O_DIRECT uses FOLL_PIN (copied at fork).
# Buffer A: the parent writes first after fork. Buffer B: the child writes first.
# Per era:
# A: every era copies on the parent's write (mapcount 2 / refcount 3 / not
#   PAE and refcount 3): the DMA lands in the child's page: the parent's read
#   is lost (and the child sees it).
# B: <= 5.8 (A/A'): the child's write copies (map 2), the parent's write sees
#   mapcount 1 and reuses: the parent gets its data.
#   5.9-5.18 (B): the parent's write sees refcount 2 (PTE + FOLL_GET) -> copy:
#   LOST. 6.18 (C): fork cleared PG_anon_exclusive and refcount 2 > 1 -> copy:
#   LOST.
scenario fork-while-foll-get
doc "fork() with an in-flight FOLL_GET (O_DIRECT) reference: the DMA is lost for the parent; child-first order saves it only under mapcount eras"
ref cow-gup.md §7.4, §6 row 4, §4.3 ("FOLL_GET references ... are not detected")
ref "mm: COW fixes part 3: reliable GUP R/W FOLL_GET of anonymous pages" (v5.19)

P0: mmap A 1 rw
P0: mmap B 1 rw
P0: write A[0] = 1
P0: write B[0] = 1
P0: pfn A[0] -> a
P0: pfn B[0] -> b
P0: gup GA = A[0] write             # O_DIRECT read into A in flight
P0: gup GB = B[0] write             # O_DIRECT read into B in flight
P0: fork P1
P1: pfn A[0] -> ca
P1: pfn B[0] -> cb
P0: refcount A[0] -> ra
P0: write A[0] = 2                  # the parent writes first
P0: pfn A[0] -> a1
dma write GA[0] = 0xd0              # the read's data arrives
P0: put GA
P0: read A[0] -> parent_a
P1: read A[0] -> child_a
P1: write B[0] = 7                  # the child writes first ...
P0: write B[0] = 2                  # ... then the parent
P0: pfn B[0] -> b1
dma write GB[0] = 0xd1
P0: put GB
P0: read B[0] -> parent_b
P1: read B[0] -> child_b

expect ca == a                      # shared at fork in every era
expect cb == b
expect ra == 3                      # two PTEs + the FOLL_GET reference
expect a1 != a
expect parent_a == 2                # LOST for the parent ...
expect child_a == 0xd0              # ... and visible in the child
expect b1 != b                      # the parent copied away from the DMA target
expect[linux-5.7,linux-5.8] b1 == b # mapcount 1: reuse
expect parent_b == 2                # LOST
expect[linux-5.7,linux-5.8] parent_b == 0xd1
expect child_b == 7
expect leaks == 1
expect lost_coherence == 2
expect[linux-5.7,linux-5.8] lost_coherence == 1
