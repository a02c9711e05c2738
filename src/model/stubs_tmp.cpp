// TEMPORARY: placeholders while the reclaim/swap mechanism is written.
#include "model/internal.hpp"
namespace mmsim {
Outcome Kernel::mlockall(TaskId, unsigned) { return Outcome::err(ENOSYS); }
Outcome Kernel::munlockall(TaskId) { return Outcome::err(ENOSYS); }
Outcome Kernel::setrlimit_memlock(TaskId, uint64_t) { return Outcome::err(ENOSYS); }
Outcome Kernel::set_refill(TaskId, Vpn, Token) { return Outcome::err(ENOSYS); }
Outcome Kernel::reclaim(uint32_t, uint32_t* f) { *f = 0; return Outcome::err(ENOSYS); }
Outcome Kernel::vdso_getrandom(TaskId, Vpn, Token*) { return Outcome::err(ENOSYS); }
uint32_t Kernel::swap_count(uint32_t) const { return 0; }
bool Kernel::folio_lazyfree(Pfn) const { return false; }
}  // namespace mmsim
