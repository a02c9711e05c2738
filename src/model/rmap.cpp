// Reference and mapcount bookkeeping (mm/rmap.c, mm/swap.c, mm/mlock.c in
// spirit): every PTE that maps a normal page holds one reference and one
// mapcount; the zero page is pte_special and holds neither.
#include <algorithm>
#include <cassert>

#include "model/huge_memory.hpp"
#include "model/internal.hpp"
#include "model/swap.hpp"

namespace mmsim::detail {

std::vector<RmapHit> rmap_walk_ptes(const State& s, Pfn head) {
  std::vector<RmapHit> out;
  const uint32_t nr = s.mem.folios[head].nr_pages();
  for (MmId m = 0; m < s.mms.size(); ++m) {
    if (!s.mms[m].live) continue;
    for (const PteSlot& slot : s.mms[m].pt.slots())
      if (slot.pte.is_present() && slot.pte.pfn() >= head && slot.pte.pfn() < head + nr) out.push_back({m, slot.vpn});
  }
  return out;
}

std::vector<RmapHit> rmap_walk_pmds(const State& s, Pfn head) {
  std::vector<RmapHit> out;
  for (MmId m = 0; m < s.mms.size(); ++m)
    for (const PteSlot& p : s.mms[m].pmds)
      if (p.pte.pfn() == head) out.push_back({m, p.vpn});
  return out;
}

bool folio_mapped_by_other_mm(const State& s, Pfn head, MmId self) {
  const uint32_t nr = s.mem.folios[head].nr_pages();
  for (MmId m = 0; m < s.mms.size(); ++m) {
    if (m == self || !s.mms[m].live) continue;
    for (const PteSlot& slot : s.mms[m].pt.slots())
      if (slot.pte.is_present() && slot.pte.pfn() >= head && slot.pte.pfn() < head + nr) return true;
    for (const PteSlot& p : s.mms[m].pmds)
      if (p.pte.pfn() == head) return true;
  }
  return false;
}

void folio_get(Kernel& k, Pfn pfn, int32_t n) {
  if (pfn == kZeroPfn) return;
  k.folio(pfn).refcount += n;
}

void folio_put(Kernel& k, Pfn pfn, int32_t n) {
  if (pfn == kZeroPfn) return;
  Folio& f = k.folio(pfn);
  f.refcount -= n;
  assert(f.refcount >= 0);
  if (f.refcount == 0) {
    if (f.test(FOLIO_HUGETLB)) k.state().hugetlb_used -= 1;  // free_huge_folio(): back to the pool
    k.state().mem.free(k.state().mem.head(pfn));
  }
}

void anon_vma_prepare(Kernel& k, Vma& vma) {
  if (vma.anon_vma == kNone) vma.anon_vma = k.state().next_anon_vma++;
}

std::optional<Pfn> alloc_anon_folio(Kernel& k, MmId mm, Vma& vma, Vpn v, Token data) {
  (void)mm;
  auto pfn = k.state().mem.alloc(0);
  if (!pfn) return std::nullopt;
  anon_vma_prepare(k, vma);
  Folio& f = k.folio(*pfn);
  // folio_add_new_anon_rmap(): anon + swapbacked; folio_add_lru_vma(): on the
  // LRU (the per-CPU add batch is drained at once unless modelled explicitly).
  f.flags = new_anon_folio_flags(k, vma);
  f.mapping = vma.anon_vma;
  f.index = uint32_t(v);
  Page& p = k.page(*pfn);
  p.data = data;
  p.mapcount = 1;
  // RMAP_EXCLUSIVE: a new anonymous page is exclusive (5.19+).
  if (k.policies().cow->tracks_anon_exclusive()) p.flags |= PAGE_ANON_EXCLUSIVE;
  if (vma.test(VM_LOCKED)) mlock_page(k, *pfn);
  if (!vma.test(VM_HUGETLB)) folio_add_lru(k, *pfn);  // hugetlb folios are never on the LRU
  return pfn;
}

uint32_t new_anon_folio_flags(const Kernel& k, const Vma& vma) {
  // "if (!folio_test_swapbacked(folio) && !(vma->vm_flags & VM_DROPPABLE))
  // __folio_set_swapbacked(folio)": droppable folios stay lazyfree.
  if (vma.test(VM_DROPPABLE) && k.policies().droppable->lazyfree()) return FOLIO_ANON;
  return FOLIO_ANON | FOLIO_SWAPBACKED;
}

void lru_touch(Kernel& k, Pfn head) { k.folio(head).lru_seq = ++k.state().lru_clock; }

void folio_add_lru(Kernel& k, Pfn pfn) {
  State& s = k.state();
  if (s.config.lru_batch == 0) {
    k.folio(pfn).set(FOLIO_LRU);
    lru_touch(k, pfn);  // lru_cache_add_inactive_or_unevictable(): the inactive list's head
    return;
  }
  // __folio_batch_add_and_move(): folio_get(), then move the whole batch when full.
  k.folio(pfn).set(FOLIO_LRU_BATCH);
  folio_get(k, pfn);
  s.lru_add.push_back(pfn);
  if (s.lru_add.size() >= s.config.lru_batch) k.lru_add_drain();
}

void add_pte_mapping(Kernel& k, const Vma& vma, Pfn pfn) {
  if (pfn == kZeroPfn) return;
  folio_get(k, pfn);
  k.page(pfn).mapcount += 1;
  if (vma.test(VM_LOCKED)) mlock_page(k, pfn);
}

void mlock_page(Kernel& k, Pfn pfn) {
  if (pfn == kZeroPfn) return;
  Folio& f = k.folio(pfn);
  f.mlock_count += 1;
  f.set(FOLIO_MLOCKED);
  f.set(FOLIO_UNEVICTABLE);
}

void munlock_page(Kernel& k, Pfn pfn) {
  if (pfn == kZeroPfn) return;
  Folio& f = k.folio(pfn);
  if (f.mlock_count > 0) f.mlock_count -= 1;
  if (f.mlock_count == 0) {
    f.clear(FOLIO_MLOCKED);
    f.clear(FOLIO_UNEVICTABLE);
  }
}

void zap_pte(Kernel& k, MmId mmid, const Vma& vma, Vpn v) {
  Mm& mm = k.state().mms[mmid];
  Pte* pte = mm.pt.find(v);
  if (!pte) return;
  const Pte old = *pte;
  mm.pt.clear(v);
  if (old.is_swap()) {
    // zap_nonpresent_ptes(): free_swap_and_cache() and MM_SWAPENTS.
    mm.rss.swapents -= 1;
    free_swap_and_cache(k, uint32_t(old.val));
    return;
  }
  if (!old.is_present() || old.pfn() == kZeroPfn) return;  // markers just go
  const Pfn pfn = old.pfn();
  Folio& f = k.folio(pfn);
  // zap_present_folio_ptes(): a dirty PTE dirties a file folio; rss goes down;
  // folio_remove_rmap_ptes() drops the mapcount (PG_anon_exclusive stays until
  // the page is freed); the TLB batch drops the reference.
  if (old.dirty() && !f.test(FOLIO_ANON)) f.set(FOLIO_DIRTY);  // only file folios take the PTE dirty bit
  // hugetlb pages are not in rss (hugetlb_count_sub()).
  add_mm_counter(mm.rss, f, -1);
  Page& p = k.page(pfn);
  p.mapcount -= 1;
  if (f.large()) f.large_mapcount -= 1;
  if (vma.test(VM_LOCKED)) munlock_page(k, pfn);
  // tlb_batch_pages_flush() -> free_pages_and_swap_cache() -> free_swap_cache():
  // an unmapped folio leaves the swap cache when no swap PTE needs the slot.
  if (f.test(FOLIO_SWAPCACHE) && k.folio_mapcount(pfn) == 0) k.folio_free_swap(pfn);
  folio_put(k, pfn);
}

void zap_range(Kernel& k, MmId mm, const Vma& vma, Vpn start, Vpn end) {
  // zap_pmd_range(): a PMD wholly inside goes at once (zap_huge_pmd()); one
  // that sticks out is split first (__split_huge_pmd()).
  if (!k.state().mms[mm].pmds.empty()) {
    split_pmds(k, mm, start, end, false);
    std::vector<Vpn> whole;
    for (const PteSlot& p : k.state().mms[mm].pmds)
      if (p.vpn >= start && p.vpn < end) whole.push_back(p.vpn);
    for (Vpn v : whole) zap_huge_pmd(k, mm, v);
  }
  for (Vpn v : k.state().mms[mm].pt.populated(start, end)) zap_pte(k, mm, vma, v);
}

std::optional<Pfn> shmem_get_page(Kernel& k, FileId f, uint64_t idx) {
  State& s = k.state();
  if (s.files[f].pages[idx] != kNoPfn) return s.files[f].pages[idx];
  const FileKind kind = s.files[f].kind;
  // hugetlbfs: alloc_hugetlb_folio() from the pool (one model page is one huge page).
  if (kind == FileKind::Hugetlb && s.hugetlb_used >= s.config.hugetlb) return std::nullopt;
  auto np = s.mem.alloc(0);
  if (!np) return std::nullopt;
  Folio& folio = k.folio(*np);
  // shmem folios are swap-backed (anon LRU); a regular file's page cache is
  // on the file LRU; hugetlb folios are on no LRU.
  folio.flags = kind == FileKind::Shmem ? uint32_t(FOLIO_SHMEM | FOLIO_SWAPBACKED)
              : kind == FileKind::Hugetlb ? uint32_t(FOLIO_HUGETLB)
                                          : 0u;
  folio.mapping = f;
  folio.index = uint32_t(idx);
  s.files[f].pages[idx] = *np;  // the page cache holds the allocation reference
  if (kind == FileKind::Hugetlb)
    s.hugetlb_used += 1;
  else
    folio_add_lru(k, *np);
  return np;
}

void shmem_punch_hole(Kernel& k, FileId id, uint64_t lo, uint64_t hi) {
  // unmap_mapping_range() over every mapping of the file (COW copies stay).
  for (MmId m = 0; m < k.state().mms.size(); ++m) {
    if (!k.state().mms[m].live) continue;
    for (size_t i = 0; i < k.state().mms[m].vmas.size(); ++i) {
      const Vma vma = k.state().mms[m].vmas[i];
      if (vma.file != id) continue;
      const uint64_t a = std::max(lo, vma.pgoff), b = std::min(hi, vma.pgoff + vma.pages());
      for (uint64_t x = a; x < b; ++x) {
        const Vpn v = vma.start + (x - vma.pgoff);
        const Pte pte = k.state().mms[m].pt.get(v);
        if (pte.is_present() && pte.pfn() != kZeroPfn && !k.folio(pte.pfn()).test(FOLIO_ANON)) zap_pte(k, m, vma, v);
      }
    }
  }
  ShmemFile& file = k.state().files[id];
  hi = std::min<uint64_t>(hi, file.pages.size());
  for (uint64_t x = lo; x < hi; ++x) {
    const Pfn p = k.state().files[id].pages[x];
    if (p == kNoPfn) continue;
    k.state().files[id].pages[x] = kNoPfn;
    folio_put(k, p);
  }
}

void file_put(Kernel& k, FileId id) {
  ShmemFile& file = k.state().files[id];
  if (--file.users > 0) return;
  // Last reference to the shmem file: truncate the page cache.
  for (Pfn& pfn : file.pages) {
    if (pfn == kNoPfn) continue;
    const Pfn p = pfn;
    pfn = kNoPfn;
    folio_put(k, p);
  }
}

bool pte_needs_soft_dirty_wp(const State& s, const Vma& vma, const Pte& pte) {
  return s.config.soft_dirty && !vma.test(VM_SOFTDIRTY) && !pte.has(PTE_SOFT_DIRTY);
}

bool can_change_pte_writable(const Kernel& k, const Vma& vma, const Pte& pte, Pfn pfn) {
  if (!vma.test(VM_WRITE) || vma.is_shared()) return false;
  if (pte_needs_soft_dirty_wp(k.state(), vma, pte)) return false;
  if (pte.has(PTE_UFFD_WP)) return false;                                  // userfaultfd_pte_wp()
  if (pfn == kZeroPfn || !k.folio(pfn).test(FOLIO_ANON)) return false;    // vm_normal_page(), PageAnon()
  return k.policies().mprotect_upgrade->may_write(k, pte, pfn);            // the era's rule
}

int fault_to_errno(const Outcome& o) {
  if (o.kind == Outcome::Kind::Oom) return ENOMEM;
  // A GUP that hits a uffd-wp PTE would sleep in handle_userfault() until the
  // monitor resolves it; the model does not block and reports EAGAIN.
  if (o.kind == Outcome::Kind::Userfault) return EAGAIN;
  // A droppable fault without memory: the kernel's GUP would retry until
  // memory turns up; the model does not spin and reports EAGAIN.
  if (o.kind == Outcome::Kind::Retry) return EAGAIN;
  return EFAULT;  // VM_FAULT_SIGBUS / VM_FAULT_SIGSEGV
}

bool access_permitted(const Vma& vma, bool write) {
  // arch/x86/mm/fault.c access_error(): writes need VM_WRITE; reads need any
  // of VM_READ|VM_WRITE|VM_EXEC (x86 cannot express write-only).
  if (write) return vma.test(VM_WRITE);
  return vma.flags & (VM_READ | VM_WRITE | VM_EXEC);
}

}  // namespace mmsim::detail
