#include "model/memory.hpp"

#include <cassert>

namespace mmsim {

Memory::Memory(uint32_t nr_frames) : pages(nr_frames + 1), folios(nr_frames + 1), nr_free(nr_frames) {
  // The zero page: a permanent, special folio (pte_special mappings hold no reference).
  pages[kZeroPfn].head = kZeroPfn;
  folios[kZeroPfn].flags = FOLIO_ZERO;
  folios[kZeroPfn].refcount = 1;
}

std::optional<Pfn> Memory::alloc(unsigned order) {
  const uint32_t nr = 1u << order;
  const uint32_t n = nr_frames();
  if (nr_free < nr) return std::nullopt;
  // Next-fit over naturally aligned blocks [b*nr, b*nr+nr), starting at the
  // cursor; block 0 holds the zero page and is never handed out.
  const uint32_t nblocks = (n + 1) / nr;
  for (uint32_t k = 0; k < nblocks; ++k) {
    const uint32_t b = (cursor / nr + k) % nblocks;
    const uint32_t base = b * nr;
    if (b == 0 || base + nr - 1 > n) continue;
    bool free_block = true;
    for (uint32_t i = 0; i < nr && free_block; ++i) free_block = pages[base + i].head == kNone;
    if (!free_block) continue;
    for (uint32_t i = 0; i < nr; ++i) pages[base + i] = Page{.head = base};
    folios[base] = Folio{.order = uint8_t(order), .refcount = 1};
    nr_free -= nr;
    cursor = base + nr;
    return base;
  }
  return std::nullopt;
}

void Memory::free(Pfn head) {
  assert(head != kZeroPfn && pages[head].head == head);
  const uint32_t nr = folios[head].nr_pages();
  for (uint32_t i = 0; i < nr; ++i) pages[head + i] = Page{};
  folios[head] = Folio{};
  nr_free += nr;
}

}  // namespace mmsim
