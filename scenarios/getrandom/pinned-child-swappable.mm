# droppable.md §8, §9: why Ingo Molnar's "just pin these vDSO data pages"
# was rejected -- "mlock is rlimited ... isn't inherited by forks" (Jason).
# Under droppable=pinned the parent's state page is mlocked and survives
# reclaim, but a fork child's mapping is not locked (dup_mmap() clears
# VM_LOCKED_MASK): the child's freshly seeded state is ordinary anon and is
# written to swap -- key material on disk, what MAP_DROPPABLE guarantees
# never happens (droppable-never-swapped counts it).
# 6.18 (zero) and sigbus/refill: reclaim drops both states (never swaps
# them); the next call in each process reseeds (or, sigbus, faults).
scenario getrandom-pinned-child-swappable
doc "droppable=pinned: a fork child's getrandom state is not locked and gets swapped out"
ref droppable.md §8, §9; dup_mmap() "vm_flags_clear(tmp, VM_LOCKED_MASK)"
config swap=4

P0: mmap S 1 rw droppable refill gen
P0: getrandom S[0] -> a1
P0: fork P1
P1: getrandom S[0] -> c1
reclaim -> freed
P0: swapped S[0] -> parent_swapped
P1: swapped S[0] -> child_swapped
P0: present S[0] -> parent_present

expect c1 != a1
expect parent_swapped == false
expect child_swapped == false
expect parent_present == false      # dropped
expect swapped_droppable == 0
expect state_reuse == 0
expect[droppable=pinned] child_swapped == true
expect[droppable=pinned] parent_present == true   # mlocked
expect[droppable=pinned] swapped_droppable == 1
