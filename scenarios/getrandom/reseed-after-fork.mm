# droppable.md §8, §11 T38 ("the fork child sees generation=0"): the state
# mapping is VM_WIPEONFORK, so a fork child's states read 0 and the child
# reseeds instead of replaying the parent's stream (glibc also resets them:
# __getrandom_fork_subprocess()). Two children of the same parent and the
# parent itself never produce the same output.
# refill 7: each child's wiped page is refilled with 7 and used as a key:
# both children produce the parent's very first output -- state reuse
# across processes, the failure WIPEONFORK exists to prevent.
# pinned: the child's range is still wiped at fork: no reuse.
scenario getrandom-reseed-after-fork
doc "vDSO getrandom: fork children reseed (WIPEONFORK) and never reuse the parent's state"
ref droppable.md §8, §11 T38, §5 fork(); dup_mmap() VM_WIPEONFORK

P0: mmap S 1 rw droppable refill 7
P0: getrandom S[0] -> a1
P0: fork P1
P0: fork P2
P1: read S[0] -> c1_gen             # wiped
P1: getrandom S[0] -> c1
P2: getrandom S[0] -> c2
P0: getrandom S[0] -> a2

expect c1_gen == 0
expect c1 != a1
expect c1 != a2
expect c2 != c1
expect c2 != a2
expect state_reuse == 0
expect[droppable=refill] c1_gen == 7
expect[droppable=refill] c1 == a1           # the child replays the parent's output
expect[droppable=refill] c2 == c1
expect[droppable=refill] state_reuse == 2
