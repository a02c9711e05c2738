# mm/vmscan.c: shrink_list() reclaims from the inactive lists; the active
# lists only refill them (shrink_active_list()) when they run short. A[1] is
# made active (referenced at a reclaim pass, folio_check_references() ->
# activate) although it is older than A[3]; the next reclaim takes the
# inactive A[3] and leaves the active A[1] alone.
scenario lru-inactive-before-active
doc "Reclaim takes inactive folios before active ones, whatever their age"
ref mm/vmscan.c shrink_list(), shrink_inactive_list(), shrink_active_list()
config swap=8

P0: mmap A 4 rw
P0: write A = 1
reclaim 1                           # A[0] goes; A[1:4] end up inactive, not young
P0: read A[1] -> x
reclaim 1                           # A[1] referenced -> active; A[2] goes
P0: active A[1] -> act1
P0: active A[3] -> act3
reclaim 1
P0: swapped A[1] -> s1
P0: swapped A[3] -> s3

expect act1 == true
expect act3 == false
expect s3 == true                   # inactive, younger: reclaimed
expect s1 == false                  # active, older: kept
