# process_vm_readv() pins the remote pages with pin_user_pages_remote(mm, ..,
# flags = 0): a short-term R/O FOLL_PIN. Under policy C (5.19+, so 6.18)
# gup_must_unshare() is true for a COW-shared (non-PG_anon_exclusive) page,
# so follow_page_pte() returns -EMLINK and faultin_page() runs
# FAULT_FLAG_UNSHARE in the *target*: do_wp_page(unshare) ->
# wp_can_reuse_anon_folio() sees refcount 2 -> wp_page_copy(). The target's
# PFN changes, its pagemap exclusive bit becomes 1, its new page is PAE but
# mapped R/O; the other sharer keeps the old page. The reader gets the data.
# The short-term pin is released before the syscall returns, but
# pin_user_pages_remote() sets MMF_HAS_PINNED on the target mm
# (mm_set_has_pinned_flag()). Under policies A/B nothing changed in the target.
# A zero-page mapping of the target is not unshared: the pin is short-term
# (no FOLL_LONGTERM), so gup_must_unshare() is false for the non-anon zero
# page. (Both outcomes checked on a 6.18 host with pagemap: PFN changed and
# exclusive=1 for the COW-shared page; zero-page PFN unchanged.)
# 5.7, 5.9-5.18 (A, B): the R/O reference is taken on whatever is mapped; the
# target keeps the COW-shared page (refcount 2 after the pin is dropped,
# pagemap exclusive 0) and its later write copies (§7.8: "Under A/B nothing
# changes in the target").
# 5.8 (A'): should_force_cow_break() makes the remote R/O GUP a write fault in
# the target's mm (§3.7): the target gets a private copy, as under C -- and it
# also replaces the target's zero page by a new anon page.
# No PG_anon_exclusive before 5.19 (probe: none).
scenario read-unshares-target
doc "process_vm_readv's R/O pin unshares a COW-shared page of the target (6.18)"
ref cow-gup.md §7.8, §9.3; mm/process_vm_access.c process_vm_rw_single_vec(); mm/gup.c gup_must_unshare()

P0: mmap A 1 rw
P0: write A[0] = 0x77
P0: pfn A[0] -> x
P0: mmap Z 1 rw
P0: read Z[0] -> z
P0: pfn Z[0] -> zp
P0: fork P1
P1: read Z[0] -> cz
P1: exclusive A[0] -> ex_before
P0: process_vm_read P1 A[0] -> got
P1: pfn A[0] -> y
P1: exclusive A[0] -> ex_after
P1: anon_exclusive A[0] -> pae_after
P1: refcount A[0] -> ry
P1: has_pinned -> target_hp
P0: pfn A[0] -> px
P0: exclusive A[0] -> pex
P1: write A[0] = 1                  # PAE: reused in place
P0: process_vm_read P1 Z[0] -> gz
P1: pfn Z[0] -> czp
P1: pfn A[0] -> y2

expect got == 0x77
expect ex_before == false
expect y != x                       # the target's PFN changed
expect ex_after == true
expect pae_after == true
expect ry == 1                      # the short-term pin is gone
expect target_hp == true
expect px == x                      # the other process keeps the old page
expect pex == true
expect y2 == y
expect gz == 0
expect czp == zp                    # the zero page stays
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] pae_after == none
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] y == x            # nothing changed in the target
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] ex_after == false
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] ry == 2           # still mapped by both
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] pex == false
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] y2 != y           # the target's write copies
expect[linux-5.8] czp != zp                                         # forced COW break of the zero page
expect[linux-5.7,linux-5.8] target_hp == none    # mm->has_pinned exists from 5.9 (008cfe4418b3)
