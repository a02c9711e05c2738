// The whole model state: a plain value. Copy it to branch (the explorer),
// compare it, hash it. No pointers between objects, no globals, no randomness.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "model/guest_memfd.hpp"
#include "model/memory.hpp"
#include "model/mm.hpp"
#include "model/objects.hpp"

namespace mmsim {

// The simulated machine (scenario `config key=value` lines).
struct Config {
  uint32_t memory = 256;   // page frames of RAM (not counting the zero page)
  bool soft_dirty = true;  // CONFIG_MEM_SOFT_DIRTY (typical distro kernels; this host lacks it)
  uint32_t hugetlb = 0;    // huge pages in the hugetlb pool (nr_hugepages); each uses one frame
  uint8_t thp = 1;          // transparent_hugepage/enabled: 0 never, 1 madvise (this host), 2 always
  uint8_t thp_order = 9;    // HPAGE_PMD_ORDER (smaller values keep scenarios small)
  bool use_zero_page = true;  // transparent_hugepage/use_zero_page: a THP read fault maps the huge zero page
  uint32_t lru_batch = 0;  // per-CPU LRU add batch size (PAGEVEC_SIZE 15 in 5.x, 31 in 6.x); 0 = drained at once
  uint32_t swap = 0;       // swap slots of the (one) swap device; 0 = no swap (like this host)
  // Per-size THP controls (6.8+, /sys/kernel/mm/transparent_hugepage/hugepages-<size>kB/enabled;
  // `config mthp=`), one bit per order: huge_anon_orders_always / _madvise / _inherit. Orders
  // the scenario did not name keep the kernel's boot default: the PMD order (thp_order)
  // "inherit" (it follows `thp`), every smaller order "never".
  uint32_t mthp_always = 0;
  uint32_t mthp_madvise = 0;
  uint32_t mthp_inherit = 0;
  uint32_t mthp_set = 0;   // orders named by `config mthp=` (0: the per-size controls were not touched)
  friend bool operator==(const Config&, const Config&) = default;
};

// One slot of the swap device: swap_map[] count (swap PTEs referencing it),
// the swap-cache folio (SWAP_HAS_CACHE), and the contents written at swap-out.
struct SwapSlot {
  uint32_t count = 0;    // swap_count(): references from swap PTEs
  Pfn cache = kNoPfn;    // the folio in the swap cache for this slot, if any
  Token data = 0;        // what pageout() wrote
  friend bool operator==(const SwapSlot&, const SwapSlot&) = default;
  bool used() const { return count > 0 || cache != kNoPfn; }
};
static_assert(std::has_unique_object_representations_v<SwapSlot>);

struct State {
  Config config;
  Memory mem;
  std::vector<Mm> mms;
  std::vector<Task> tasks;
  std::vector<GupRef> gups;
  std::vector<Pipe> pipes;
  std::vector<DioFile> dio_files;  // files written/read with O_DIRECT
  std::vector<ShmemFile> files;
  std::vector<KvmVm> vms;         // KVM VMs (KVM_CREATE_VM)
  std::vector<GmemFile> gmems;    // guest_memfd files (KVM_CREATE_GUEST_MEMFD)
  uint32_t next_anon_vma = 0;
  uint32_t hugetlb_used = 0;  // huge pages allocated from the pool
  std::vector<Pfn> lru_add;   // the (one) CPU's LRU add batch: each folio in it holds a reference
  std::vector<SwapSlot> swap; // the swap device (config swap slots)
  uint32_t lru_clock = 0;     // stamps Folio::lru_seq: LRU order as a plain number
  uint32_t refill_gen = 0;    // droppable `refill` policy: the ->fault generation counter
  uint64_t rng_seq = 0;       // getrandom(): keys handed out by the kernel RNG so far

  State() : State(Config{}) {}
  explicit State(const Config& c) : config(c), mem(c.memory), swap(c.swap) {}

  // Deterministic 64-bit digest (XXH3) of everything above.
  uint64_t hash() const;
  friend bool operator==(const State&, const State&) = default;
};

}  // namespace mmsim
