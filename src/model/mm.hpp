// struct mm_struct: VMAs (sorted, non-overlapping), the page table (a sorted
// flat map vpn -> Pte; absent = pte_none), MMF_* flags and rss counters.
#pragma once
#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include "model/pte.hpp"
#include "model/vma.hpp"

namespace mmsim {

struct PteSlot {
  Vpn vpn = 0;
  Pte pte;
  friend bool operator==(const PteSlot&, const PteSlot&) = default;
};
static_assert(std::has_unique_object_representations_v<PteSlot>);

class PageTable {
 public:
  const Pte* find(Vpn v) const {
    auto it = lower(v);
    return it != slots_.end() && it->vpn == v ? &it->pte : nullptr;
  }
  Pte* find(Vpn v) {
    auto it = lower(v);
    return it != slots_.end() && it->vpn == v ? &it->pte : nullptr;
  }
  Pte get(Vpn v) const {
    const Pte* p = find(v);
    return p ? *p : Pte{};
  }
  void set(Vpn v, const Pte& pte) {
    if (pte.none()) return clear(v);
    auto it = lower(v);
    if (it != slots_.end() && it->vpn == v)
      it->pte = pte;
    else
      slots_.insert(it, PteSlot{v, pte});
  }
  void clear(Vpn v) {
    auto it = lower(v);
    if (it != slots_.end() && it->vpn == v) slots_.erase(it);
  }
  const std::vector<PteSlot>& slots() const { return slots_; }
  std::vector<PteSlot>& slots() { return slots_; }
  // Vpns with a non-none entry in [start, end).
  std::vector<Vpn> populated(Vpn start, Vpn end) const {
    std::vector<Vpn> out;
    for (auto it = lower(start); it != slots_.end() && it->vpn < end; ++it) out.push_back(it->vpn);
    return out;
  }
  friend bool operator==(const PageTable&, const PageTable&) = default;

 private:
  std::vector<PteSlot>::const_iterator lower(Vpn v) const {
    return std::lower_bound(slots_.begin(), slots_.end(), v,
                            [](const PteSlot& s, Vpn x) { return s.vpn < x; });
  }
  std::vector<PteSlot>::iterator lower(Vpn v) {
    return std::lower_bound(slots_.begin(), slots_.end(), v,
                            [](const PteSlot& s, Vpn x) { return s.vpn < x; });
  }
  std::vector<PteSlot> slots_;
};

enum MmFlag : uint32_t {
  MMF_HAS_PINNED = 1u << 0,  // set by any FOLL_PIN, never cleared, not inherited by fork
};

// mm->rss_stat (MM_ANONPAGES, MM_SHMEMPAGES, MM_SWAPENTS) and mm->locked_vm.
struct RssCounters {
  int64_t anon = 0;
  int64_t shmem = 0;
  int64_t swapents = 0;
  int64_t file = 0;       // MM_FILEPAGES (guest_memfd pages; shmem pages count as MM_SHMEMPAGES)
  int64_t locked_vm = 0;
  friend bool operator==(const RssCounters&, const RssCounters&) = default;
};

struct Mm {
  uint32_t flags = 0;  // MmFlag bits
  uint8_t live = 1;
  uint8_t pad[3] = {};
  uint64_t def_flags = 0;  // mm->def_flags: VM_LOCKED(|VM_LOCKONFAULT) after mlockall(MCL_FUTURE)
  std::vector<Vma> vmas;  // sorted by start
  PageTable pt;
  std::vector<PteSlot> pmds;  // PMD mappings of THPs: aligned start -> entry (pfn = folio head)
  RssCounters rss;

  bool test(MmFlag f) const { return flags & f; }
  // find_vma() restricted to a VMA containing v (vma_lookup()).
  const Vma* vma_at(Vpn v) const {
    auto it = std::upper_bound(vmas.begin(), vmas.end(), v, [](Vpn x, const Vma& m) { return x < m.start; });
    if (it == vmas.begin()) return nullptr;
    --it;
    return it->contains(v) ? &*it : nullptr;
  }
  Vma* vma_at(Vpn v) { return const_cast<Vma*>(std::as_const(*this).vma_at(v)); }
  friend bool operator==(const Mm&, const Mm&) = default;
};

}  // namespace mmsim
