// The policy seam. Each contested design choice is a small object behind one
// of these narrow interfaces, chosen by name; the mechanism (src/model) calls
// it at the exact point where the kernels of different eras differ, and never
// hard-codes the answer itself. Policies are stateless: all state lives in
// State, so one policy object serves every cloned state.
#pragma once
#include <string_view>

#include "model/types.hpp"

namespace mmsim {

class Kernel;
struct Vma;

enum class WpAction { Reuse, Copy };
// do_huge_pmd_wp_page(): reuse the THP, copy it whole (<= 5.7), or split the
// PMD and let the PTE rules handle the one subpage (5.8+, 3917c80280c9).
enum class HugeWpAction { Reuse, CopyWhole, Split };
enum class ForkAction { Share, CopyForChild };
enum class GupReadAction { Grab, Unshare, WriteFault };

// A write fault (or FAULT_FLAG_UNSHARE fault) on a present, R/O-mapped page.
struct WpFault {
  MmId mm;
  Vpn vpn;
  Pfn pfn;       // the mapped page (never the zero page: that always copies)
  bool unshare;  // FAULT_FLAG_UNSHARE from a R/O pin, instead of a write
};

struct Pte;

// A GUP without FOLL_WRITE meeting a present PTE that is not writable.
struct GupRead {
  MmId mm;
  Vpn vpn;
  Pfn pfn;
  bool anon;         // PageAnon (false for the zero page and shmem pages)
  bool cow_mapping;  // is_cow_mapping(vma->vm_flags)
  uint32_t foll;     // FOLL_* flags
};

// do_swap_page() for an anonymous page found in (or read into) the swap
// cache. The folio holds the swap cache's and the fault's references; the
// swap PTE's slot reference is already released (do_swap_page() calls
// swap_free() first here; reuse_swap_page.hpp counts it back with `extra`).
struct SwapinFault {
  MmId mm;
  Vpn vpn;
  Pfn pfn;
  uint32_t slot;       // the swap entry's slot
  bool write;          // FAULT_FLAG_WRITE
  bool exclusive_bit;  // pte_swp_exclusive() of the swap PTE (5.19+)
  bool free_hint;      // swap is more than half full, or the VMA/folio is mlocked:
                       // every era then tries to free the swap cache
};
// How to map it: RMAP_EXCLUSIVE (PG_anon_exclusive) and whether the new PTE
// may be writable at once. The mechanism still refuses W when the VMA is not
// writable or uffd-wp / soft-dirty tracking needs the fault.
struct SwapinAction {
  bool exclusive = false;
  bool writable = false;
};

// What every policy has: a stable name (what --policy knob=NAME and
// expect[knob=NAME] use) and a one-line summary for `mmsim profiles`.
class Policy {
 public:
  virtual ~Policy() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view summary() const = 0;
  // A design from a mailing-list thread that no kernel shipped: no profile
  // chooses it; `--policy knob=NAME` runs it.
  virtual bool proposal() const { return false; }
};

// Knob "cow": when may a write fault reuse an anonymous page, what does fork
// do with a (maybe) pinned page, what does a R/O GUP do to a shared page.
class CowPolicy : public Policy {
 public:
  // Whether PG_anon_exclusive exists in this era (5.19+); probes and the
  // PAE self-checks only apply when it does.
  virtual bool tracks_anon_exclusive() const = 0;
  // Whether mm->has_pinned / MMF_HAS_PINNED exists in this era (5.9+,
  // 008cfe4418b3): the `has_pinned` probe reads `none` where it does not.
  virtual bool tracks_has_pinned() const { return true; }

  // do_wp_page() for an anonymous, non-KSM page in a COW mapping. May call the
  // kernel's helpers (lru_add_drain, folio_free_swap, set PAE); must not touch
  // the PTE: the mechanism maps (Reuse) or copies (Copy).
  virtual WpAction wp_anon(Kernel& k, const WpFault& f) const = 0;
  // do_huge_pmd_wp_page() for a PMD-mapped anonymous THP (f.pfn = head).
  virtual HugeWpAction wp_huge_pmd(Kernel& k, const WpFault& f) const = 0;
  // copy_present_pte() for an anonymous page mapped in the parent. Share:
  // the mechanism wrprotects both PTEs and takes the reference; the policy
  // has already done its rmap bookkeeping (e.g. clearing PAE).
  virtual ForkAction fork_anon(Kernel& k, MmId src, Pfn pfn) const = 0;
  // follow_page_pte() for a R/O GUP on a R/O PTE.
  virtual GupReadAction gup_read(Kernel& k, const GupRead& g) const = 0;
  // do_swap_page(): reuse_swap_page() (<= 5.17), the refcount rule after
  // freeing the swap cache (5.18), the swap PTE's exclusive bit (5.19+). May
  // call k.folio_free_swap().
  virtual SwapinAction swapin(Kernel& k, const SwapinFault& f) const = 0;
};

// Knob "swapout-pinned": may reclaim put a maybe-pinned anonymous folio into
// the swap cache and unmap it (<= 5.10.0), or does shrink_folio_list() keep it
// (feb889fb40fa "mm: don't put pinned pages into the swap cache", 5.11 and
// 5.10.y)? From 5.19 try_to_unmap_one() also refuses pinned PAE pages.
class SwapoutPinnedPolicy : public Policy {
 public:
  virtual bool keep_pinned() const = 0;
};

// What reclaim leaves behind in a droppable mapping, and what the next
// access there sees (knob "droppable": zero / sigbus / refill / pinned, the
// designs argued over in the MAP_DROPPABLE threads, spec droppable.md §9).
enum class DroppedFault { ZeroFill, Sigbus, Refill };
class DroppablePolicy : public Policy {
 public:
  // Does mmap() know MAP_DROPPABLE at all (6.11+)?
  virtual bool supported() const { return true; }
  // Extra vm_flags a droppable mmap gets (pinned: VM_LOCKED, charged to
  // RLIMIT_MEMLOCK like MAP_LOCKED).
  virtual uint64_t extra_vm_flags() const { return 0; }
  // folio_add_new_anon_rmap(): leave the folio !PG_swapbacked (lazyfree,
  // dropped by reclaim even when dirty, never swapped). false: ordinary anon.
  virtual bool lazyfree() const { return true; }
  // Does try_to_unmap_one() leave a marker when it drops a page here?
  virtual bool mark_dropped() const { return false; }
  // A fault on a none PTE (first touch, or after a drop without a marker).
  virtual DroppedFault on_none() const { return DroppedFault::ZeroFill; }
  // A fault on a Dropped marker.
  virtual DroppedFault on_marker() const { return DroppedFault::Sigbus; }
};

// Knob "clear-refs": does `echo 4 > /proc/PID/clear_refs` write-protect a
// writable PTE of a maybe-pinned page (9348b73c2e1b, 5.10.9/5.11, skips it)?
class ClearRefsPolicy : public Policy {
 public:
  // true: leave this present, writable PTE alone (still soft-dirty).
  virtual bool skip_pte(const Kernel& k, MmId mm, const Vma& vma, Pfn pfn) const = 0;
};

// Knob "hugetlb-fork": does fork copy a maybe-pinned hugetlb page for the
// child (4eae4efa2c29 "hugetlb: do early cow when page pinned on src mm",
// 5.12) or share it like any other (<= 5.11)?
class HugetlbForkPolicy : public Policy {
 public:
  virtual ForkAction fork_hugetlb(Kernel& k, MmId src, Pfn pfn) const = 0;
};

// Knob "huge-zero-wp": what a write (or unshare) fault on the huge zero PMD
// does (do_huge_pmd_wp_page()): map a new zeroed THP (<= 5.7 "goto alloc";
// 6.13+ do_huge_zero_wp_pmd(), 1ced09e0331f) or split the PMD into PTEs of
// the small zero page and COW 4K (5.8-6.12, 3917c80280c9).
enum class HugeZeroWpAction { AllocThp, Split };
class HugeZeroWpPolicy : public Policy {
 public:
  virtual HugeZeroWpAction wp_huge_zero() const = 0;
};

// Knob "mthp": anonymous multi-size THP (6.8+, alloc_anon_folio()). Where it
// is missing, a write fault gets a PMD THP or an order-0 page, and the
// per-size sysfs controls (`config mthp=`) do not exist.
class MthpPolicy : public Policy {
 public:
  // alloc_anon_folio() may allocate orders below the PMD order.
  virtual bool anon_orders() const = 0;
};

// Knob "thp-split-lock": does __split_huge_pmd() hold the THP's page lock
// while it moves the PMD mapping's count to the subpages (c444eb564fb1, 5.8 /
// 5.7.5)? If so, a fault that locks the page (do_huge_pmd_wp_page(),
// do_wp_page() before reuse_swap_page()) waits for the split to finish;
// if not, it may read the transient, under-counted mapcount (CVE-2020-29368).
class ThpSplitLockPolicy : public Policy {
 public:
  virtual bool split_holds_page_lock() const = 0;
};

// Knob "dio": which GUP reference a direct-I/O read()/write() takes on the
// user buffer for the time of the I/O: FOLL_GET (<= 6.4, iov_iter_get_pages)
// or FOLL_PIN (6.5+, iov_iter_extract_pages, b7c96963925f). The mechanism
// adds FOLL_WRITE for a read() into the buffer.
class DioPolicy : public Policy {
 public:
  virtual uint32_t foll() const = 0;  // FOLL_GET or FOLL_PIN
};

// Knob "mremap-move": may a same-size mremap(MREMAP_MAYMOVE|MREMAP_FIXED)
// move a range of several VMAs, keeping the gaps between them (6.17+,
// remap_move(), d23cb648e365), or must the range lie in one VMA (<= 6.16,
// vma_to_resize()/check_prep_vma(): EFAULT)?
class MremapMovePolicy : public Policy {
 public:
  virtual bool multi_vma() const = 0;
};

// Knob "mprotect-upgrade": when mprotect() (or a uffd-wp resolve) makes a
// private VMA writable, may a present R/O PTE become writable at once
// (MM_CP_TRY_CHANGE_WRITABLE / can_change_pte_writable(), private branch)?
class MprotectUpgradePolicy : public Policy {
 public:
  virtual bool may_write(const Kernel& k, const Pte& pte, Pfn pfn) const = 0;
};

// KVM_SET_MEMORY_ATTRIBUTES2 on a guest_memfd fd (in-place conversion).
struct GmemAttributes {
  uint32_t gmem;            // GmemId
  uint64_t offset = 0;      // bytes
  uint64_t size = 0;        // bytes
  uint64_t attributes = 0;  // KVM_MEMORY_ATTRIBUTE_PRIVATE or 0 (shared)
  uint64_t flags = 0;
  bool reserved = false;    // some reserved[] word is non-zero
};

// Knob "gmem-conversion": does guest_memfd track shared/private per index and
// convert in place (the 2026 series, kvm.vm_memory_attributes=0), or is
// shareability the whole file's INIT_SHARED flag plus the VM's per-GFN
// attributes (6.18)?
class GmemConversionPolicy : public Policy {
 public:
  // Per-index attributes live in guest_memfd (default private unless
  // INIT_SHARED); the VM ioctl KVM_SET_MEMORY_ATTRIBUTES is gone (ENOTTY),
  // INIT_SHARED is allowed for every VM type and kvm_mem_is_private() asks
  // guest_memfd.
  virtual bool per_index_attributes() const = 0;
  // The guest_memfd ioctl KVM_SET_MEMORY_ATTRIBUTES2. *error_offset is set on
  // EAGAIN (the first folio with references above its baseline).
  virtual int set_attributes(Kernel& k, const GmemAttributes& req, uint64_t* error_offset) const = 0;
};

// Knob "gmem-huge": huge folios in guest_memfd (HugeTLB-backed, RFC).
class GmemHugePolicy : public Policy {
 public:
  // GUEST_MEMFD_FLAG_HUGETLB exists (else it is an unknown flag: EINVAL).
  virtual bool supports_hugetlb() const = 0;
  // A huge folio was just added at `index` (its first index): split it to 4K now?
  virtual bool split_new_folio(const Kernel& k, uint32_t gmem, uint64_t index) const = 0;
  // Conversion of part of a huge folio to shared: split it (else the conversion
  // would leave a shared subpage in a huge private folio).
  virtual bool split_on_share() const = 0;
  // PUNCH_HOLE of a hugetlb guest_memfd: ranges must be huge-page aligned, and
  // split pages are merged back before they are freed (EAGAIN if a page still
  // has references above its baseline).
  virtual bool merge_on_punch() const = 0;
};

// Knob "gmem-pin": may a FOLL_PIN be taken on this folio? (exclusive GUP
// pinning RFC: FOLL_EXCLUSIVE pins exclude every other FOLL_PIN).
class GmemPinPolicy : public Policy {
 public:
  // FOLL_EXCLUSIVE exists (is_valid_gup_args() rejects it otherwise: EINVAL).
  virtual bool has_exclusive_pins() const = 0;
  // try_grab_folio() for FOLL_PIN (with or without FOLL_EXCLUSIVE): 0 or an errno.
  virtual int try_pin(const Kernel& k, Pfn pfn, uint32_t foll) const = 0;
};

}  // namespace mmsim
