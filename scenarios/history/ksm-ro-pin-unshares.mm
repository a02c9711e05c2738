# cow-gup.md §5.5, §5.7, §7.8 (KSM): a R/O long-term pin of an address mapped
# to a KSM page, then a CPU write, then the device reads through the pin.
# 6.18 (C): KSM pages are never PG_anon_exclusive, so gup_must_unshare() ->
#   FAULT_FLAG_UNSHARE -> do_wp_page(unshare) copies the KSM page into a new
#   PAE page (mapped R/O) and the pin is taken on it; the write reuses it:
#   coherent. ("An R/O pin on a KSM page under C unshares it", §7.8; a7f226604170
#   "mm/gup: trigger FAULT_FLAG_UNSHARE when R/O-pinning a possibly shared
#   anonymous page", v5.19.)
# 5.9-5.18 (B) and 5.7 (A): the pin takes a reference on the KSM page itself;
#   the write copies (KSM: B always, A because refcount 1025 != 1), the pin
#   stays on the KSM page: stale.
# 5.8 (A'): should_force_cow_break() makes the pin a write fault first: a lone
#   KSM page with refcount 1 is taken back by reuse_ksm_page() (same PFN, now
#   an ordinary anon page mapped W); a KSM page shared with a twin is copied;
#   either way the pin is on the process's own page: coherent.
# S: a lone KSM page (refcount 1). D[0]: merged with its twin D[1].
scenario ksm-ro-pin-unshares
doc "A R/O pin on a KSM page unshares it under C (and 5.8's forced COW break); A and B pin the KSM page and go stale"
ref cow-gup.md §5.5, §5.7, §7.8 KSM, §3.7; a7f226604170 (v5.19)

P0: mmap S 1 rw
P0: mmap D 2 rw
P0: write S = 5
P0: write D = 6
P0: ksm_merge S[0] -> ms
P0: ksm_merge D[0] -> md0
P0: ksm_merge D[1] -> md1
P0: pfn S[0] -> s
P0: pfn D -> d0, d1
P0: pin KS = S[0] longterm
P0: pin KD = D[0] longterm
P0: pfn S[0] -> ps
P0: pfn D -> pd0, pd1
P0: refcount D[1] -> rd1
P0: write S[0] = 7
P0: write D[0] = 8
P0: pfn S[0] -> ws
P0: pfn D[0] -> wd0
dma read KS[0] -> vs
dma read KD[0] -> vd
P0: read D[1] -> twin

expect md1 == OK
expect d0 == d1
expect ps != s                      # unshared: a private copy
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] ps == s    # pinned the KSM page itself
expect[linux-5.8] ps == s                                    # reuse_ksm_page(): same page, no longer KSM
expect pd0 != d0
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] pd0 == d0
expect pd1 == d1
expect rd1 == 1                     # the twin alone keeps the KSM page
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] rd1 == 1026   # 2 mappings + the pin
expect ws == ps                     # the write reused the pinned page
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] ws != ps      # the write copied
expect wd0 == pd0
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] wd0 != pd0
expect vs == 7                      # coherent
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] vs == 5       # stale
expect vd == 8
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] vd == 6
expect twin == 6
expect lost_coherence == 0
expect[linux-5.7,linux-5.9,linux-5.11,linux-5.18] lost_coherence == 2
