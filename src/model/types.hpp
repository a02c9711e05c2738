// Basic identifiers of the model. Everything that refers to another object
// does so by id (an index), never by pointer, so that State copies are
// independent values (the explorer clones states millions of times).
#pragma once
#include <cstdint>
#include <limits>

namespace mmsim {

using Pfn = uint32_t;    // page frame number; index into Memory
using Vpn = uint64_t;    // virtual page number (address >> PAGE_SHIFT)
using Token = uint64_t;  // page contents: one 64-bit token per page, 0 = zero-filled
using TaskId = uint32_t;
using MmId = uint32_t;
using GupId = uint32_t;   // a GUP reference set (pin or get) held by a device
using PipeId = uint32_t;
using FileId = uint32_t;  // shmem object behind MAP_SHARED|MAP_ANONYMOUS

inline constexpr Pfn kNoPfn = std::numeric_limits<Pfn>::max();
// PFN 0 is the shared zero page (my_zero_pfn()); it is never allocated or freed.
inline constexpr Pfn kZeroPfn = 0;
inline constexpr unsigned kPageShift = 12;
inline constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

// include/linux/mm.h: GUP_PIN_COUNTING_BIAS (1U << 10). A FOLL_PIN on a small
// folio adds this to the refcount; large folios use the separate pincount.
inline constexpr int32_t kGupPinCountingBias = 1 << 10;
// GUP_PIN_EXCLUSIVE_BIAS (exclusive GUP pinning RFC, 2024): an exclusive pin
// adds this to the refcount (small folio) or the pincount (large folio).
inline constexpr int32_t kGupPinExclusiveBias = 1 << 30;

}  // namespace mmsim
