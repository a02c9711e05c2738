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
  uint32_t lru_batch = 0;  // per-CPU LRU add batch size (PAGEVEC_SIZE 15 in 5.x, 31 in 6.x); 0 = drained at once
  friend bool operator==(const Config&, const Config&) = default;
};

struct State {
  Config config;
  Memory mem;
  std::vector<Mm> mms;
  std::vector<Task> tasks;
  std::vector<GupRef> gups;
  std::vector<Pipe> pipes;
  std::vector<ShmemFile> files;
  std::vector<KvmVm> vms;         // KVM VMs (KVM_CREATE_VM)
  std::vector<GmemFile> gmems;    // guest_memfd files (KVM_CREATE_GUEST_MEMFD)
  uint32_t next_anon_vma = 0;
  uint32_t hugetlb_used = 0;  // huge pages allocated from the pool
  std::vector<Pfn> lru_add;   // the (one) CPU's LRU add batch: each folio in it holds a reference

  State() : State(Config{}) {}
  explicit State(const Config& c) : config(c), mem(c.memory) {}

  // Deterministic 64-bit digest (XXH3) of everything above.
  uint64_t hash() const;
  friend bool operator==(const State&, const State&) = default;
};

}  // namespace mmsim
