# droppable.md §9, Andy Lutomirski's ->fault design with a callback that
# regenerates content: `refill gen` fills every missing page with a new
# generation value. The vDSO takes it for a valid state and does not reseed,
# but no two fills are alike: no state is reused after drops or forks. The
# same steps with `refill 7` (reseed-after-drop, reseed-after-fork) reuse
# states. Under zero/sigbus/pinned the outcome is the 6.18 one.
scenario getrandom-refill-gen-no-reuse
doc "vDSO getrandom with a generation refill callback: drops and forks never reuse a state"
ref droppable.md §8, §9; issue 3 (refill policy)

P0: mmap S 1 rw droppable refill gen
P0: getrandom S[0] -> a1
P0: madvise S pageout -> po
P0: madvise S dontneed -> rearm     # (re-arms the sigbus policy)
P0: getrandom S[0] -> a2
P0: fork P1
P0: fork P2
P1: getrandom S[0] -> c1
P2: getrandom S[0] -> c2

expect a2 != a1
expect c1 != a1
expect c2 != c1
expect state_reuse == 0
expect[droppable=pinned] po == EINVAL
