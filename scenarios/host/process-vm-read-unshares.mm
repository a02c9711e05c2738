# Written from a 6.18 host run: process_vm_readv() pins the target's page
# R/O (pin_user_pages_remote(), FOLL_PIN without FOLL_WRITE); a COW-shared
# anonymous page must be unshared first (gup_must_unshare()), so the target's
# PFN changes and its pagemap exclusive bit becomes 1; the reader gets the data.
scenario host-process-vm-read-unshares
doc "process_vm_readv unshares the target's COW-shared page"
ref cow-gup.md §7.8, §9.3; mm/gup.c gup_must_unshare()

P0: mmap A 1 rw
P0: write A[0] = 0x77
P0: pfn A[0] -> x
P0: fork P1
P1: exclusive A[0] -> ex0
P0: process_vm_read P1 A[0] -> got
P1: pfn A[0] -> y
P1: exclusive A[0] -> ex1
P0: pfn A[0] -> px
P0: exclusive A[0] -> pex
P0: process_vm_write P1 A[0] = 0x99
P1: read A[0] -> cv
P0: read A[0] -> pv

expect got == 0x77
expect ex0 == false
expect y != x
expect ex1 == true
expect px == x
expect pex == true
expect cv == 0x99
expect pv == 0x77
# Before 5.19, except 5.8's forced COW break: the R/O pin takes the shared page
# as it is, nothing changes in the target (cow-gup.md §7.8).
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] y == x
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] ex1 == false
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] pex == false
