// --trace: what one step changed, as compact lines a kernel developer reads
// at a glance (PTEs by mapping name, folios by PFN, pins and pipes by name).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "model/state.hpp"

namespace mmsim {

struct Namer {
  struct Range {
    std::string name;
    Vpn start;
    uint64_t pages;
    uint64_t seq;  // mmap order: where names overlap (a later mmap reused
                   // an unmapped range), the newest name wins
  };
  std::map<MmId, std::string> mm_names;          // mm -> "P0"
  std::map<MmId, std::vector<Range>> ranges;     // mm -> named mappings
  std::map<GupId, std::string> gup_names;
  std::map<PipeId, std::string> pipe_names;
  std::map<GmemId, std::string> gmem_names;
  std::map<VmId, std::string> vm_names;

  std::string mm(MmId m) const;
  std::string addr(MmId m, Vpn v) const;  // "A[1]" or "0x7f...000"
  std::string range(MmId m, Vpn start, Vpn end) const;  // "A", "A[1]", "A[0:2]"
};

std::string pte_string(const Pte& pte);
std::vector<std::string> diff_states(const State& before, const State& after, const Namer& n);

}  // namespace mmsim
