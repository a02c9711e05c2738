# A pin belongs to the process that took it; when the process exits its
# pins are released (the model's stand-in for the owning file -- io_uring
# ring, RDMA MR, gup_test fd -- being closed at exit: the driver then calls
# unpin_user_pages()) and its mappings are unmapped (exit_mmap() ->
# zap_pte_range()). Observed on a MAP_SHARED page that survives the child:
# its refcount drops by GUP_PIN_COUNTING_BIAS plus the child's mapping.
# A private page pinned only by the child (its COW copy) is freed.
scenario exit-releases-pins
doc "exit() releases the exiting process's pins and unmaps its memory"
ref kernel/exit.c do_exit(), mm/mmap.c exit_mmap(); mm/gup.c unpin_user_page()

P0: mmap S 1 rw shared
P0: mmap A 1 rw
P0: write S[0] = 1
P0: write A[0] = 1
P0: pfn A[0] -> x
P0: fork P1
P1: pin K = S[0] write longterm
P1: pin L = A[0] write              # FOLL_WRITE: the child copies first
P1: pfn A[0] -> y
P0: refcount S[0] -> rs_pinned
P0: pincount S[0] -> pcs_pinned
P0: mapcount S[0] -> ms_pinned
P0: refcount A[0] -> rx_pinned
P1: exit
P0: refcount S[0] -> rs_after
P0: pincount S[0] -> pcs_after
P0: mapcount S[0] -> ms_after
P0: refcount A[0] -> rx_after
P0: write A[0] = 2
P0: pfn A[0] -> x2

expect rs_pinned == 1027            # page cache + 2 PTEs + pin bias
expect pcs_pinned == 1
expect ms_pinned == 2
expect rx_pinned == 1               # the child's pin is on its own copy
expect y != x
expect rs_after == 2                # page cache + the parent's PTE
expect pcs_after == 0
expect ms_after == 1
expect rx_after == 1
expect x2 == x                      # reuse: refcount 1
