// handle_mm_fault() for anonymous and shmem memory (mm/memory.c, mm/shmem.c).
#include <cassert>

#include "model/huge_memory.hpp"
#include "model/hugetlb.hpp"
#include "model/internal.hpp"
#include "model/mthp.hpp"
#include "model/swap.hpp"

namespace mmsim {
using namespace detail;

namespace {

// do_anonymous_page(): a read maps the shared zero page, a write a new page.
Outcome do_anonymous_page(Kernel& k, MmId mmid, Vma& vma, Vpn v, bool write) {
  Mm& mm = k.state().mms[mmid];
  if (!write) {
    // pte_mkspecial(pfn_pte(my_zero_pfn(addr), vma->vm_page_prot)): R/O, no
    // reference, no anon_vma. vm_page_prot carries _PAGE_ACCESSED on x86.
    mm.pt.set(v, Pte::present(kZeroPfn, PTE_SPECIAL | PTE_YOUNG));
    return Outcome::ok();
  }
  // alloc_anon_folio() (6.8+): an mTHP of the highest enabled order that fits.
  if (auto o = do_anonymous_mthp(k, mmid, vma, v)) return *o;
  if (!make_room(k, 0)) return Outcome::oom();
  auto pfn = alloc_anon_folio(k, mmid, vma, v, 0);
  if (!pfn) return Outcome::oom();
  Pte pte = Pte::present(*pfn, PTE_YOUNG);
  pte.mkdirty();
  if (vma.test(VM_WRITE)) pte.set(PTE_WRITE);  // maybe_mkwrite()
  k.state().mms[mmid].pt.set(v, pte);
  k.state().mms[mmid].rss.anon += 1;
  return Outcome::ok();
}

// The droppable `refill` policy's ->fault: a new exclusive page filled by the
// mapping's callback (a fixed token, or the next generation number).
Outcome droppable_refill(Kernel& k, MmId mmid, Vma& vma, Vpn v, bool write) {
  if (!make_room(k, 0)) return Outcome::oom();
  Token data = vma.refill;
  // Generation values are spaced like getrandom keys (2^32 apart) so that a
  // consumer advancing one never meets the next.
  if (data == kRefillGeneration) data = kRefillGeneration + (uint64_t(++k.state().refill_gen) << 32);
  auto pfn = alloc_anon_folio(k, mmid, vma, v, data);
  if (!pfn) return Outcome::oom();
  Pte pte = Pte::present(*pfn, PTE_YOUNG);
  if (write) pte.mkdirty();
  if (vma.test(VM_WRITE)) pte.set(PTE_WRITE);
  k.state().mms[mmid].pt.set(v, pte);
  k.state().mms[mmid].rss.anon += 1;
  return Outcome::ok();
}

// shmem_fault() (filemap_fault() for a regular file) + finish_fault(): find or
// allocate the page-cache page, map it.
// A shared mapping's vm_page_prot is writable when VM_WRITE (no writenotify
// for shmem), so even a read fault maps the page W. A write fault in a
// private mapping is do_cow_fault(): the page-cache page is copied into a new
// anonymous page and only the copy is mapped.
Outcome shmem_fault(Kernel& k, MmId mmid, Vma& vma, Vpn v, bool write) {
  const uint64_t idx = vma.file_index(v);
  if (idx >= k.state().files[vma.file].pages.size()) return Outcome::sig(SIGBUS);  // beyond EOF
  if (!make_room(k, write && !vma.is_shared() ? 1 : 0)) return Outcome::oom();
  auto pc = shmem_get_page(k, vma.file, idx);
  if (!pc) return Outcome::oom();
  const Pfn pfn = *pc;
  Mm& mm = k.state().mms[mmid];
  if (write && !vma.is_shared()) {
    auto anon = alloc_anon_folio(k, mmid, vma, v, k.page(pfn).data);
    if (!anon) return Outcome::oom();
    Pte pte = Pte::present(*anon, PTE_YOUNG);
    pte.mkdirty();
    if (vma.test(VM_WRITE)) pte.set(PTE_WRITE);
    k.state().mms[mmid].pt.set(v, pte);
    k.state().mms[mmid].rss.anon += 1;
    return Outcome::ok();
  }
  add_pte_mapping(k, vma, pfn);
  Pte pte = Pte::present(pfn, PTE_YOUNG);
  // A shared writable mapping: shmem has no writenotify (mapped W at once); a
  // regular file's mapping needs dirty tracking (vma_wants_writenotify()), so
  // only a write fault maps it W (do_shared_fault() -> page_mkwrite).
  const bool regular = k.state().files[vma.file].kind == FileKind::Regular;
  if (vma.is_shared() && vma.test(VM_WRITE) && (!regular || write)) pte.set(PTE_WRITE);
  if (write) {
    pte.mkdirty();
    k.folio(pfn).set(FOLIO_DIRTY);
  }
  mm.pt.set(v, pte);
  add_mm_counter(mm.rss, k.folio(pfn), 1);
  return Outcome::ok();
}

// wp_page_copy(): give the faulting PTE a private copy (a zeroed page when the
// old one is the zero page). Every other holder keeps the old page.
Outcome wp_page_copy(Kernel& k, MmId mmid, Vma& vma, Vpn v, Pte old, bool unshare) {
  const Pfn old_pfn = old.pfn();
  if (k.state().mem.nr_free == 0) {
    // Direct reclaim with the old page referenced (wp_page_copy() holds a
    // reference), then "if (likely(vmf->pte && pte_same(ptep_get(vmf->pte),
    // vmf->orig_pte)))" or the fault is retried.
    folio_get(k, old_pfn);
    const bool room = make_room(k, 0);
    folio_put(k, old_pfn);
    if (!room) return Outcome::oom();
    if (!(k.state().mms[mmid].pt.get(v) == old)) return Outcome::ok();
  }
  const Token data = old_pfn == kZeroPfn ? 0 : k.page(old_pfn).data;
  auto pfn = alloc_anon_folio(k, mmid, vma, v, data);
  if (!pfn) return Outcome::oom();
  Pte pte = Pte::present(*pfn, PTE_YOUNG);
  if (unshare) {
    // FAULT_FLAG_UNSHARE: the copy stays R/O but keeps soft-dirty / uffd-wp.
    pte.bits |= old.bits & (PTE_SOFT_DIRTY | PTE_UFFD_WP);
  } else {
    pte.mkdirty();
    if (vma.test(VM_WRITE)) pte.set(PTE_WRITE);
  }
  Mm& mm = k.state().mms[mmid];
  mm.pt.set(v, pte);
  if (old_pfn == kZeroPfn) {
    mm.rss.anon += 1;  // inc_mm_counter(MM_ANONPAGES): replacing the zero page
  } else {
    // ptep_clear_flush() + folio_remove_rmap_pte() on the old page (its PTE
    // dirty bit is dropped, not transferred), then drop the PTE's reference.
    k.page(old_pfn).mapcount -= 1;
    if (k.folio(old_pfn).large()) k.folio(old_pfn).large_mapcount -= 1;
    if (vma.test(VM_LOCKED)) munlock_page(k, old_pfn);
    if (!k.folio(old_pfn).test(FOLIO_ANON)) {
      add_mm_counter(mm.rss, k.folio(old_pfn), -1);  // mm_counter_file(): shmem or file
      mm.rss.anon += 1;
    }
    folio_put(k, old_pfn);
  }
  return Outcome::ok();
}

// wp_page_reuse(): the same page becomes writable (and dirty, and young).
void wp_page_reuse(Kernel& k, MmId mmid, const Vma& vma, Vpn v) {
  Pte* pte = k.state().mms[mmid].pt.find(v);
  pte->set(PTE_YOUNG);
  pte->mkdirty();
  if (vma.test(VM_WRITE)) pte->set(PTE_WRITE);
}

// do_wp_page(): a write (or unshare) fault on a present, R/O PTE.
Outcome do_wp_page(Kernel& k, MmId mmid, Vma& vma, Vpn v, Pte pte, bool unshare) {
  // "if (userfaultfd_pte_wp(vma, ptent)) return handle_userfault(vmf, VM_UFFD_WP)":
  // a write (not an unshare) to a uffd-wp PTE goes to the monitor first.
  if (!unshare && pte.has(PTE_UFFD_WP) && vma.test(VM_UFFD_WP)) return Outcome::userfault();
  if (vma.flags & (VM_SHARED | VM_MAYSHARE)) {
    // wp_page_shared(): no COW in shared mappings; unsharing is meaningless.
    if (unshare) return Outcome::ok();
    wp_page_reuse(k, mmid, vma, v);
    k.folio(pte.pfn()).set(FOLIO_DIRTY);
    return Outcome::ok();
  }
  const Pfn pfn = pte.pfn();
  // vm_normal_page() is NULL for the zero page: always copy (for unshare: a
  // R/O long-term pin in a COW mapping, 6.2+ 8d6a0ac09a16).
  if (pfn == kZeroPfn) return wp_page_copy(k, mmid, vma, v, pte, unshare);
  if (k.folio(pfn).test(FOLIO_ANON)) {
    folio_lock_wait(k, pfn);  // trylock_page()/lock_page() before the reuse test (a THP being split)
    const WpAction act = k.policies().cow->wp_anon(k, WpFault{mmid, v, pfn, unshare});
    if (act == WpAction::Reuse) {
      if (!unshare) wp_page_reuse(k, mmid, vma, v);
      return Outcome::ok();  // unshare: the PTE stays R/O, the page is now exclusive
    }
  }
  return wp_page_copy(k, mmid, vma, v, pte, unshare);
}

}  // namespace

Outcome Kernel::handle_mm_fault(MmId mmid, Vpn v, bool write, bool unshare) {
  const Vma* vma = s_.mms[mmid].vma_at(v);
  if (!vma) return Outcome::sig(SIGSEGV);
  // "If the mapping is droppable, then errors due to OOM aren't fatal": no
  // signal, the access is retried (is_droppable is a snapshot, 6.11 UAF fix).
  const bool is_droppable = vma->test(VM_DROPPABLE);
  Outcome o = handle_pte_fault(mmid, v, write, unshare);
  if (is_droppable && o.kind == Outcome::Kind::Oom) return Outcome::retry();
  return o;
}

Outcome Kernel::handle_pte_fault(MmId mmid, Vpn v, bool write, bool unshare) {
  Mm& mm = s_.mms[mmid];
  Vma* vma = mm.vma_at(v);
  if (vma->test(VM_HUGETLB)) return detail::hugetlb_fault(*this, mmid, *vma, v, write, unshare);
  if (!mm.pmds.empty())
    if (PteSlot* pmd = detail::pmd_at(mm, v, detail::hpage_nr(s_))) {
      // A PMD-mapped THP: do_huge_pmd_wp_page() for (WRITE|UNSHARE) on a R/O PMD.
      if ((write || unshare) && !pmd->pte.write()) return detail::do_huge_pmd_wp_page(*this, mmid, *vma, v, unshare);
      pmd->pte.set(PTE_YOUNG);
      if (write) pmd->pte.mkdirty();
      return Outcome::ok();
    }
  const Pte pte = mm.pt.get(v);
  switch (pte.kind) {
    case PteKind::None:
      if (unshare && !write) return Outcome::ok();  // nothing mapped: nothing to unshare
      if (vma->is_gmem()) return gmem_fault(*this, mmid, *vma, v, write);
      if (!vma->is_anonymous()) return shmem_fault(*this, mmid, *vma, v, write);
      if (vma->test(VM_DROPPABLE) && p_.droppable->on_none() == DroppedFault::Refill)
        return droppable_refill(*this, mmid, *vma, v, write || unshare);
      // do_huge_pmd_anonymous_page(): a THP, or for a read the huge zero page.
      if (detail::thp_eligible(s_, mm, *vma, v))
        if (auto o = detail::do_huge_pmd_anonymous_page(*this, mmid, *vma, v, write)) return *o;
      return do_anonymous_page(*this, mmid, *vma, v, write);
    case PteKind::Swap:
      return detail::do_swap_page(*this, mmid, *vma, v, pte, write);
    case PteKind::Marker:
      if (pte.marker == PteMarker::Dropped) {
        // A page the droppable policy marked when reclaim dropped it.
        switch (p_.droppable->on_marker()) {
          case DroppedFault::Sigbus: return Outcome::sig(SIGBUS);
          case DroppedFault::Refill: mm.pt.clear(v); return droppable_refill(*this, mmid, *vma, v, write);
          case DroppedFault::ZeroFill: mm.pt.clear(v); return do_anonymous_page(*this, mmid, *vma, v, write);
        }
      }
      return Outcome::sig(SIGBUS);  // other markers are not created by the model
    case PteKind::Present:
      break;
  }
  // handle_pte_fault(): (WRITE|UNSHARE) on a R/O PTE goes to do_wp_page().
  if ((write || unshare) && !pte.write()) return do_wp_page(*this, mmid, *vma, v, pte, unshare);
  Pte* p = mm.pt.find(v);
  p->set(PTE_YOUNG);
  if (write) p->mkdirty();
  return Outcome::ok();
}

Outcome Kernel::read(TaskId t, Vpn v, Token* out) {
  if (!task_live(t)) return Outcome::err(ESRCH);  // no such (live) process
  const MmId mmid = s_.tasks[t].mm;
  for (int tries = 0; tries < 8; ++tries) {
    Mm& mm = s_.mms[mmid];
    const Vma* vma = mm.vma_at(v);
    if (!vma || !access_permitted(*vma, false)) return Outcome::sig(SIGSEGV);
    const Pte view = detail::effective_pte(s_, mm, v);
    if (view.is_present()) {
      detail::entry_for_update(s_, mm, v)->set(PTE_YOUNG);  // the MMU sets the accessed bit
      *out = view.pfn() == kZeroPfn ? 0 : page(view.pfn()).data;
      return Outcome::ok();
    }
    if (Outcome o = handle_mm_fault(mmid, v, false, false); !o) return o;
  }
  assert(false && "read fault did not make progress");
  return Outcome::sig(SIGBUS);
}

Outcome Kernel::write(TaskId t, Vpn v, Token value) {
  if (!task_live(t)) return Outcome::err(ESRCH);  // no such (live) process
  const MmId mmid = s_.tasks[t].mm;
  for (int tries = 0; tries < 8; ++tries) {
    Mm& mm = s_.mms[mmid];
    const Vma* vma = mm.vma_at(v);
    if (!vma || !access_permitted(*vma, true)) return Outcome::sig(SIGSEGV);
    const Pte view = detail::effective_pte(s_, mm, v);
    if (view.is_present() && view.write()) {
      // The MMU sets accessed and dirty; soft-dirty is a software bit that
      // only pte_mkdirty() sets, so a write through a W PTE leaves it alone.
      Pte* e = detail::entry_for_update(s_, mm, v);
      e->set(PTE_YOUNG);
      e->set(PTE_DIRTY);
      page(view.pfn()).data = value;
      return Outcome::ok();
    }
    if (Outcome o = handle_mm_fault(mmid, v, true, false); !o) return o;
  }
  assert(false && "write fault did not make progress");
  return Outcome::sig(SIGBUS);
}

}  // namespace mmsim
