# droppable.md §11 T35, §4.2 step 5, §6. Memory pressure from a small
# machine (config memory=64 page frames) instead of a memcg limit: writing
# 96 droppable pages means allocation runs direct reclaim again and again.
# Dirty droppable folios are freed through the "dirty file folio ->
# activate_locked" path: freed, but not counted as reclaimed, so reclaim
# keeps escalating and drops nearly the whole droppable set at once (the
# sawtooth of t_memcg2). No signal, no OOM.
# The clean variant: MADV_FREE after each chunk makes the folios clean, their
# drops are counted, reclaim stops as soon as it has enough: usage stays near
# the limit.
# pinned: the pages are locked and cannot be reclaimed: the writes beyond the
# machine's memory cannot complete (the droppable fault retries: RETRY), and
# MADV_FREE is EINVAL on the locked VMA.
scenario droppable-pressure-dirty-vs-clean
doc "Under pressure dirty droppable memory vanishes almost entirely; clean droppable memory stays near the limit"
ref droppable.md §11 T35, §4.2; shrink_folio_list() dirty -> activate_locked, direct reclaim
config memory=64

P0: mmap D 96 rw droppable refill 7
P0: write D = 0xaa -> w
P0: rss_anon -> dirty_rss
P0: read D[95] -> last
P0: read D[0] -> first
P0: munmap D
P0: mmap C 96 rw droppable refill 7
P0: write C[0:16] = 0xbb
P0: madvise C[0:16] free -> f0
P0: write C[16:32] = 0xbb
P0: madvise C[16:32] free -> f1
P0: write C[32:48] = 0xbb
P0: madvise C[32:48] free -> f2
P0: write C[48:64] = 0xbb
P0: madvise C[48:64] free -> f3
P0: write C[64:80] = 0xbb -> w4
P0: madvise C[64:80] free -> f4
P0: write C[80:96] = 0xbb -> wc
P0: rss_anon -> clean_rss

expect w == OK                      # no signal, no OOM
expect dirty_rss == 32              # all 64 resident pages went at the first shortage
expect last == 0xaa                 # the newest pages survive
expect first == 0                   # the oldest were dropped
expect f0 == OK
expect wc == OK
expect clean_rss == 64              # clean drops are counted: reclaim stops at 32
expect[droppable=sigbus] first == SIGBUS
expect[droppable=refill] first == 7
expect[droppable=pinned] w == RETRY
expect[droppable=pinned] dirty_rss == 64
expect[droppable=pinned] last == 0        # never populated: the zero page
expect[droppable=pinned] first == 0xaa
expect[droppable=pinned] f0 == EINVAL
expect[droppable=pinned] wc == RETRY
