# Written from 6.18 host runs of the real __vdso_getrandom (found through
# AT_SYSINFO_EHDR; state size 144, the state at the page start). On the host
# `read S[0]` of a page used as a state reads the state's generation (offset
# 128), and getrandom outputs are real random bytes: only their outcome and
# their equality with each other compare with the model (docs/host.md).
# A fresh state reads generation 0; after a call it holds the kernel's
# non-zero generation; MADV_PAGEOUT drops the page (generation 0 again) and
# the next call reseeds; a fork child's state is wiped (VM_WIPEONFORK); a
# state the process cannot access faults inside the vDSO (SIGSEGV).
scenario host-getrandom-vdso-state
doc "the real vDSO getrandom state: generation 0 when fresh, dropped or wiped; outputs never repeat"
ref droppable.md §8, §11 T38; lib/vdso/getrandom.c __cvdso_getrandom_data()

P0: mmap S 2 rw droppable
P0: read S[0] -> g0
P0: getrandom S[0] -> a1
P0: read S[0] -> g1
P0: getrandom S[0] -> a2
P0: madvise S[0] pageout -> po
P0: read S[0] -> g2
P0: getrandom S[0] -> a3
P0: read S[0] -> g3
P0: fork P1
P1: read S[0] -> c0
P1: getrandom S[0] -> c1
P0: getrandom S[1] -> b1
P0: mprotect S[1] none
P0: getrandom S[1] -> bad

expect g0 == 0
expect a1 != a2
expect g1 != 0
expect po == OK
expect g2 == 0
expect a3 != a1
expect a3 != a2
expect g3 != 0
expect c0 == 0
expect c1 != a3
expect b1 != a1
expect bad == SIGSEGV
