// GUP: __get_user_pages() / follow_page_pte() / try_grab_folio() (mm/gup.c),
// the release side (unpin_user_pages_dirty_lock(), put_page()) and a device
// doing DMA through what it holds.
#include <cassert>

#include "model/huge_memory.hpp"
#include "model/internal.hpp"

namespace mmsim {
using namespace detail;

namespace detail {

namespace {

// check_vma_flags() (mm/gup.c).
int check_vma_flags(const Vma& vma, uint32_t foll) {
  if (vma.test(VM_IO)) return EFAULT;
  if (foll & FOLL_WRITE) {
    if (!vma.test(VM_WRITE)) {
      if (!(foll & FOLL_FORCE)) return EFAULT;
      if (!vma.is_cow_mapping()) return EFAULT;
    }
  } else if (!vma.test(VM_READ)) {
    if (!(foll & FOLL_FORCE)) return EFAULT;
    if (!vma.test(VM_MAYREAD)) return EFAULT;
  }
  return 0;
}

// can_follow_write_pte() (6.0+, 5535be309971): a FOLL_FORCE write may use a
// R/O PTE in a private mapping without VM_WRITE once the page is an exclusive
// anonymous page (the write fault already broke COW) and no soft-dirty or
// uffd-wp tracking wants the write fault.
bool can_follow_write_pte(Kernel& k, const Vma& vma, const Pte& pte, uint32_t foll) {
  if (pte.write()) return true;
  if (!(foll & FOLL_FORCE) || vma.test(VM_WRITE) || !vma.is_cow_mapping()) return false;
  const Pfn pfn = pte.pfn();
  if (pfn == kZeroPfn || !k.folio(pfn).test(FOLIO_ANON) || !k.page_anon_exclusive(pfn)) return false;
  if (pte_needs_soft_dirty_wp(k.state(), vma, pte)) return false;
  return !pte.has(PTE_UFFD_WP);
}

// try_grab_folio(): FOLL_GET takes a reference; FOLL_PIN takes
// GUP_PIN_COUNTING_BIAS on a small folio, or 1 + pincount on a large one,
// and never pins the zero page (c8070b787519). Whether a FOLL_PIN may be
// taken at all (FOLL_EXCLUSIVE) is the gmem-pin policy's; an exclusive pin
// adds GUP_PIN_EXCLUSIVE_BIAS instead of a plain pin's bias.
int try_grab_folio(Kernel& k, Pfn pfn, uint32_t foll) {
  if (pfn == kZeroPfn) return 0;
  if (foll & FOLL_PIN)
    if (int e = k.policies().gmem_pin->try_pin(k, pfn, foll)) return e;
  Folio& f = k.folio(pfn);
  const int32_t bias = (foll & FOLL_EXCLUSIVE) ? kGupPinExclusiveBias : 1;
  if (foll & FOLL_GET) {
    f.refcount += 1;
  } else if (f.large()) {
    f.refcount += 1;
    f.pincount += bias;
  } else {
    f.refcount += (foll & FOLL_EXCLUSIVE) ? kGupPinExclusiveBias : kGupPinCountingBias;
  }
  return 0;
}

}  // namespace

int gup_one(Kernel& k, MmId mmid, Vpn v, uint32_t foll, Pfn* out) {
  // check_vma_flags() always sees the caller's flags: the 5.8 forced COW
  // break adds FOLL_WRITE only after it (17839856fd58), so a R/O GUP of a R/O
  // private mapping still passes.
  const uint32_t caller = foll;
  // FOLL_COW (4.9-5.19): set once a write fault ran on a VMA without VM_WRITE;
  // then a dirty R/O PTE may be followed for writing.
  bool foll_cow = false;
  for (int tries = 0; tries < 8; ++tries) {
    Mm& mm = k.state().mms[mmid];
    const Vma* vma = mm.vma_at(v);
    if (!vma) return EFAULT;
    if (int e = check_vma_flags(*vma, caller)) return e;
    bool huge = false;
    const Pte pte = effective_pte(k.state(), mm, v, &huge);
    if (!pte.is_present()) {
      // faultin_page(): FAULT_FLAG_WRITE iff FOLL_WRITE.
      if (Outcome o = k.handle_mm_fault(mmid, v, foll & FOLL_WRITE, false); !o) return fault_to_errno(o);
      if ((foll & FOLL_WRITE) && !vma->test(VM_WRITE)) foll_cow = true;
      continue;
    }
    const Pfn pfn = pte.pfn();
    if ((foll & FOLL_WRITE) && !pte.write() && !can_follow_write_pte(k, *vma, pte, foll) &&
        !(foll_cow && pte.dirty())) {
      // can_follow_write_pte() fails: break COW with a write fault first.
      if (Outcome o = k.handle_mm_fault(mmid, v, true, false); !o) return fault_to_errno(o);
      if (!vma->test(VM_WRITE)) foll_cow = true;
      continue;
    }
    if (!(foll & FOLL_WRITE) && !pte.write()) {
      const bool anon = pfn != kZeroPfn && k.folio(pfn).test(FOLIO_ANON);
      // A PMD mapping's exclusivity is on the head page (follow_huge_pmd()).
      const Pfn decide = huge ? k.state().mem.head(pfn) : pfn;
      switch (k.policies().cow->gup_read(k, GupRead{mmid, v, decide, anon, vma->is_cow_mapping(), foll})) {
        case GupReadAction::Grab:
          break;
        case GupReadAction::Unshare:
          // gup_must_unshare() -> -EMLINK -> faultin_page(FAULT_FLAG_UNSHARE).
          if (Outcome o = k.handle_mm_fault(mmid, v, false, true); !o) return fault_to_errno(o);
          continue;
        case GupReadAction::WriteFault:
          // 5.8 should_force_cow_break(): the GUP becomes FOLL_WRITE.
          foll |= FOLL_WRITE;
          continue;
      }
    }
    if (int e = try_grab_folio(k, pfn, foll)) return e;
    if (pfn != kZeroPfn) {
      // FOLL_TOUCH (follow_page_pte()): mark accessed; a FOLL_WRITE GUP
      // dirties the folio unless the PTE already carries the dirty bit.
      Pte* p = entry_for_update(k.state(), mm, v);
      if ((foll & FOLL_WRITE) && !p->dirty()) k.folio(pfn).set(FOLIO_DIRTY);
      p->set(PTE_YOUNG);
    }
    *out = pfn;
    return 0;
  }
  return EFAULT;
}

void gup_put_page(Kernel& k, Pfn pfn, uint32_t foll) {
  if (pfn == kZeroPfn) return;
  if (foll & FOLL_GET) return folio_put(k, pfn);
  Folio& f = k.folio(pfn);
  if (f.large()) {
    f.pincount -= (foll & FOLL_EXCLUSIVE) ? kGupPinExclusiveBias : 1;
    return folio_put(k, pfn, 1);
  }
  folio_put(k, pfn, (foll & FOLL_EXCLUSIVE) ? kGupPinExclusiveBias : kGupPinCountingBias);  // gup_put_folio()
}

}  // namespace detail

Outcome Kernel::gup(TaskId owner, TaskId target, Vpn start, uint64_t pages, uint32_t foll, GupId* out) {
  if (!task_live(target) || !task_live(owner)) return Outcome::err(ESRCH);
  // is_valid_gup_args(): FOLL_EXCLUSIVE only where it exists, and only with FOLL_PIN.
  if ((foll & FOLL_EXCLUSIVE) && (!p_.gmem_pin->has_exclusive_pins() || !(foll & FOLL_PIN)))
    return Outcome::err(EINVAL);
  const MmId mmid = s_.tasks[target].mm;
  // mm_set_has_pinned_flag(): any FOLL_PIN attempt marks the mm, forever.
  if (foll & FOLL_PIN) s_.mms[mmid].flags |= MMF_HAS_PINNED;
  GupRef ref{.foll = foll, .owner = owner, .mm = mmid, .vpn = start};
  for (uint64_t i = 0; i < pages; ++i) {
    Pfn pfn = kNoPfn;
    if (int e = gup_one(*this, mmid, start + i, foll, &pfn)) {
      // All or nothing (what io_uring buffer registration does with a short pin).
      for (Pfn p : ref.pfns) gup_put_page(*this, p, foll);
      return Outcome::err(e);
    }
    ref.pfns.push_back(pfn);
  }
  s_.gups.push_back(std::move(ref));
  *out = GupId(s_.gups.size() - 1);
  return Outcome::ok();
}

Outcome Kernel::gup_release(GupId g, bool dirty) {
  GupRef& ref = s_.gups[g];
  if (!ref.live) return Outcome::err(EINVAL);
  const std::vector<Pfn> pfns = std::move(ref.pfns);
  const uint32_t foll = ref.foll;
  s_.gups[g].pfns.clear();
  s_.gups[g].live = 0;
  for (Pfn pfn : pfns) {
    // unpin_user_pages_dirty_lock(make_dirty): folio_mark_dirty() first.
    if (dirty && pfn != kZeroPfn) folio(pfn).set(FOLIO_DIRTY);
    gup_put_page(*this, pfn, foll);
  }
  return Outcome::ok();
}

Outcome Kernel::dma_read(GupId g, uint64_t idx, Token* out) {
  const GupRef& ref = s_.gups[g];
  if (!ref.live || idx >= ref.pfns.size()) return Outcome::err(EINVAL);
  const Pfn pfn = ref.pfns[idx];
  *out = pfn == kZeroPfn ? 0 : page(pfn).data;
  return Outcome::ok();
}

Outcome Kernel::dma_write(GupId g, uint64_t idx, Token value) {
  const GupRef& ref = s_.gups[g];
  if (!ref.live || idx >= ref.pfns.size()) return Outcome::err(EINVAL);
  // A device may only write through a mapping taken with FOLL_WRITE (the
  // IOMMU mapping of a R/O pin is read-only): the model reports EFAULT.
  if (!(ref.foll & FOLL_WRITE)) return Outcome::err(EFAULT);
  page(ref.pfns[idx]).data = value;
  return Outcome::ok();
}

}  // namespace mmsim
