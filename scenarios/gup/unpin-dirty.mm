# unpin_user_pages() vs unpin_user_pages_dirty_lock(): unpinning drops
# GUP_PIN_COUNTING_BIAS from the refcount (and MMF_HAS_PINNED stays set: it
# is sticky for the mm's lifetime); the _dirty_lock variant additionally
# marks the folio dirty (folio_mark_dirty()), as a driver must after a device
# wrote to it. Here the page is a MAP_SHARED (shmem) page that was only
# read-faulted, so its PTE is clean and only the dirty unpin makes it dirty.
# Unpinning never touches PTEs or PG_anon_exclusive (cow-gup.md §2.6).
scenario unpin-dirty
doc "unpin drops the pin bias; unpin dirty also marks the folio dirty"
ref cow-gup.md §1.2, §2.6; mm/gup.c unpin_user_pages_dirty_lock()

P0: mmap S 2 rw shared
P0: read S -> s0, s1
P0: dirty S -> d0a, d1a
P0: pin K = S[0]
P0: pin L = S[1]
P0: refcount S[0] -> r_pinned
P0: pincount S[0] -> pc_pinned
P0: unpin K
P0: unpin L dirty
P0: refcount S[0] -> r_unpinned
P0: pincount S[0] -> pc_unpinned
P0: dirty S -> d0, d1
P0: has_pinned -> hp

expect s0 == 0
expect d0a == false
expect d1a == false
expect r_pinned == 1026             # page cache + PTE + GUP_PIN_COUNTING_BIAS
expect pc_pinned == 1
expect r_unpinned == 2
expect pc_unpinned == 0
expect d0 == false
expect d1 == true
expect hp == true
expect[linux-5.7,linux-5.8] hp == none    # mm->has_pinned exists from 5.9 (008cfe4418b3)
