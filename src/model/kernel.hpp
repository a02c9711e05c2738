// Kernel: the mechanism's entry points, operating on a State under a
// PolicySet. It owns nothing: construct one over any State (a clone, a
// snapshot) and call system calls, user accesses, GUP and probes on it.
//
// Layout of the implementation (one job per file):
//   fault.cpp    handle_mm_fault: do_anonymous_page, shmem fault, do_wp_page, wp_page_copy/reuse
//   fork.cpp     dup_mmap / copy_present_pte, exit_mmap
//   gup.cpp      __get_user_pages / follow_page_pte / try_grab_folio, unpin, DMA
//   mmap.cpp     mmap, munmap, mprotect, madvise, mlock: VMA split/merge and zap
//   ipc.cpp      pipes, vmsplice, process_vm_readv/writev
//   task_mmu.cpp clear_refs (soft-dirty), userfaultfd write-protect
//   ksm.cpp      KSM merging (write_protect_page, replace_page)
//   huge_memory.cpp THP: PMD faults, do_huge_pmd_wp_page(), split, copy_huge_pmd()
//   hugetlb.cpp  hugetlb faults, hugetlb_wp() (mapcount-based in every era) and fork
//   rmap.cpp     reference and mapcount bookkeeping shared by all of the above
//   probes.cpp   what a user (pagemap) or a model-only probe can observe
//   check.cpp    recompute every counter from scratch and compare (--check)
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "model/guest_memfd.hpp"
#include "model/outcome.hpp"
#include "model/state.hpp"
#include "policy/profile.hpp"

namespace mmsim {

// mmap() flags the model understands (values are the model's own).
enum MapFlag : unsigned {
  MAPF_SHARED = 1u << 0,     // MAP_SHARED (anonymous: shmem-backed)
  MAPF_POPULATE = 1u << 1,   // MAP_POPULATE
  MAPF_LOCKED = 1u << 2,     // MAP_LOCKED
  MAPF_NORESERVE = 1u << 3,  // MAP_NORESERVE
  MAPF_HUGETLB = 1u << 4,    // MAP_HUGETLB (private: hugetlbfs-backed anonymous memory)
  MAPF_DROPPABLE = 1u << 5,  // MAP_DROPPABLE (6.11): the MAP_TYPE value 0x08, anonymous only
  MAPF_GROWSDOWN = 1u << 6,  // MAP_GROWSDOWN
};

// mlockall() flags (uapi asm-generic/mman.h).
enum MclFlag : unsigned { MCL_CURRENT_ = 1, MCL_FUTURE_ = 2, MCL_ONFAULT_ = 4 };

// The ->fault callback of a droppable mapping under the `refill` policy
// (Andy Lutomirski's special mapping): each refill writes this token, or the
// next value of a kernel-wide generation counter (kRefillGeneration + n).
inline constexpr Token kRefillGeneration = kRefillGenerationToken;  // model/vma.hpp

// madvise() advice values (uapi asm-generic/mman-common.h).
enum Advice : int {
  ADV_DONTNEED = 4,
  ADV_FREE = 8,
  ADV_DONTFORK = 10,
  ADV_DOFORK = 11,
  ADV_HUGEPAGE = 14,
  ADV_NOHUGEPAGE = 15,
  ADV_DONTDUMP = 16,
  ADV_DODUMP = 17,
  ADV_WIPEONFORK = 18,
  ADV_KEEPONFORK = 19,
  ADV_COLD = 20,
  ADV_PAGEOUT = 21,
  ADV_POPULATE_READ = 22,
  ADV_POPULATE_WRITE = 23,
  ADV_COLLAPSE = 25,
  ADV_REMOVE = 9,
};

// PROT_* (uapi): rw = 3, r = 1, none = 0.
enum Prot : int { PROT_NONE_ = 0, PROT_READ_ = 1, PROT_WRITE_ = 2, PROT_EXEC_ = 4 };

// /proc/PID/pagemap for one page (fs/proc/task_mmu.c pte_to_pagemap_entry).
struct PagemapEntry {
  bool present = false;    // bit 63
  bool swap = false;       // bit 62
  bool file = false;       // bit 61 PM_FILE
  bool exclusive = false;  // bit 56 PM_MMAP_EXCLUSIVE: mapcount == 1, not PAE
  bool soft_dirty = false; // bit 55
  bool uffd_wp = false;    // bit 57
  Pfn pfn = kNoPfn;        // bits 0-54 (root only), when present
};

// A plain file system call on a guest_memfd fd.
enum class GmemFileOp { Read, Write, Pread, Pwrite, Lseek, Ftruncate, Fchmod, Fsync, Ioctl, Splice, CopyFileRange,
                        AddSeals, Flock, Fadvise, Reopen };

// KVM_SET_USER_MEMORY_REGION2's struct kvm_userspace_memory_region2, with the
// guest_memfd field as the model sees an fd.
struct MemoryRegion {
  enum class Fd { None, Gmem, NotGmem, Bad };
  uint32_t slot = 0;
  uint32_t flags = 0;
  uint64_t gpa = 0;
  uint64_t size = 0;
  uint64_t uaddr = 0;
  Fd fd = Fd::None;
  GmemId gmem = kNone;
  uint64_t offset = 0;
  bool v1 = false;  // KVM_SET_USER_MEMORY_REGION (no guest_memfd fields)
};

class Kernel {
 public:
  Kernel(State& s, const PolicySet& p) : s_(s), p_(p) {}
  State& state() { return s_; }
  const State& state() const { return s_; }
  const PolicySet& policies() const { return p_; }

  // --- tasks -----------------------------------------------------------
  TaskId spawn();                                      // a new process with an empty mm
  Outcome fork(TaskId parent, TaskId* child);          // fork(2)
  Outcome exit(TaskId t);                              // exit(2)

  // --- memory system calls (ranges in pages) ----------------------------
  // `file` != kNone maps a memfd at offset 0 (MAP_PRIVATE unless MAPF_SHARED).
  // `refill`: a droppable mapping's ->fault callback (see set_refill()),
  // in place before MAP_POPULATE faults anything in.
  Outcome mmap(TaskId t, uint64_t pages, int prot, unsigned flags, Vpn* addr, FileId file = kNone,
               Token refill = kRefillGeneration);
  // memfd_create() + ftruncate(pages): a sparse shmem file; fallocate() fills it.
  // kind Hugetlb: memfd_create(MFD_HUGETLB), a hugetlbfs file (one page = one
  // huge page); Regular: tmpfile() on a disk file system.
  Outcome memfd_create(TaskId t, uint64_t pages, FileId* out, FileKind kind = FileKind::Shmem);
  Outcome fallocate(TaskId t, FileId f);
  Outcome munmap(TaskId t, Vpn start, uint64_t pages);
  // mremap(MREMAP_MAYMOVE|MREMAP_FIXED) of [start, start+pages) to a free area:
  // the page-table entries move, nothing is copied.
  Outcome mremap(TaskId t, Vpn start, uint64_t pages, Vpn* new_addr);
  Outcome mprotect(TaskId t, Vpn start, uint64_t pages, int prot);
  Outcome madvise(TaskId t, Vpn start, uint64_t pages, int advice);
  Outcome mlock(TaskId t, Vpn start, uint64_t pages);
  Outcome munlock(TaskId t, Vpn start, uint64_t pages);
  Outcome mlockall(TaskId t, unsigned mcl_flags);  // MclFlag bits
  Outcome munlockall(TaskId t);
  // setrlimit(RLIMIT_MEMLOCK, pages) and drop CAP_IPC_LOCK: the process
  // becomes unprivileged for mlock purposes (can_do_mlock(), mlock_future_ok()).
  Outcome setrlimit_memlock(TaskId t, uint64_t pages);
  // Declare the refill callback of the droppable mapping at `addr` (token, or
  // kRefillGeneration for a generation counter). Only the `refill` policy reads it.
  Outcome set_refill(TaskId t, Vpn addr, Token value);

  // --- reclaim and swap (mm/vmscan.c, mm/swap_state.c, mm/swapfile.c) -----
  // A global reclaim pass (shrink_node()) as the kernel's reclaim actor:
  // scan the inactive LRU lists from the tail, age the active lists when
  // they run dry, and try to free up to `nr` folios (0 = everything that can
  // go). *freed counts the folios freed (swapped out, discarded, dropped).
  Outcome reclaim(uint32_t nr, uint32_t* freed);
  // khugepaged as the kernel's actor (mm/khugepaged.c): one full scan of
  // every mm, collapsing each eligible PMD-aligned range of PTEs into a new
  // PMD-mapped THP (hpage_collapse_scan_pmd() limits, collapse_huge_page()).
  // At most `max` collapses (0 = all); *collapsed counts them.
  Outcome khugepaged(uint32_t max, uint32_t* collapsed);
  // The vDSO getrandom() consumer on the state page at v (spec droppable.md
  // §8): a zero state (generation 0: never seeded, dropped, or wiped by fork)
  // is reseeded through the getrandom syscall with a fresh key; the output is
  // the key used, and the key then advances (forward secrecy). A failed access
  // to the state falls back to the syscall (fresh output, state untouched).
  Outcome vdso_getrandom(TaskId t, Vpn v, Token* out);

  // --- user accesses: a load/store of one page, through the MMU ----------
  Outcome read(TaskId t, Vpn v, Token* out);
  Outcome write(TaskId t, Vpn v, Token value);

  // --- GUP and devices -------------------------------------------------
  // get_user_pages()/pin_user_pages() of [start, start+pages) in target's mm,
  // all or nothing, held by a device on behalf of `owner`.
  Outcome gup(TaskId owner, TaskId target, Vpn start, uint64_t pages, uint32_t foll, GupId* out);
  Outcome gup_release(GupId g, bool dirty);  // unpin_user_pages[_dirty_lock]() / put_page()
  Outcome dma_read(GupId g, uint64_t idx, Token* out);
  Outcome dma_write(GupId g, uint64_t idx, Token value);

  // --- pipes and remote access -------------------------------------------
  PipeId pipe_create(TaskId t);
  Outcome vmsplice(TaskId t, Vpn start, uint64_t pages, PipeId p);
  Outcome pipe_read(TaskId t, PipeId p, Token* out);
  Outcome process_vm_readv(TaskId caller, TaskId target, Vpn v, Token* out);
  Outcome process_vm_writev(TaskId caller, TaskId target, Vpn v, Token value);
  // pread/pwrite of /proc/PID/mem (mem_rw() -> access_remote_vm(FOLL_FORCE)):
  // a failed access is EIO.
  Outcome proc_mem_rw(TaskId caller, TaskId target, Vpn v, bool write, Token* value);
  // read()/write() of [start, start+pages) on a file opened O_DIRECT, from
  // file offset 0 (bio_iov_iter_get_pages()): a short-term GUP of the buffer
  // for the time of the I/O, FOLL_GET or FOLL_PIN by the `dio` policy, with
  // FOLL_WRITE for a read. A read stops at the end of the file.
  uint32_t dio_file_create();
  Outcome odirect_write(TaskId t, Vpn start, uint64_t pages, uint32_t file);
  Outcome odirect_read(TaskId t, Vpn start, uint64_t pages, uint32_t file);

  // --- tracking and merging -------------------------------------------------
  // echo 4 > /proc/PID/clear_refs (CLEAR_REFS_SOFT_DIRTY, fs/proc/task_mmu.c).
  Outcome clear_refs(TaskId t);
  // userfaultfd: UFFDIO_REGISTER_MODE_WP on a range, UFFDIO_WRITEPROTECT
  // (wp = true: protect; false: resolve).
  Outcome uffd_register_wp(TaskId t, Vpn start, uint64_t pages);
  Outcome uffd_writeprotect(TaskId t, Vpn start, uint64_t pages, bool wp);
  // KSM: merge each page of the range into the stable KSM page with the same
  // contents (or make it that page): try_to_merge_one_page(). EBUSY when a
  // page cannot be merged (extra references, pinned).
  Outcome ksm_merge(TaskId t, Vpn start, uint64_t pages);

  // --- interleaving inside the kernel ------------------------------------------
  // A PMD split of the THP mapped at v (what a partial mprotect/munmap/madvise
  // starts with, __split_huge_pmd()) that is preempted inside
  // __split_huge_pmd_locked() after its atomic ops: the counts are moved, but
  // the split (and the page lock, if the thp-split-lock policy takes it) is
  // not released until split_pmd_end(). Nothing to split is not an error.
  // The task is inside the kernel in between (Task::in_split): a second
  // begin, or an end without a begin, is EINVAL; end ends the split begun.
  Outcome split_pmd_begin(TaskId t, Vpn v);
  Outcome split_pmd_end(TaskId t, Vpn v);

  // --- KVM and guest_memfd (kvm.cpp, guest_memfd.cpp) -------------------------
  Outcome kvm_create_vm(TaskId t, uint32_t type, VmId* out);                 // KVM_CREATE_VM
  Outcome vm_close(TaskId t, VmId vm);                                       // close() of a VM fd
  // KVM_CHECK_EXTENSION on /dev/kvm (vm = kNone) or a VM fd.
  Outcome kvm_check_extension(TaskId t, VmId vm, uint32_t cap, uint64_t* out) const;
  Outcome kvm_create_guest_memfd(TaskId t, VmId vm, uint64_t size, uint64_t flags, GmemId* out);
  Outcome gmem_close(TaskId t, GmemId g);                                    // close() of a guest_memfd fd
  // fallocate(fd, mode, offset, len) on a guest_memfd (kvm_gmem_fallocate()).
  Outcome gmem_fallocate(TaskId t, GmemId g, uint32_t mode, int64_t offset, int64_t len);
  // A plain file system call on a guest_memfd fd (kvm_gmem_fops and its inode_operations).
  Outcome gmem_file_op(TaskId t, GmemId g, GmemFileOp op);
  // ioctl(gmem fd, KVM_SET_MEMORY_ATTRIBUTES2): the gmem-conversion policy.
  Outcome gmem_set_attributes(TaskId t, const GmemAttributes& req, uint64_t* error_offset);
  // mmap(MAP_SHARED or not) of a guest_memfd at `offset` bytes (kvm_gmem_mmap()).
  Outcome mmap_gmem(TaskId t, uint64_t pages, int prot, unsigned flags, GmemId g, uint64_t offset, Vpn* addr);
  // KVM_SET_USER_MEMORY_REGION2 (or the v1 ioctl).
  Outcome kvm_set_user_memory_region(TaskId t, VmId vm, const MemoryRegion& r);
  // KVM_SET_MEMORY_ATTRIBUTES (VM ioctl, per GFN).
  Outcome kvm_set_memory_attributes(TaskId t, VmId vm, uint64_t gpa, uint64_t size, uint64_t attributes,
                                    uint64_t flags);
  // A vCPU of `vm` loads or stores the page at `gpa` (the stage-2 fault path,
  // __kvm_mmu_faultin_pfn()). A failure is KVM_RUN = -1 with that errno;
  // *exit_flags is the KVM_EXIT_MEMORY_FAULT flags, or kNoExit.
  Outcome guest_access(VmId vm, uint64_t gpa, bool write, Token* value, uint64_t* exit_flags);
  static constexpr uint64_t kNoExit = ~0ull;

  // --- guest_memfd helpers shared with the gmem policies --------------------
  const GmemFile& gmem(GmemId g) const { return s_.gmems[g]; }
  // May the host (user faults, GUP) map index idx: INIT_SHARED (6.18) or the
  // per-index attribute (in-place conversion)?
  bool gmem_index_shared(GmemId g, uint64_t idx) const;
  // Every index of [lo, hi) has this PRIVATE attribute (per-index attributes).
  bool gmem_range_is(GmemId g, uint64_t lo, uint64_t hi, bool priv) const;
  // unmap_mapping_pages(): zap every host PTE of indices [lo, hi).
  void gmem_unmap_range(GmemId g, uint64_t lo, uint64_t hi);
  // kvm_gmem_is_safe_for_conversion(): the first index of the first folio in
  // [lo, hi) whose refcount is above its baseline (the page cache's).
  std::optional<uint64_t> gmem_first_unsafe_folio(GmemId g, uint64_t lo, uint64_t hi) const;
  // Store the PRIVATE attribute of [lo, hi); conversion to shared splits huge
  // folios when the gmem-huge policy says so.
  void gmem_store_attributes(GmemId g, uint64_t lo, uint64_t hi, bool priv);
  // A FOLL_EXCLUSIVE pin holds this folio.
  bool folio_exclusive_pinned(Pfn pfn) const;

  // --- observation (no side effects) ---------------------------------------
  PagemapEntry pagemap(TaskId t, Vpn v) const;
  // mincore() for one page: page-cache residency for file mappings (guest_memfd:
  // only uptodate folios), a present entry for anonymous memory; nullopt if unmapped.
  std::optional<bool> mincore(TaskId t, Vpn v) const;
  // The normal page mapped at v (vm_normal_page): nullopt for none/swap/zero page.
  std::optional<Pfn> mapped_page(TaskId t, Vpn v) const;
  bool task_live(TaskId t) const { return t < s_.tasks.size() && s_.tasks[t].live; }
  const Mm& mm_of(TaskId t) const { return s_.mms[s_.tasks[t].mm]; }

  // --- helpers shared with policies (the narrow interface) --------------------
  Folio& folio(Pfn pfn) { return s_.mem.folio(pfn); }
  const Folio& folio(Pfn pfn) const { return s_.mem.folio(pfn); }
  Page& page(Pfn pfn) { return s_.mem.pages[pfn]; }
  const Page& page(Pfn pfn) const { return s_.mem.pages[pfn]; }
  bool page_anon_exclusive(Pfn pfn) const { return page(pfn).flags & PAGE_ANON_EXCLUSIVE; }
  void set_anon_exclusive(Pfn pfn, bool on);
  // folio_maybe_dma_pinned(): pincount for large folios, else refcount >= bias.
  bool folio_maybe_dma_pinned(Pfn pfn) const;
  // folio_needs_cow_for_dma(): MMF_HAS_PINNED(mm) && folio_maybe_dma_pinned().
  bool folio_needs_cow_for_dma(MmId mm, Pfn pfn) const;
  int folio_mapcount(Pfn pfn) const;
  // folio_expected_ref_count() (include/linux/mm.h, 6.16): the references an
  // anonymous folio has from its mappings and the swap cache alone; anything
  // above is a GUP pin or get, a pipe buffer or the LRU add batch.
  int folio_expected_ref_count(Pfn pfn) const;
  // Whether an mm other than `self` maps a page of this folio (rmap walk; the
  // exact answer the kernel's folio_maybe_mapped_shared() / MM-id slots approximate).
  bool folio_mapped_by_other_mm(Pfn pfn, MmId self) const;
  // page_trans_huge_mapcount() (<= 5.17, mm/huge_memory.c): for a THP the
  // largest subpage mapcount plus the PMD mappings -- as read while a PMD
  // split of the folio may be in progress (huge_memory.cpp); a small page's mapcount.
  int page_trans_huge_mapcount(Pfn pfn) const;
  // lru_add_drain() for the local CPU (the model has one): folios in the LRU
  // add batch move to the LRU and the batch's references are dropped.
  void lru_add_drain();
  // folio_free_swap(): drop the swap cache if nothing else uses the swap slot.
  bool folio_free_swap(Pfn pfn);
  // __swap_count(): PTEs (swap entries) that still reference the swap slot.
  uint32_t swap_count(uint32_t slot) const;
  // folio_referenced()-free view of the LRU a folio is on (for probes/traces).
  bool folio_lazyfree(Pfn pfn) const;  // anon && !swapbacked (MADV_FREE'd or droppable)

  // Internal steps exposed for tests (and the explorer).
  Outcome handle_mm_fault(MmId mm, Vpn v, bool write, bool unshare);
  Outcome handle_pte_fault(MmId mm, Vpn v, bool write, bool unshare);  // without the droppable OOM rule

 private:
  friend struct KernelImpl;
  State& s_;
  const PolicySet& p_;
};

// Recompute every counter from scratch and compare with the stored ones
// (refcount, mapcount, pincount, rss, free frames) plus the PAE invariants
// when the policy tracks PG_anon_exclusive. Returns one line per violation.
std::vector<std::string> check_invariants(const State& s, const PolicySet& p);

// The per-frame and per-object counters check_invariants() recomputes. A
// caller that checks many states (the explorer: once per new state) keeps one
// and passes it in, so that a check allocates no counters; its contents between
// calls mean nothing.
struct InvariantScratch {
  std::vector<int64_t> ref, map, pins, mlocks, entire, large, in_batch, swap_refs;
  std::vector<int64_t> gmem_users, vm_users, file_users;
};
std::vector<std::string> check_invariants(const State& s, const PolicySet& p, InvariantScratch& scratch);

}  // namespace mmsim
