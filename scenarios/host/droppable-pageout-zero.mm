# Written from 6.18 host runs (build/mmsim run --host): a written MAP_DROPPABLE
# page is an anonymous folio without PG_swapbacked from its first fault
# (folio_add_new_anon_rmap() skips __folio_set_swapbacked() for VM_DROPPABLE):
# /proc/kpageflags shows ANON without SWAPBACKED, i.e. lazyfree, and never
# SWAPCACHE. MADV_PAGEOUT drops it although it is dirty (try_to_unmap_one()
# discards a !swapbacked folio of a VM_DROPPABLE VMA whatever its dirty bit):
# pagemap then shows neither present nor swapped, the next read maps the
# shared zero page (the same PFN as an untouched private page's read), and
# VmSwap stays 0. A private page next to it, with no swap device, is kept.
scenario host-droppable-pageout-zero
doc "MADV_PAGEOUT drops a dirty droppable page: not present, not swapped, reads back the zero page"
ref droppable.md §3.1, §4.2, §4.4, §11 T10/T13; mm/rmap.c try_to_unmap_one(), folio_add_new_anon_rmap()

P0: mmap D 2 rw droppable
P0: mmap A 1 rw
P0: mmap Z 1 rw
P0: write D = 0xaa
P0: write A = 0xbb
P0: lazyfree D[0] -> lf
P0: swapcache D[0] -> sc
P0: exclusive D[0] -> ex
P0: madvise D[0] pageout -> po
P0: madvise A pageout -> pa
P0: present D[0] -> pr
P0: swapped D[0] -> sw
P0: rss_swap -> vmswap
P0: read D[0] -> d0
P0: read D[1] -> d1
P0: read A[0] -> a0
P0: read Z[0] -> z
P0: pfn D[0] -> zd
P0: pfn Z[0] -> zz
P0: lazyfree D[0] -> lf_zero

expect lf == true
expect sc == false
expect ex == true
expect po == OK
expect pa == OK
expect pr == false
expect sw == false
expect vmswap == 0
expect d0 == 0
expect d1 == 0xaa          # only the page paged out
expect a0 == 0xbb          # private anon, no swap: kept
expect z == 0
expect zd == zz            # both read the zero page
expect lf_zero == none     # the zero page is no folio of the mapping
