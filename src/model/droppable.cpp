// MAP_DROPPABLE's consumers: the refill callback declaration (for the
// `refill` policy) and the vDSO getrandom() state allocator (lib/vdso/
// getrandom.c __cvdso_getrandom_data(), spec droppable.md §8).
#include "model/internal.hpp"

namespace mmsim {

Outcome Kernel::set_refill(TaskId t, Vpn addr, Token value) {
  if (!task_live(t)) return Outcome::err(ESRCH);
  Vma* vma = s_.mms[s_.tasks[t].mm].vma_at(addr);
  if (!vma || !vma->test(VM_DROPPABLE)) return Outcome::err(EINVAL);
  vma->refill = value;
  return Outcome::ok();
}

namespace {
// A key from the kernel RNG (the getrandom syscall): unique per call. Keys
// are spaced 2^32 apart so that advancing one never reaches another.
Token fresh_key(State& s) { return 0x5eed000000000000ull + (++s.rng_seq << 32); }
}  // namespace

Outcome Kernel::vdso_getrandom(TaskId t, Vpn v, Token* out) {
  if (!task_live(t)) return Outcome::err(ESRCH);
  // Read the state's generation/key. A state that reads 0 is stale (never
  // seeded, dropped, or wiped in a fork child): "generation" is never 0 for
  // valid kernel data, so the vDSO reseeds through the syscall.
  Token key = 0;
  if (Outcome o = read(t, v, &key); !o) return o;  // SIGBUS (sigbus policy), SIGSEGV, RETRY
  if (key == 0) {
    key = fresh_key(s_);
    if (Outcome o = write(t, v, key); !o) return o;
  }
  // The output comes from the key; the key then advances and the batch is
  // erased (forward secrecy). Two outputs are equal only if a state was reused.
  *out = key;
  return write(t, v, key + 1);
}

}  // namespace mmsim
