# The classic O_DIRECT + fork() hazard (cow-gup.md §7.4, "fork() after GUP
# never worked reliably with FOLL_GET"). A R/W FOLL_GET (get_user_pages(
# FOLL_WRITE), as O_DIRECT read used before 6.5) is not a pin:
# folio_maybe_dma_pinned() is false (refcount 2 < 1024), so fork shares the
# page (folio_try_dup_anon_rmap_pte() clears PAE). The parent's next write:
# do_wp_page(), not PAE, refcount 3 -> wp_page_copy(). The "DMA" that
# completes afterwards lands in the old page, which the parent no longer maps:
# the parent never sees the data -- the child does. Still true on 6.18 for FOLL_GET users.
# Every era loses the data: <= 5.8 (A/A') copy_one_pte() shares the page and
# the parent's write sees mapcount 2 -> copy; 5.9-5.18 (B) a FOLL_GET is not
# "maybe pinned", so fork shares it and the write sees refcount 3 -> copy.
# No PG_anon_exclusive before 5.19 (probe: none).
scenario fork-gup-odirect-hazard
doc "fork() after a FOLL_GET R/W reference: the parent's COW copy detaches it from the DMA"
ref cow-gup.md §7.4, §6 row 4; mm/memory.c copy_present_ptes(), do_wp_page()

P0: mmap A 1 rw
P0: write A[0] = 1
P0: pfn A[0] -> x
P0: gup G = A[0] write              # O_DIRECT read in flight (FOLL_GET|FOLL_WRITE)
P0: fork P1
P0: anon_exclusive A[0] -> pae
P0: refcount A[0] -> r
P1: pfn A[0] -> cx
P0: write A[0] = 2                  # another thread touches the buffer
P0: pfn A[0] -> x1
dma write G[0] = 0xd0               # the O_DIRECT read's data arrives
P0: put G                           # I/O completes
P0: read A[0] -> parent_sees
P1: read A[0] -> child_sees

expect pae == false                 # a FOLL_GET ref does not stop sharing
expect r == 3
expect cx == x
expect x1 != x                      # the parent copied away from the DMA target
expect parent_sees == 2             # the read's data is lost for the parent ...
expect child_sees == 0xd0           # ... and shows up in the child instead
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] pae == none
expect leaks == 1
expect lost_coherence == 1
