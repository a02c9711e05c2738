# cow.c "R/O GUP pin on R/O-mapped exclusive page" (with hugetlb), cow-gup.md
# §8.2 item 4, §8.3 #13, §5.9, §8.6. mprotect(PROT_READ) write-protects the
# huge PTE; clear_softdirty() does nothing to hugetlb PTEs (clear_refs_walk_ops
# has no hugetlb_entry); mprotect(PROT_READ|PROT_WRITE) leaves the private
# huge PTE R/O (hugetlb_change_protection() never upgrades). Then a R/O
# FOLL_PIN|FOLL_LONGTERM through pin_user_pages(), memset, read through the pin.
# 6.18: the page never stopped being PG_anon_exclusive, gup_must_unshare() is
# false, no fault; the memset's hugetlb_wp() sees mapcount 1 -> reuse: PASS.
# 5.8: should_force_cow_break() (hugetlb VMAs included) makes the pin a write
# fault: mapcount 1 -> reuse in place: PASS.
# 5.7, 5.9, 5.11, 5.18: the pin takes a reference; hugetlb_wp() sees
# mapcount 1 and reuses whatever the refcount: PASS (the base page FAILs under
# 5.9-5.18, §8.6 #13/#14).
# Every profile: PASS. The model's refcount shows the pin as +1024 (the
# kernel counts it in the large folio's pincount). No PG_anon_exclusive
# before 5.19 (probe: none).
scenario ro-gup-pin-on-ro-mapped-exclusive-page-with-hugetlb
doc "A R/O long-term pin on an exclusive hugetlb page stays coherent: hugetlb_wp() reuses by mapcount"
ref tools/testing/selftests/mm/cow.c "R/O GUP pin on R/O-mapped exclusive page" (with hugetlb)
ref cow-gup.md §2.2 items 2-3, §5.5, §5.9, §8.3 #13, §8.6
config hugetlb=2

P0: mmap A 1 rw hugetlb
P0: write A[0] = 1
P0: pfn A[0] -> p0
P0: mprotect A r
P0: clear_refs                      # clear_softdirty(): no-op on hugetlb PTEs
P0: mprotect A rw
P0: anon_exclusive A[0] -> pae
P0: pin K = A[0] longterm
P0: pfn A[0] -> p1
P0: refcount A[0] -> r1
P0: write A[0] = 0xff               # memset(mem, 0xff)
P0: pfn A[0] -> p2
dma read K[0] -> v
P0: unpin K

expect pae == true
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] pae == none
expect p1 == p0
expect r1 == 1025                   # mapping + pin (model: +1024 per pin)
expect p2 == p0                     # hugetlb_wp(): mapcount 1 -> reuse
expect v == 0xff                    # PASS
expect lost_coherence == 0
