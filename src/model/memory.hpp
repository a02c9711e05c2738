// Physical memory: a fixed number of page frames (config memory=N), the shared
// zero page at PFN 0, and a deterministic allocator. Running out of frames is
// an outcome (the caller gets nullopt), never a crash.
#pragma once
#include <optional>
#include <vector>

#include "model/folio.hpp"

namespace mmsim {

struct Memory {
  std::vector<Page> pages;    // indexed by PFN; [0] is the zero page
  std::vector<Folio> folios;  // indexed by head PFN; entries at tail/free PFNs are unused
  uint32_t nr_free = 0;
  uint32_t cursor = 1;  // next-fit allocation cursor: deterministic, and a freed
                        // PFN is not handed out again at once (so PFN probes stay telling)

  explicit Memory(uint32_t nr_frames = 0);

  uint32_t nr_frames() const { return uint32_t(pages.size()) - 1; }
  bool valid(Pfn pfn) const { return pfn < pages.size(); }
  Folio& folio(Pfn pfn) { return folios[pages[pfn].head]; }
  const Folio& folio(Pfn pfn) const { return folios[pages[pfn].head]; }
  Pfn head(Pfn pfn) const { return pages[pfn].head; }
  bool is_zero(Pfn pfn) const { return pfn == kZeroPfn; }

  // alloc_pages(): a folio of 2^order frames with refcount 1, contents zeroed
  // (all anon allocations are __GFP_ZERO or immediately overwritten).
  std::optional<Pfn> alloc(unsigned order = 0);
  // __folio_put() once the refcount reached zero: frames return to the free pool.
  void free(Pfn head);

  friend bool operator==(const Memory&, const Memory&) = default;
};

}  // namespace mmsim
