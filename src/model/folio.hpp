// struct page / struct folio, reduced to what COW, GUP and reclaim decisions
// read. Both are plain bytes (has_unique_object_representations) so a state
// hashes by memcpy-speed and copies as a vector.
#pragma once
#include <cstdint>
#include <type_traits>

#include "model/types.hpp"

namespace mmsim {

// Per-page state. For large folios each subpage has its own Page.
struct Page {
  Token data = 0;         // contents (0 = zero-filled)
  int32_t mapcount = 0;   // page_mapcount(): _mapcount + 1 (PTE mappings of this page)
  uint32_t flags = 0;     // PageFlag bits
  uint32_t head = kNone;  // PFN of the folio head (== own PFN for order-0); kNone when free
  uint32_t pad = 0;
  friend bool operator==(const Page&, const Page&) = default;
};
static_assert(std::has_unique_object_representations_v<Page>);

enum PageFlag : uint32_t {
  // PG_anon_exclusive (include/linux/page-flags.h): per page, reuses PG_owner_2 / PG_mappedtodisk.
  PAGE_ANON_EXCLUSIVE = 1u << 0,
};

// Folio flags (PG_*). Only those behaviour depends on.
enum FolioFlag : uint32_t {
  FOLIO_ANON = 1u << 0,        // folio->mapping has PAGE_MAPPING_ANON
  FOLIO_KSM = 1u << 1,
  FOLIO_DIRTY = 1u << 2,       // PG_dirty
  FOLIO_SWAPBACKED = 1u << 3,  // PG_swapbacked; anon without it = lazyfree (MADV_FREE)
  FOLIO_LRU = 1u << 4,         // PG_lru: on an LRU list
  FOLIO_LRU_BATCH = 1u << 5,   // sitting in a per-CPU LRU add batch (holds +1 ref)
  FOLIO_SWAPCACHE = 1u << 6,   // PG_swapcache (holds +nr_pages refs)
  FOLIO_WRITEBACK = 1u << 7,
  FOLIO_MLOCKED = 1u << 8,     // PG_mlocked
  FOLIO_UNEVICTABLE = 1u << 9,
  FOLIO_ACTIVE = 1u << 10,
  FOLIO_REFERENCED = 1u << 11,
  FOLIO_SHMEM = 1u << 12,      // page cache page of a shmem file (MAP_SHARED|MAP_ANONYMOUS)
  FOLIO_ZERO = 1u << 13,       // the shared zero page
  FOLIO_HUGETLB = 1u << 14,    // a hugetlb folio (one huge page; counted in the hugetlb pool)
  FOLIO_GMEM = 1u << 15,       // page cache folio of a guest_memfd (mapping_set_inaccessible(): unevictable)
};

struct Folio {
  uint32_t flags = 0;           // FolioFlag bits
  uint8_t order = 0;            // folio_order(); 0 until THP lands (kept in the type now)
  // PMD splits of this THP in progress: __split_huge_pmd() entered by
  // `split_pmd_begin` and not yet left (`split_pmd_end`). While > 0, a
  // reader racing with the split may see a torn mapcount (CVE-2020-29368).
  uint8_t splitting = 0;
  uint8_t pad0[2] = {};
  int32_t refcount = 0;         // folio_ref_count(); 0 = free
  int32_t pincount = 0;         // _pincount, only for large folios (folio_has_pincount)
  int32_t entire_mapcount = 0;  // PMD mappings (THP)
  int32_t large_mapcount = 0;   // 6.x _large_mapcount + 1: all PTE+PMD mappings of a large folio
  int32_t mlock_count = 0;      // mlock_count (number of VM_LOCKED mappings that locked it)
  uint32_t mapping = kNone;     // anon: anon_vma id; shmem: FileId
  uint32_t index = 0;           // page index in the file (shmem) or linear index (anon)
  uint32_t swap = kNone;        // folio->swap: the swap slot while PG_swapcache
  uint32_t lru_seq = 0;         // position on its LRU list: higher = nearer the head (younger)

  bool test(FolioFlag f) const { return flags & f; }
  void set(FolioFlag f) { flags |= f; }
  void clear(FolioFlag f) { flags &= ~uint32_t(f); }
  uint32_t nr_pages() const { return 1u << order; }
  bool large() const { return order > 0; }
  // folio_maybe_dma_pinned(): a large folio counts its pins; a small one
  // guesses from the refcount (false positives with >= 1024 plain references).
  bool maybe_dma_pinned() const { return large() ? pincount > 0 : refcount >= kGupPinCountingBias; }
  // folio_is_file_lru(): !PG_swapbacked folios (page cache, lazyfree anon,
  // droppable anon) live on the file LRU lists.
  bool file_lru() const { return !test(FOLIO_SWAPBACKED); }
  friend bool operator==(const Folio&, const Folio&) = default;
};
static_assert(std::has_unique_object_representations_v<Folio>);

}  // namespace mmsim
