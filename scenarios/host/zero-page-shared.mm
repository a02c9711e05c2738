# Written from a 6.18 host run: a read fault on private anonymous memory maps
# the shared zero page (do_anonymous_page(), my_zero_pfn()): the same PFN in two
# unrelated mappings, present but not PM_MMAP_EXCLUSIVE (not a normal page).
# The first write replaces it with a new anonymous page.
scenario host-zero-page-shared
doc "two mappings read the same zero page; a write gets a private page"
ref cow-gup.md §9.1; mm/memory.c do_anonymous_page()

P0: mmap A 1 rw
P0: mmap B 1 rw
P0: read A[0] -> a
P0: read B[0] -> b
P0: pfn A[0] -> za
P0: pfn B[0] -> zb
P0: present A[0] -> pr
P0: exclusive A[0] -> ex
P0: write A[0] = 5
P0: pfn A[0] -> a1
P0: exclusive A[0] -> ex1

expect a == 0
expect b == 0
expect za == zb
expect pr == true
expect ex == false
expect a1 != za
expect ex1 == true
