# get_user_pages() (FOLL_GET) takes one plain reference per page; it is not
# a pin: pincount stays 0, MMF_HAS_PINNED is not set,
# folio_maybe_dma_pinned() is false. put_page() drops it. A R/O FOLL_GET on
# a COW-shared page does not unshare (gup_must_unshare() is only for
# FOLL_PIN); a FOLL_WRITE GUP goes through the write-fault path first
# (faultin_page(FAULT_FLAG_WRITE) -> do_wp_page()), breaking COW for the
# caller. gup "fast" takes the same references via GUP-fast.
# 5.8 (A'): should_force_cow_break() turns the R/O FOLL_GET on the COW-shared
# page into a write fault: the caller gets a private copy (refcount 1 + the
# GUP reference) and the child keeps the old page (§3.7).
# Other eras: as above. No PG_anon_exclusive before 5.19 (probe: none).
scenario gup-put
doc "FOLL_GET references: +1 per page, no pin accounting, R/O get does not unshare"
ref cow-gup.md §1.2, §5.5, §6 rows 8, 10; mm/gup.c try_grab_folio(), gup_must_unshare()

P0: mmap A 2 rw
P0: write A = 1
P0: pfn A -> a0, a1
P0: fork P1
P0: gup G = A[0] fast               # R/O FOLL_GET on the shared page
P0: pfn A[0] -> g0
P0: refcount A[0] -> rg
P0: pincount A[0] -> pcg
P0: has_pinned -> hp
P0: gup W = A[1] write              # FOLL_WRITE: COW broken first
P0: pfn A[1] -> w1
P0: refcount A[1] -> rw
P0: anon_exclusive A[1] -> ew
P0: put G
P0: put W
P0: refcount A -> r0, r1

expect g0 == a0                     # no unshare for FOLL_GET
expect rg == 3                      # two PTEs + the reference
expect pcg == 0
expect hp == false
expect w1 != a1
expect rw == 2
expect ew == true
expect r0 == 2
expect r1 == 1
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] ew == none
expect[linux-5.8] g0 != a0                    # forced COW break: private copy
expect[linux-5.8] rg == 2                     # one PTE + the reference
expect[linux-5.8] r0 == 1
expect[linux-5.7,linux-5.8] hp == none    # mm->has_pinned exists from 5.9 (008cfe4418b3)
