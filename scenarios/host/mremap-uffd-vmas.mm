# Written from host observations (Linux 6.18). A VMA registered with
# userfaultfd may be moved only alone (vma_multi_allowed():
# userfaultfd_armed()): since 6.17 a multi-VMA move fails with EFAULT at it,
# after moving the VMAs before it (remap_move(): a partial move), or before
# moving anything when it is the first VMA and the range goes on past its end
# (d50dabff4d1f "mm/mremap: catch invalid multi VMA moves earlier"), even into
# a hole only. Before 6.17 each of these is EFAULT as a range of several VMAs.
scenario mremap-uffd-vmas
doc "mremap with a uffd-armed VMA: alone it moves; among several (or before a hole) EFAULT, after moving the VMAs before it"
ref mm/mremap.c remap_move() vma_multi_allowed(); d23cb648e365; d50dabff4d1f
P0: mmap A 3 rw
P0: write A = 3
P0: uffd_register A[2] wp
P0: mremap A B -> late             # plain VMA, then the armed one
P0: read A[0] -> a0
P0: read A[2] -> a2
P0: mmap C 3 rw
P0: write C = 4
P0: uffd_register C[0] wp
P0: mremap C D -> early            # the armed VMA first, a plain one after it
P0: read C[0] -> c0
P0: read C[1] -> c1
P0: mmap E 2 rw
P0: write E = 5
P0: uffd_register E wp
P0: munmap E[1]
P0: mremap E F -> hole             # the armed VMA and a hole after it
P0: read E[0] -> e0
P0: mremap E[0] G -> alone         # the armed VMA alone
P0: read G[0] -> g0

expect late == EFAULT
expect a2 == 3
expect early == EFAULT
expect c0 == 4
expect c1 == 4
expect hole == EFAULT
expect e0 == 5
expect alone == OK
expect g0 == 5
expect[mremap-move=multi-vma] a0 == SIGSEGV       # moved before the EFAULT
expect[mremap-move=single-vma] a0 == 3
