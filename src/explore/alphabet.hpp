// The explorer's alphabet: named step templates. Each entry turns a node and
// an actor into the concrete actions (scenario steps) it offers there.
// Adding an operation (e.g. reclaim once Kernel::reclaim lands) is one entry
// in kAlphabet (alphabet.cpp), plus its case in exec.cpp's apply() if it is a
// new scenario Op, plus its footprint for partial-order reduction.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "explore/exec.hpp"

namespace mmsim::explore {

// Bounds of one search: what the alphabet may create.
struct Bounds {
  uint32_t procs = 3;  // processes in all (P0 included)
  uint32_t pages = 1;  // pages per mapping
  uint32_t pins = 4;   // pins/gups taken
  uint32_t pipes = 1;  // pipes created
};

// Ids of the mappings the alphabet creates (interned in Names).
struct AlphabetNames {
  uint16_t anon = 0, shared = 0, hugetlb = 0, droppable = 0, refill = 0, gmem = 0, thp = 0;
};

struct OpEntry {
  const char* name;
  const char* summary;
  // Append the actions this entry offers to `proc` (an ordinal of a live
  // process; kDevice for device entries) on node n.
  void (*gen)(const Node& n, uint16_t proc, const Bounds& b, const AlphabetNames& an, std::vector<Action>& out);
  bool device = false;  // actor is the device (dma), not a process
  bool hugetlb = false; // needs a hugetlb pool in the config
  bool reclaims = false; // LRU order and swap matter: the config gets a swap device, POR treats the LRU as shared
  bool thp = false;      // THP: the config gets thp=always thp_order=2; symmetry reduction is turned off
  bool gmem = false;     // needs the KVM VM V and guest_memfd G (created by P0 in the root: gmem_setup())
  bool token_values = false;  // reads a token's value as data (a getrandom key): tokens are not renamed
  bool discardable = false;   // leaves folios reclaim frees without swap (lazyfree, droppable): LRU order and
                              // accessed bits matter to direct reclaim
  bool private_anon = false;  // maps a private anonymous mapping: its pages may be renamed (Identity::pages)
  bool address_ordered = false;  // what it does depends on the order it meets pages in (KSM keeps the first):
                                 // no page renaming
};

const std::vector<OpEntry>& alphabet();
// The default --ops list.
const char* default_ops();
// "mmap,write,fork" -> entries; false + message on an unknown name.
bool parse_ops(const std::string& list, std::vector<const OpEntry*>* out, std::string* error);

// The steps that create the VM and guest_memfd the gmem entries work on,
// `pages` pages, bound to memslot 0 at GPA 0: `P0: vm V`, `P0: gmem G =
// create V size Np mmap init_shared`, `P0: memslot V 0 gpa 0 size Np gmem G`.
std::vector<Action> gmem_setup(uint32_t pages);

// The THP order the thp entries use (config thp_order): a PMD of 4 pages.
inline constexpr uint32_t kThpOrder = 2;

// Every action the chosen entries offer on n, in a fixed order.
void enabled_actions(const Node& n, const std::vector<const OpEntry*>& ops, const Bounds& b,
                     const AlphabetNames& an, std::vector<Action>& out);

// --- partial-order reduction ---------------------------------------------------------
// What an action may read or write, as a small set of resource ids: its own
// mm, the folios mapped in its range, shmem file pages, pipes, pins, and the
// id allocators it draws from. Two actions with disjoint footprints commute
// (up to the renaming the symmetry reduction forgets).
struct Footprint {
  static constexpr int kMax = 24;
  uint64_t ids[kMax];
  uint8_t n = 0;
  bool global = false;  // touches everything (ksm_merge, or too many resources)
  void add(uint64_t id) {
    if (n == kMax) {
      global = true;
      return;
    }
    for (int i = 0; i < n; ++i)
      if (ids[i] == id) return;
    ids[n++] = id;
  }
};
// `lru`: reclaim is in the alphabet, so every step's effect on the LRU
// lists (allocation order) matters and all steps share that resource.
Footprint footprint(const Node& n, const Action& a, uint32_t slack, bool lru = false);
bool independent(const Footprint& x, const Footprint& y);
// A fixed total order on actions (for "b before a" when both commute).
bool action_less(const Action& x, const Action& y);

}  // namespace mmsim::explore
