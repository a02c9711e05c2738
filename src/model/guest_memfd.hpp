// KVM guest_memfd (virt/kvm/guest_memfd.c) and the parts of KVM it needs: a
// VM, its memslots (KVM_SET_USER_MEMORY_REGION2) and its per-GFN memory
// attributes (KVM_SET_MEMORY_ATTRIBUTES). Plain values, referred to by id,
// stored in State like every other object (docs/guest-memfd.md).
#pragma once
#include <cstdint>
#include <type_traits>
#include <vector>

#include "model/types.hpp"

namespace mmsim {

using VmId = uint32_t;    // a KVM VM (struct kvm)
using GmemId = uint32_t;  // a guest_memfd file (struct kvm_gmem + its inode; one file per inode in 6.18)

// include/uapi/linux/kvm.h
inline constexpr uint64_t GUEST_MEMFD_FLAG_MMAP = 1ull << 0;
inline constexpr uint64_t GUEST_MEMFD_FLAG_INIT_SHARED = 1ull << 1;
// HugeTLB-backed guest_memfd (1G/2M RFC v2: GUEST_MEMFD_FLAG_HUGETLB, bit 2 there). Not in 6.18.
inline constexpr uint64_t GUEST_MEMFD_FLAG_HUGETLB = 1ull << 2;
inline constexpr uint32_t KVM_MEM_LOG_DIRTY_PAGES = 1u << 0;
inline constexpr uint32_t KVM_MEM_READONLY = 1u << 1;
inline constexpr uint32_t KVM_MEM_GUEST_MEMFD = 1u << 2;
inline constexpr uint64_t KVM_MEMORY_ATTRIBUTE_PRIVATE = 1ull << 3;
inline constexpr uint64_t KVM_MEMORY_EXIT_FLAG_PRIVATE = 1ull << 3;
inline constexpr uint32_t KVM_USER_MEM_SLOTS = 32764;  // x86
// fallocate() modes (uapi linux/falloc.h).
inline constexpr uint32_t FALLOC_FL_KEEP_SIZE = 0x01;
inline constexpr uint32_t FALLOC_FL_PUNCH_HOLE = 0x02;
inline constexpr uint32_t FALLOC_FL_COLLAPSE_RANGE = 0x08;
inline constexpr uint32_t FALLOC_FL_ZERO_RANGE = 0x10;
inline constexpr uint32_t FALLOC_FL_INSERT_RANGE = 0x20;
inline constexpr uint32_t FALLOC_FL_UNSHARE_RANGE = 0x40;

// x86 VM types (KVM_X86_*_VM).
enum VmType : uint32_t { KVM_X86_DEFAULT_VM = 0, KVM_X86_SW_PROTECTED_VM = 1, KVM_X86_SEV_VM = 2,
                         KVM_X86_SEV_ES_VM = 3, KVM_X86_SNP_VM = 4, KVM_X86_TDX_VM = 5 };
// kvm_arch_has_private_mem(): VM types whose GFNs can be private.
inline bool vm_type_has_private_mem(uint32_t type) {
  return type == KVM_X86_SW_PROTECTED_VM || type == KVM_X86_SNP_VM || type == KVM_X86_TDX_VM;
}

// A half-open range of indices (or GFNs) [lo, hi). Sorted, disjoint lists of
// these stand for the kernel's xarray / maple tree of attributes.
struct IndexRange {
  uint64_t lo = 0;
  uint64_t hi = 0;
  friend bool operator==(const IndexRange&, const IndexRange&) = default;
};
static_assert(std::has_unique_object_representations_v<IndexRange>);

// struct kvm_memory_slot, reduced: where a GFN range of the guest lives.
struct KvmMemslot {
  uint32_t id = 0;
  uint32_t flags = 0;        // KVM_MEM_*
  uint64_t base_gfn = 0;
  uint64_t npages = 0;
  uint64_t uaddr = 0;        // userspace_addr (bytes) in the VM owner's mm
  GmemId gmem = kNone;       // slot->gmem.file; kNone for a plain slot or once the file was released
  uint8_t gmem_only = 0;     // KVM_MEMSLOT_GMEM_ONLY: the bound guest_memfd has MMAP
  uint8_t gmem_bound = 0;    // the slot was created with KVM_MEM_GUEST_MEMFD (kept after release)
  uint8_t pad[2] = {};
  uint64_t pgoff = 0;        // slot->gmem.pgoff (guest_memfd_offset >> PAGE_SHIFT)
  bool contains(uint64_t gfn) const { return gfn >= base_gfn && gfn < base_gfn + npages; }
  friend bool operator==(const KvmMemslot&, const KvmMemslot&) = default;
};
static_assert(std::has_unique_object_representations_v<KvmMemslot>);

// struct kvm: the VM. Held by its fds and by every guest_memfd file created
// on it (kvm_get_kvm() in kvm_gmem_create()); destroyed when none is left.
struct KvmVm {
  uint32_t type = KVM_X86_DEFAULT_VM;
  TaskId owner = kNone;   // kvm->mm: the creator's mm (userspace_addr is resolved there)
  int32_t users = 0;      // VM fds + guest_memfd files
  uint8_t live = 1;
  uint8_t pad[3] = {};
  std::vector<KvmMemslot> slots;     // sorted by id
  std::vector<IndexRange> private_gfns;  // KVM_MEMORY_ATTRIBUTE_PRIVATE GFN ranges (kvm->mem_attr_array)
  friend bool operator==(const KvmVm&, const KvmVm&) = default;
};

// One index of a guest_memfd page cache: the page there, if any.
struct GmemPage {
  uint64_t index = 0;
  Pfn pfn = kNoPfn;    // this index's page (a subpage of a huge folio for hugetlb guest_memfd)
  uint32_t flags = 0;  // GmemPageFlag
  friend bool operator==(const GmemPage&, const GmemPage&) = default;
};
static_assert(std::has_unique_object_representations_v<GmemPage>);
enum GmemPageFlag : uint32_t {
  GMEM_UPTODATE = 1u << 0,  // PG_uptodate == "prepared" (zeroed at first user or guest fault)
};

// A binding of [pgoff, pgoff+npages) of the file to a memslot (kvm_gmem_bind()).
struct GmemBinding {
  uint64_t pgoff = 0;
  uint64_t npages = 0;
  VmId vm = kNone;
  uint32_t slot = 0;
  friend bool operator==(const GmemBinding&, const GmemBinding&) = default;
};
static_assert(std::has_unique_object_representations_v<GmemBinding>);

// A guest_memfd file and its inode: fixed size, flags, page cache, bindings,
// and (in-place conversion only) the per-index PRIVATE attribute.
struct GmemFile {
  VmId vm = kNone;
  int32_t users = 0;     // fds + VMAs (the file is released at 0: kvm_gmem_release())
  uint64_t size = 0;     // i_size in bytes (immutable)
  uint64_t flags = 0;    // GUEST_MEMFD_FLAG_*
  uint8_t live = 1;
  uint8_t order = 0;     // folio order of a hugetlb guest_memfd (0: 4K folios)
  uint8_t pad[6] = {};
  std::vector<GmemPage> pages;     // sorted by index; only indices with a page
  std::vector<IndexRange> private_ranges;  // per-index attributes (in-place conversion), sorted
  std::vector<GmemBinding> bindings;
  uint64_t npages() const { return size >> kPageShift; }
  friend bool operator==(const GmemFile&, const GmemFile&) = default;
};

// Range-list helpers (sorted, disjoint, coalesced).
bool ranges_contain(const std::vector<IndexRange>& r, uint64_t x);
// Whether every index of [lo, hi) is (set) or is not (!set) in the list.
bool ranges_all(const std::vector<IndexRange>& r, uint64_t lo, uint64_t hi, bool set);
void ranges_assign(std::vector<IndexRange>& r, uint64_t lo, uint64_t hi, bool set);

}  // namespace mmsim
