# cow.c "fork() with an iouring fixed buffer" (with base page), cow-gup.md
# §8.3 #8, §7.4. The buffer is R/W long-term pinned (pin_user_pages_fast(
# FOLL_WRITE|FOLL_LONGTERM)), which sets MMF_HAS_PINNED. At fork
# copy_present_ptes() -> folio_try_dup_anon_rmap_pte() returns -EBUSY
# because folio_needs_cow_for_dma() (has_pinned && folio_maybe_dma_pinned()),
# so copy_present_page() gives the child its own copy and leaves the parent's
# PTE writable. The parent's write lands in the pinned page.
# 6.18 (policy C): PASS ("we expect the pinned page to not get shared with the child").
# 5.9-5.18 (B): copy_present_page() copies maybe-pinned pages for the child
# when has_pinned (70e806e4e645): PASS.
# <= 5.8 (A/A'): copy_one_pte() ignores pins and shares the page; the parent's
# write sees mapcount 2 and copies, the pin stays on the page the child now
# owns: FAIL (§7.4, §8.6 #8).
scenario fork-with-an-iouring-fixed-buffer
doc "fork() must not share a long-term pinned page: the child gets a copy"
ref tools/testing/selftests/mm/cow.c "fork() with an iouring fixed buffer" (with base page)
ref cow-gup.md §7.4, §8.3 #8, §5.4

P0: mmap A 1 rw
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
expect[linux-5.7,linux-5.8] c0 == p0       # shared at fork
expect[linux-5.7,linux-5.8] p1 != p0       # parent copied on its write
expect[linux-5.7,linux-5.8] v == 1         # FAIL: the pin is stale
expect lost_coherence == 0
expect[linux-5.7,linux-5.8] lost_coherence == 1
