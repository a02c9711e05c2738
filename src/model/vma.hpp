// struct vm_area_struct with the real VM_* flag values (include/linux/mm.h).
#pragma once
#include <cstdint>
#include <string>
#include <type_traits>

#include "model/types.hpp"

namespace mmsim {

enum VmFlag : uint64_t {
  VM_READ = 0x00000001,
  VM_WRITE = 0x00000002,
  VM_EXEC = 0x00000004,
  VM_SHARED = 0x00000008,
  VM_MAYREAD = 0x00000010,
  VM_MAYWRITE = 0x00000020,
  VM_MAYEXEC = 0x00000040,
  VM_MAYSHARE = 0x00000080,
  VM_UFFD_WP = 0x00001000,
  VM_GROWSDOWN = 0x00000100,
  VM_LOCKED = 0x00002000,
  VM_IO = 0x00004000,
  VM_DONTCOPY = 0x00020000,
  VM_DONTEXPAND = 0x00040000,
  VM_LOCKONFAULT = 0x00080000,
  VM_ACCOUNT = 0x00100000,
  VM_NORESERVE = 0x00200000,
  VM_WIPEONFORK = 0x02000000,
  VM_DONTDUMP = 0x04000000,
  VM_SOFTDIRTY = 0x08000000,  // CONFIG_MEM_SOFT_DIRTY
  VM_HUGETLB = 0x00400000,
  VM_HUGEPAGE = 0x20000000,
  VM_NOHUGEPAGE = 0x40000000,
  VM_DROPPABLE = 1ull << 40,  // VM_DROPPABLE_BIT 40 (64-bit only, 6.11)
};
inline constexpr Token kRefillGenerationToken = 0x6e00000000000000ull;  // == kRefillGeneration
inline constexpr uint64_t VM_LOCKED_MASK = VM_LOCKED | VM_LOCKONFAULT;
// Flags that may differ between two VMAs without preventing a merge (VM_IGNORE_MERGE).
inline constexpr uint64_t VM_IGNORE_MERGE = VM_SOFTDIRTY;

struct Vma {
  Vpn start = 0;            // vm_start >> PAGE_SHIFT
  Vpn end = 0;              // vm_end >> PAGE_SHIFT (exclusive)
  uint64_t flags = 0;       // vm_flags
  uint32_t anon_vma = kNone;  // anon_vma id (allocated by the first anon fault: anon_vma_prepare())
  uint32_t file = kNone;    // shmem FileId for MAP_SHARED|MAP_ANONYMOUS
  uint64_t pgoff = 0;       // vm_pgoff: file page of `start` (shmem) / start for anon
  uint32_t gmem = kNone;    // guest_memfd file (GmemId) for a mapping of a guest_memfd
  uint32_t pad = 0;
  Token refill = kRefillGenerationToken;  // droppable `refill` policy: what its ->fault writes

  uint64_t pages() const { return end - start; }
  bool contains(Vpn v) const { return v >= start && v < end; }
  bool test(VmFlag f) const { return flags & f; }
  bool is_anonymous() const { return file == kNone && gmem == kNone; }  // vma_is_anonymous()
  bool is_gmem() const { return gmem != kNone; }
  bool is_shared() const { return flags & VM_SHARED; }
  // is_cow_mapping(): private and may become writable (include/linux/mm.h).
  bool is_cow_mapping() const { return (flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE; }
  uint64_t file_index(Vpn v) const { return pgoff + (v - start); }

  friend bool operator==(const Vma&, const Vma&) = default;
};
static_assert(std::has_unique_object_representations_v<Vma>);

// "rw" / "r" / "none" for VM_READ/VM_WRITE, plus the interesting other flags.
std::string vm_flags_string(uint64_t flags);

}  // namespace mmsim
