// Helpers shared by the mechanism's files (not part of the public model API).
#pragma once
#include <optional>

#include "model/kernel.hpp"

namespace mmsim::detail {

inline constexpr Vpn kMmapBase = 0x7f0000000ull;  // mmap_base >> PAGE_SHIFT (top-down allocation)

// --- references (folio_get / folio_put) -------------------------------------
void folio_get(Kernel& k, Pfn pfn, int32_t n = 1);
// folio_put(): drops n references, freeing the folio when none remain.
void folio_put(Kernel& k, Pfn pfn, int32_t n = 1);

// --- rmap ----------------------------------------------------------------------
// rmap_walk() (mm/rmap.c): the one walker reclaim, madvise, KSM and the
// policies (through Kernel::folio_mapped_by_other_mm()) use. The model has no anon_vma
// chains to follow; it scans every mm, which gives the same set.
struct RmapHit {
  MmId mm;
  Vpn vpn;
};
// Every PTE of a live mm that maps a page of the folio at head.
std::vector<RmapHit> rmap_walk_ptes(const State& s, Pfn head);
// Every PMD that maps the folio at head whole.
std::vector<RmapHit> rmap_walk_pmds(const State& s, Pfn head);
// Whether a live mm other than `self` maps a page of the folio at head (the
// walk stops at the first one).
bool folio_mapped_by_other_mm(const State& s, Pfn head, MmId self);
// anon_vma_prepare(): give the VMA an anon_vma on its first anonymous page.
void anon_vma_prepare(Kernel& k, Vma& vma);
// Allocate a fresh anonymous folio and account it as mapped once at v
// (folio_add_new_anon_rmap(..., RMAP_EXCLUSIVE) + folio_add_lru_vma()).
// The allocation reference becomes the mapping's reference.
std::optional<Pfn> alloc_anon_folio(Kernel& k, MmId mm, Vma& vma, Vpn v, Token data);
// folio_add_new_anon_rmap(): FOLIO_ANON, plus PG_swapbacked unless the VMA
// is droppable and the droppable policy keeps such folios lazyfree.
uint32_t new_anon_folio_flags(const Kernel& k, const Vma& vma);
// Direct reclaim before an allocation of 2^order frames that may reclaim
// (__alloc_pages_slowpath() -> __alloc_pages_direct_reclaim()): true when
// enough frames are free afterwards. Callers re-check what they looked at.
bool make_room(Kernel& k, unsigned order);
// shrink_folio_list() for one folio (mm/vmscan.c): Reclaimed (freed and
// counted), Dropped (a dirty droppable folio: freed, not counted), Keep (left
// where it is), Activate (to the active list).
enum class ShrinkResult { Reclaimed, Dropped, Keep, Activate };
ShrinkResult shrink_folio(Kernel& k, Pfn head, bool ignore_references);
// MADV_FREE, MADV_COLD / MADV_PAGEOUT over [start, end) of one VMA.
void madvise_free_range(Kernel& k, MmId mm, Vpn start, Vpn end);
void madvise_cold_or_pageout_range(Kernel& k, MmId mm, Vpn start, Vpn end, bool pageout);
// LRU order: move a folio to the head of its list (lru_seq = ++lru_clock).
void lru_touch(Kernel& k, Pfn head);
// folio_add_lru(): a new small folio enters the CPU's LRU add batch (holding a
// reference) until the batch fills or is drained; without a batch
// (config lru_batch=0) it goes straight onto the LRU.
void folio_add_lru(Kernel& k, Pfn pfn);
// mlock_fixup() for one whole VMA: VM_LOCKED (| `extra`, VM_LOCKONFAULT),
// counted in locked_vm, and the pages already mapped mlocked
// (mlock_vma_pages_range()). Nothing where the VMA is already locked or
// !vma_supports_mlock() (hugetlb, droppable). mlock() and mlockall() share it.
void mlock_vma(Kernel& k, Mm& mm, Vma& vma, uint64_t extra);
// A page gets one more PTE mapping: ref+1, mapcount+1 (+mlock if VM_LOCKED).
void add_pte_mapping(Kernel& k, const Vma& vma, Pfn pfn);
// zap_present_pte() / zap_pte_range() for one entry: removes the PTE and
// drops what it held (mapcount, reference, rss; dirty bit into the folio).
void zap_pte(Kernel& k, MmId mm, const Vma& vma, Vpn v);
void zap_range(Kernel& k, MmId mm, const Vma& vma, Vpn start, Vpn end);
// mlock_folio()/munlock_folio() for a page mapped in a VM_LOCKED VMA.
void mlock_page(Kernel& k, Pfn pfn);
void munlock_page(Kernel& k, Pfn pfn);
// A VMA or fd stops referencing its shmem file (the last one frees the pages).
void file_put(Kernel& k, FileId f);
// shmem_fallocate(PUNCH_HOLE): unmap and drop the page cache pages [lo, hi).
void shmem_punch_hole(Kernel& k, FileId f, uint64_t lo, uint64_t hi);
// shmem_get_folio(SGP_CACHE) / filemap_fault() / hugetlbfs: the page-cache
// page at idx, allocated (zeroed) if missing -- a shmem page, a regular file's
// page (read from disk: zeroes here) or a huge page from the hugetlb pool
// (nullopt when the pool is empty).
std::optional<Pfn> shmem_get_page(Kernel& k, FileId f, uint64_t idx);
// mm_counter() / mm_counter_file(): the rss counter a mapped page counts in --
// MM_ANONPAGES, MM_SHMEMPAGES or MM_FILEPAGES (regular files, guest_memfd);
// nullptr for hugetlb pages (hugetlb_count_add(), not rss).
inline int64_t* mm_counter(RssCounters& rss, const Folio& f) {
  if (f.test(FOLIO_HUGETLB)) return nullptr;
  if (f.test(FOLIO_ANON)) return &rss.anon;
  if (f.test(FOLIO_SHMEM)) return &rss.shmem;
  return &rss.file;
}
inline void add_mm_counter(RssCounters& rss, const Folio& f, int64_t n) {
  if (int64_t* c = mm_counter(rss, f)) *c += n;
}

// --- guest_memfd (guest_memfd.cpp, kvm.cpp) ------------------------------------
GmemPage* gmem_find(GmemFile& f, uint64_t idx);
const GmemPage* gmem_find(const GmemFile& f, uint64_t idx);
// kvm_gmem_get_folio(): the folio at idx, allocated (not zeroed, not
// uptodate) if missing. Returns 0 or ENOMEM; *pfn is idx's page.
int gmem_get_folio(Kernel& k, GmemId g, uint64_t idx, Pfn* pfn);
// kvm_gmem_fault_user_mapping(): a host page fault in a guest_memfd VMA.
Outcome gmem_fault(Kernel& k, MmId mm, Vma& vma, Vpn v, bool write);
// kvm_gmem_punch_hole(): EAGAIN only when the gmem-huge policy merges and a
// page of a split huge folio still has references above its baseline.
int gmem_punch_hole(Kernel& k, GmemId g, uint64_t lo, uint64_t hi);
// fput() of a guest_memfd file by an fd or a VMA (kvm_gmem_release() at the last).
void gmem_put(Kernel& k, GmemId g);
// kvm_put_kvm(): a VM fd or a guest_memfd file lets go of the VM.
void vm_put(Kernel& k, VmId vm);
bool task_holds_vm(const Kernel& k, TaskId t, VmId vm);
// The fd and mm checks of every VM ioctl: 0, EBADF or EIO (kvm_vm_ioctl()).
int vm_ioctl_check(const Kernel& k, TaskId t, VmId vm);
bool task_holds_gmem(const Kernel& k, TaskId t, GmemId g);

// A task closes its fd of a pipe (free_pipe_info() with the last one).
void pipe_put(Kernel& k, PipeId id);
// One page of __get_user_pages(): fault as needed, then try_grab_folio().
// Returns 0 or a positive errno; *pfn is the page referenced.
int gup_one(Kernel& k, MmId mm, Vpn v, uint32_t foll, Pfn* pfn);
// The inverse of try_grab_folio() for one page.
void gup_put_page(Kernel& k, Pfn pfn, uint32_t foll);

// pte_needs_soft_dirty_wp(): soft-dirty tracking is on for the VMA (a
// clear_refs(4) reset its VM_SOFTDIRTY) and this entry is clean, so a write
// must fault to record it.
bool pte_needs_soft_dirty_wp(const State& s, const Vma& vma, const Pte& pte);
// can_change_pte_writable(), private branch: may this present R/O entry of a
// writable private VMA become writable at once (mprotect, uffd-wp resolve)?
// `pfn` is the page the decision is about (a PMD's head for a THP).
bool can_change_pte_writable(const Kernel& k, const Vma& vma, const Pte& pte, Pfn pfn);

// __mm_populate() over [start, end): 0 or an errno.
int populate_range(Kernel& k, MmId mm, Vpn start, Vpn end, bool ignore_errors);

// --- mlock limits ------------------------------------------------------------
// can_do_mlock(): RLIMIT_MEMLOCK != 0 or CAP_IPC_LOCK.
inline bool can_do_mlock(const Task& t) { return t.memlock != 0 || t.cap_ipc_lock; }
// mlock_future_ok(): a VM_LOCKED mapping of `pages` more fits RLIMIT_MEMLOCK.
inline bool mlock_future_ok(const Task& t, const Mm& mm, uint64_t vm_flags, uint64_t pages) {
  if (!(vm_flags & VM_LOCKED) || t.cap_ipc_lock) return true;
  return pages + uint64_t(mm.rss.locked_vm) <= t.memlock;
}

// --- faults --------------------------------------------------------------------
// vm_fault_to_errno(): how GUP reports a failed fault.
int fault_to_errno(const Outcome& o);
// x86 access_error(): may a user access of this kind touch this VMA at all?
bool access_permitted(const Vma& vma, bool write);

// --- VMAs ------------------------------------------------------------------------
// Split so that a VMA boundary falls at v (split_vma()); returns the index of
// the VMA starting at v, or of the VMA containing v if v is already a boundary.
size_t split_at(Kernel& k, Mm& mm, Vpn v);
// vma_merge(): merge each VMA in the mm with its right neighbour where possible.
void merge_vmas(Kernel& k, Mm& mm);
// Walk [start, end) VMA piece by piece, splitting at the range ends; calls
// fn(vma_index) for each piece. Returns false if a hole was met (ENOMEM),
// after applying fn to the pieces before it when `stop_at_hole`, or to all
// mapped pieces otherwise (madvise semantics).
template <class Fn>
bool for_each_vma_piece(Kernel& k, Mm& mm, Vpn start, Vpn end, bool stop_at_hole, Fn&& fn);

}  // namespace mmsim::detail

#include "model/internal_walk.hpp"
