# A short-term R/O pin (no FOLL_LONGTERM) of the shared zero page, the
# companion of cow.c's "R/O longterm GUP pin" (with shared zeropage).
# gup_must_unshare() (6.2+, 84209e87c696) unshares non-anon pages only for
# FOLL_LONGTERM; a short-term pin such as O_DIRECT's or process_vm_readv()'s
# is taken on the zero page itself (try_grab_folio() takes no reference on it,
# c8070b787519). The process's later write faults in a new anonymous page;
# the pin still reads zeroes. That is by design: a short-term reader does not
# promise coherence with later writes. 5.8 (A'): should_force_cow_break()
# makes every GUP in a COW mapping a write fault first, so the pin lands on a
# new anon page and sees the write.
scenario ro-shortterm-gup-pin-with-shared-zeropage
doc "A short-term R/O pin of the zero page stays on the zero page (no unshare), so it does not see later writes"
ref cow-gup.md §5.5, §7.8 ("Zero page and R/O long-term pins"), §3.7

P0: mmap A 1 rw
P0: read A[0] -> z
P0: pfn A[0] -> zp
P0: pin S = A[0]                    # short-term R/O pin: no unshare
P0: pfn A[0] -> q0
P0: write A[0] = 0xee
dma read S[0] -> sv
P0: unpin S

expect z == 0
expect q0 == zp                     # still the zero page
expect sv == 0                      # the pin reads the zero page
expect lost_coherence == 1          # the pinned zero page is no longer the mapped page
expect[linux-5.8] q0 != zp          # forced COW break: a new anon page
expect[linux-5.8] sv == 0xee
expect[linux-5.8] lost_coherence == 0
