# MADV_WIPEONFORK (VM_WIPEONFORK): dup_mmap() creates the child's VMA with
# anon_vma = NULL and does not call copy_page_range(), so the child reads
# zeros (the shared zero page, pfn:0 in the model) and the parent's PTE is
# untouched (still exclusive, no write-protect, refcount 1). MADV_KEEPONFORK
# clears the flag again: a later fork copies normally.
# Same in every era (VMA-level rule, §2.3); no PG_anon_exclusive before 5.19.
scenario wipeonfork-child-reads-zeros
doc "MADV_WIPEONFORK: the child gets an empty mapping; MADV_KEEPONFORK undoes it"
ref cow-gup.md §2.3 rule 2; mm/madvise.c, mm/mmap.c dup_mmap()

P0: mmap A 1 rw
P0: write A[0] = 0x55
P0: pfn A[0] -> x
P0: madvise A wipeonfork
P0: fork P1
P0: refcount A[0] -> r
P0: anon_exclusive A[0] -> pae
P1: present A[0] -> child_present0
P1: read A[0] -> child_reads
P1: pfn A[0] -> child_pfn
P1: refcount A[0] -> child_ref     # no normal page mapped
P0: write A[0] = 0x66
P0: pfn A[0] -> x1
P0: madvise A keeponfork
P0: fork P2
P2: read A[0] -> p2_reads
P2: pfn A[0] -> p2_pfn

expect r == 1
expect pae == true
expect child_present0 == false
expect child_reads == 0
expect child_pfn != x
expect child_ref == none
expect x1 == x                      # parent untouched: reuse in place
expect p2_reads == 0x66
expect p2_pfn == x
expect[linux-5.7,linux-5.8,linux-5.9,linux-5.11,linux-5.18] pae == none
