// Address-space system calls: mmap, munmap, mprotect, madvise, mlock/munlock
// (mm/mmap.c, mm/vma.c, mm/mprotect.c, mm/madvise.c, mm/mlock.c), with VMA
// splitting and merging. Errnos follow the real kernel, including partial
// application before a hole (mprotect/mlock stop there, madvise goes on).
#include <algorithm>

#include "model/huge_memory.hpp"
#include "model/internal.hpp"

namespace mmsim {
using namespace detail;

namespace detail {

size_t split_at(Kernel& k, Mm& mm, Vpn v) {
  Vma* vma = mm.vma_at(v);
  const size_t idx = size_t(vma - mm.vmas.data());
  if (vma->start == v) return idx;
  Vma hi = *vma;
  hi.start = v;
  hi.pgoff = vma->pgoff + (v - vma->start);
  vma->end = v;
  if (hi.file != kNone) k.state().files[hi.file].users += 1;  // the new VMA holds the file too
  if (hi.gmem != kNone) k.state().gmems[hi.gmem].users += 1;
  mm.vmas.insert(mm.vmas.begin() + ptrdiff_t(idx) + 1, hi);
  return idx + 1;
}

namespace {
bool can_merge(const Vma& a, const Vma& b) {
  if (a.end != b.start || a.file != b.file || a.gmem != b.gmem) return false;
  if ((a.flags & ~VM_IGNORE_MERGE) != (b.flags & ~VM_IGNORE_MERGE)) return false;
  if (a.pgoff + a.pages() != b.pgoff) return false;
  // A special mapping's ->fault (the droppable `refill` callback) is per VMA
  // (is_mergeable_vma() compares vm_ops).
  if (a.refill != b.refill) return false;
  // is_mergeable_anon_vma(): the same anon_vma, or one side has none yet.
  return a.anon_vma == kNone || b.anon_vma == kNone || a.anon_vma == b.anon_vma;
}
}  // namespace

void merge_vmas(Kernel& k, Mm& mm) {
  for (size_t i = 0; i + 1 < mm.vmas.size();) {
    Vma& a = mm.vmas[i];
    const Vma& b = mm.vmas[i + 1];
    if (!can_merge(a, b)) {
      ++i;
      continue;
    }
    a.end = b.end;
    if (a.anon_vma == kNone) a.anon_vma = b.anon_vma;
    a.flags |= b.flags & VM_SOFTDIRTY;
    if (b.file != kNone) k.state().files[b.file].users -= 1;  // cannot reach 0: `a` still holds it
    if (b.gmem != kNone) k.state().gmems[b.gmem].users -= 1;
    mm.vmas.erase(mm.vmas.begin() + ptrdiff_t(i) + 1);
  }
}

}  // namespace detail

namespace {

// get_unmapped_area(), top-down below mmap_base, no guard gaps for anon.
Vpn unmapped_area(const Mm& mm, uint64_t pages) {
  Vpn hi = kMmapBase;
  for (auto it = mm.vmas.rbegin(); it != mm.vmas.rend(); ++it) {
    if (it->start >= hi) continue;
    if (it->end + pages <= hi) return hi - pages;
    hi = it->start;
  }
  return hi - pages;
}

// Make [v] present (and writable for write) the way GUP's faultin does,
// without taking a reference: __mm_populate() and MADV_POPULATE_*.
int faultin(Kernel& k, MmId mmid, Vpn v, bool write) {
  for (int tries = 0; tries < 8; ++tries) {
    const Pte pte = effective_pte(k.state(), k.state().mms[mmid], v);
    if (pte.is_present() && (!write || pte.write())) return 0;
    if (Outcome o = k.handle_mm_fault(mmid, v, write, false); !o) return fault_to_errno(o);
  }
  return EFAULT;
}

// __mm_populate() / populate_vma_page_range(): private writable mappings are
// faulted for write ("to break COW"), others for read; a VMA that is not
// accessible fails with EFAULT (no FOLL_FORCE for PROT_NONE).
int mm_populate(Kernel& k, MmId mmid, Vpn start, Vpn end, bool ignore_errors) {
  for (Vpn v = start; v < end;) {
    const Vma* vma = k.state().mms[mmid].vma_at(v);
    if (!vma) {
      const Mm& mm = k.state().mms[mmid];
      auto it = std::find_if(mm.vmas.begin(), mm.vmas.end(), [&](const Vma& m) { return m.start > v; });
      if (it == mm.vmas.end() || it->start >= end) break;
      v = it->start;
      continue;
    }
    const Vpn vend = std::min(end, vma->end);
    const bool write = (vma->flags & (VM_WRITE | VM_SHARED)) == VM_WRITE;
    const bool accessible = vma->flags & (VM_READ | VM_WRITE | VM_EXEC);
    // populate_vma_page_range(): "if (vma->vm_flags & VM_LOCKONFAULT) return nr_pages".
    if (vma->test(VM_IO) || vma->test(VM_LOCKONFAULT)) {
      v = vend;
      continue;
    }
    for (; v < vend; ++v) {
      int e = accessible ? faultin(k, mmid, v, write) : EFAULT;
      if (e && !ignore_errors) return e;
      if (e) {
        v = vend;
        break;
      }
    }
  }
  return 0;
}

uint64_t prot_to_vm(int prot) {
  uint64_t f = 0;
  if (prot & PROT_READ_) f |= VM_READ;
  if (prot & PROT_WRITE_) f |= VM_WRITE | VM_READ;  // x86: PROT_WRITE implies read
  if (prot & PROT_EXEC_) f |= VM_EXEC | VM_READ;
  return f;
}

// change_huge_pmd(): write-protect, or (MM_CP_TRY_CHANGE_WRITABLE) make an
// exclusive THP writable at once, as for PTEs.
void change_huge_pmds(Kernel& k, MmId mmid, const Vma& vma) {
  Mm& mm = k.state().mms[mmid];
  for (PteSlot& p : mm.pmds) {
    if (p.vpn < vma.start || p.vpn >= vma.end) continue;
    if (!vma.test(VM_WRITE)) {
      p.pte.wrprotect();
      continue;
    }
    if (!p.pte.write() && can_change_pte_writable(k, vma, p.pte, p.pte.pfn())) p.pte.set(PTE_WRITE);
  }
}

// change_pte_range() for one VMA piece after its flags changed.
void change_protection(Kernel& k, MmId mmid, const Vma& vma) {
  change_huge_pmds(k, mmid, vma);
  Mm& mm = k.state().mms[mmid];
  // hugetlb_change_protection() never upgrades: only write-protect.
  const bool hugetlb = vma.test(VM_HUGETLB);
  for (Vpn v : mm.pt.populated(vma.start, vma.end)) {
    Pte* pte = mm.pt.find(v);
    if (!pte->is_present()) continue;
    if (!vma.test(VM_WRITE)) {
      pte->wrprotect();
      continue;
    }
    if (pte->write() || hugetlb) continue;
    if (vma.is_shared()) {
      // Shared shmem: vm_page_prot is writable (no writenotify) unless
      // soft-dirty tracking needs the write fault.
      if (!pte_needs_soft_dirty_wp(k.state(), vma, *pte)) pte->set(PTE_WRITE);
      continue;
    }
    // MM_CP_TRY_CHANGE_WRITABLE.
    if (can_change_pte_writable(k, vma, *pte, pte->pfn())) pte->set(PTE_WRITE);
  }
}

}  // namespace

int detail::populate_range(Kernel& k, MmId mm, Vpn start, Vpn end, bool ignore_errors) {
  return mm_populate(k, mm, start, end, ignore_errors);
}

Outcome Kernel::memfd_create(TaskId t, uint64_t pages, FileId* out, FileKind kind) {
  if (!task_live(t)) return Outcome::err(ESRCH);
  // memfd_create() (MFD_HUGETLB: a hugetlbfs file) or tmpfile(); ftruncate()
  // to N pages allocates nothing.
  s_.files.push_back(ShmemFile{.users = 1, .kind = kind, .pages = std::vector<Pfn>(pages, kNoPfn)});
  *out = FileId(s_.files.size() - 1);
  s_.tasks[t].files.push_back(*out);
  return Outcome::ok();
}

Outcome Kernel::fallocate(TaskId t, FileId f) {
  if (!task_live(t)) return Outcome::err(ESRCH);
  // A regular file (ext4_fallocate()): blocks are allocated as unwritten
  // extents; nothing enters the page cache (a later fault reads zeroes).
  if (s_.files[f].kind == FileKind::Regular) return Outcome::ok();
  // shmem_fallocate() / hugetlbfs_fallocate(): allocate every missing page of
  // the file, zeroed; an empty hugetlb pool is ENOSPC.
  for (uint64_t idx = 0; idx < s_.files[f].pages.size(); ++idx) {
    if (s_.files[f].pages[idx] != kNoPfn) continue;
    if (!shmem_get_page(*this, f, idx))
      return Outcome::err(s_.files[f].kind == FileKind::Hugetlb ? ENOSPC : ENOMEM);
  }
  return Outcome::ok();
}

Outcome Kernel::mmap(TaskId t, uint64_t pages, int prot, unsigned flags, Vpn* addr, FileId file, Token refill) {
  if (!task_live(t)) return Outcome::err(ESRCH);  // no such (live) process
  if (pages == 0) return Outcome::err(EINVAL);
  const MmId mmid = s_.tasks[t].mm;
  Mm& mm = s_.mms[mmid];
  const Task& task = s_.tasks[t];
  Vma vma;
  vma.start = unmapped_area(mm, pages);
  vma.end = vma.start + pages;
  // do_mmap(): calc_vm_flag_bits() | mm->def_flags | VM_MAY*.
  vma.flags = prot_to_vm(prot) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | mm.def_flags;
  if (flags & MAPF_LOCKED) vma.flags |= VM_LOCKED;
  if (flags & MAPF_GROWSDOWN) vma.flags |= VM_GROWSDOWN;
  const bool droppable = flags & MAPF_DROPPABLE;
  if (droppable) vma.flags |= p_.droppable->extra_vm_flags();  // the `pinned` policy locks it
  // "if (flags & MAP_LOCKED) if (!can_do_mlock()) return -EPERM;"
  if ((flags & MAPF_LOCKED) && !can_do_mlock(task)) return Outcome::err(EPERM);
  // mlock_future_ok(): VM_LOCKED (MAP_LOCKED or MCL_FUTURE) within RLIMIT_MEMLOCK.
  if (!mlock_future_ok(task, mm, vma.flags, pages)) return Outcome::err(EAGAIN);
  // populate = len when the local vm_flags are VM_LOCKED (not lock-on-fault):
  // decided before a droppable VMA drops VM_LOCKED again (spec droppable.md §2.3).
  // (populate_vma_page_range() then skips VM_LOCKONFAULT VMAs.)
  const bool populate = (flags & MAPF_POPULATE) || (vma.flags & VM_LOCKED);
  if (droppable) {
    // The MAP_TYPE switch: MAP_DROPPABLE exists from 6.11 and only for
    // anonymous memory; shared or file-backed types, MAP_LOCKED, MAP_HUGETLB
    // and MAP_GROWSDOWN are EINVAL.
    if (!p_.droppable->supported()) return Outcome::err(EINVAL);
    if (file != kNone || (flags & (MAPF_SHARED | MAPF_HUGETLB | MAPF_LOCKED)) || (vma.flags & VM_GROWSDOWN))
      return Outcome::err(EINVAL);
    vma.flags |= VM_DROPPABLE | VM_NORESERVE | VM_WIPEONFORK | VM_DONTDUMP;
    vma.refill = refill;
    // vma_supports_mlock() is false for VM_DROPPABLE (d239462787b0): a
    // MCL_FUTURE default does not lock it (it is still populated above).
    if (!(p_.droppable->extra_vm_flags() & VM_LOCKED)) vma.flags &= ~VM_LOCKED_MASK;
  }
  const bool hugetlbfs = file != kNone && s_.files[file].kind == FileKind::Hugetlb;
  if ((flags & MAPF_HUGETLB) || hugetlbfs) {
    // hugetlb_reserve_pages(): a private mapping reserves its huge pages up
    // front; without enough free ones mmap fails (no reservation map modelled:
    // a later fault may still find the pool empty and get SIGBUS). A shared
    // mapping of a hugetlbfs file (hugetlbfs_file_mmap()) reserves only the
    // pages the file lacks; the model reserves nothing for it.
    if ((flags & MAPF_SHARED) && !hugetlbfs) return Outcome::err(EINVAL);  // shared anonymous hugetlb: not modelled
    if (!(flags & MAPF_SHARED) && s_.config.hugetlb - s_.hugetlb_used < pages) return Outcome::err(ENOMEM);
  }
  if (file != kNone) {
    // A memfd or tmpfile: the mapping holds the file; MAP_PRIVATE makes it a COW mapping.
    if (flags & MAPF_SHARED) vma.flags |= VM_SHARED | VM_MAYSHARE;
    s_.files[file].users += 1;
    vma.file = file;
    vma.pgoff = 0;
  } else if (flags & MAPF_SHARED) {
    // shmem_zero_setup(): a shmem file of the mapping's size backs it.
    vma.flags |= VM_SHARED | VM_MAYSHARE;
    s_.files.push_back(ShmemFile{.users = 1, .pages = std::vector<Pfn>(pages, kNoPfn)});
    vma.file = FileId(s_.files.size() - 1);
    vma.pgoff = 0;
  } else {
    vma.pgoff = vma.start;
    // accountable_mapping(): private writable memory is charged (VM_ACCOUNT).
    if ((prot & PROT_WRITE_) && !(flags & MAPF_NORESERVE) && !droppable) vma.flags |= VM_ACCOUNT;
  }
  if (flags & MAPF_NORESERVE) vma.flags |= VM_NORESERVE;
  if ((flags & MAPF_HUGETLB) || hugetlbfs) {
    vma.flags |= VM_HUGETLB | VM_DONTEXPAND;
    vma.flags &= ~uint64_t(VM_ACCOUNT);
  }
  if (vma.test(VM_HUGETLB)) vma.flags &= ~VM_LOCKED_MASK;  // "don't count" for hugetlb (vma_supports_mlock())
  if (vma.test(VM_LOCKED)) mm.rss.locked_vm += int64_t(pages);
  if (s_.config.soft_dirty) vma.flags |= VM_SOFTDIRTY;  // a new VMA is soft-dirty as a whole
  auto pos = std::lower_bound(mm.vmas.begin(), mm.vmas.end(), vma.start,
                              [](const Vma& m, Vpn x) { return m.start < x; });
  mm.vmas.insert(pos, vma);
  merge_vmas(*this, mm);
  *addr = vma.start;
  // MAP_POPULATE / VM_LOCKED: mm_populate() ignores errors.
  if (populate) mm_populate(*this, mmid, vma.start, vma.end, true);
  return Outcome::ok();
}

Outcome Kernel::mmap_gmem(TaskId t, uint64_t pages, int prot, unsigned flags, GmemId g, uint64_t offset, Vpn* addr) {
  if (!task_live(t)) return Outcome::err(ESRCH);
  if (!task_holds_gmem(*this, t, g)) return Outcome::err(EBADF);
  if (pages == 0) return Outcome::err(EINVAL);
  if (offset & ((1ull << kPageShift) - 1)) return Outcome::err(EINVAL);  // sys_mmap(): offset_in_page()
  // do_mmap(): the anon-inode mount is noexec (path_noexec()).
  if (prot & PROT_EXEC_) return Outcome::err(EPERM);
  // kvm_gmem_mmap(): only with GUEST_MEMFD_FLAG_MMAP, only MAP_SHARED.
  if (!(s_.gmems[g].flags & GUEST_MEMFD_FLAG_MMAP)) return Outcome::err(ENODEV);
  if (!(flags & MAPF_SHARED)) return Outcome::err(EINVAL);
  const MmId mmid = s_.tasks[t].mm;
  Mm& mm = s_.mms[mmid];
  Vma vma;
  vma.start = unmapped_area(mm, pages);
  vma.end = vma.start + pages;
  // No VM_MAYEXEC (noexec mount): mprotect(PROT_EXEC) is EACCES.
  vma.flags = prot_to_vm(prot) | VM_MAYREAD | VM_MAYWRITE | VM_SHARED | VM_MAYSHARE;
  if (flags & MAPF_LOCKED) {
    vma.flags |= VM_LOCKED;
    mm.rss.locked_vm += int64_t(pages);
  }
  if (s_.config.soft_dirty) vma.flags |= VM_SOFTDIRTY;
  vma.gmem = g;
  vma.pgoff = offset >> kPageShift;  // may start or end beyond EOF: faults there SIGBUS
  s_.gmems[g].users += 1;            // the mapping holds the file (and so the VM)
  mm.vmas.insert(std::lower_bound(mm.vmas.begin(), mm.vmas.end(), vma.start,
                                  [](const Vma& m, Vpn x) { return m.start < x; }),
                 vma);
  merge_vmas(*this, mm);
  *addr = vma.start;
  if (flags & (MAPF_POPULATE | MAPF_LOCKED)) mm_populate(*this, mmid, vma.start, vma.end, true);  // errors ignored
  return Outcome::ok();
}

Outcome Kernel::munmap(TaskId t, Vpn start, uint64_t pages) {
  if (!task_live(t)) return Outcome::err(ESRCH);  // no such (live) process
  if (pages == 0) return Outcome::err(EINVAL);
  const MmId mmid = s_.tasks[t].mm;
  Mm& mm = s_.mms[mmid];
  const Vpn end = start + pages;
  std::vector<size_t> doomed;
  for_each_vma_piece(*this, mm, start, end, false, [&](size_t i) { doomed.push_back(i); });
  // Remove back to front so indices stay valid.
  for (auto it = doomed.rbegin(); it != doomed.rend(); ++it) {
    const Vma vma = s_.mms[mmid].vmas[*it];
    zap_range(*this, mmid, vma, vma.start, vma.end);
    if (vma.test(VM_LOCKED)) s_.mms[mmid].rss.locked_vm -= int64_t(vma.pages());
    s_.mms[mmid].vmas.erase(s_.mms[mmid].vmas.begin() + ptrdiff_t(*it));
    if (vma.file != kNone) file_put(*this, vma.file);
    if (vma.gmem != kNone) gmem_put(*this, vma.gmem);
  }
  return Outcome::ok();  // unmapping nothing is not an error
}

namespace {

// move_vma() of [from, from+pages), which lies in one VMA, to the free area at
// `to`: split the VMA at the range, move its page-table entries, keep vm_pgoff.
void move_vma_range(Kernel& k, MmId mmid, Vpn from, uint64_t pages, Vpn to) {
  State& s = k.state();
  // move_page_tables(): a PMD moves whole only when both addresses are PMD
  // aligned and it lies inside the range; any other PMD is split first.
  const uint32_t nr = hpage_nr(s);
  const bool pmds_move = (from % nr) == 0 && (to % nr) == 0;
  split_pmds(k, mmid, from, from + pages, !pmds_move);
  Mm& mm = s.mms[mmid];
  split_at(k, mm, from);
  if (from + pages < mm.vma_at(from)->end) split_at(k, mm, from + pages);
  const size_t idx = size_t(mm.vma_at(from) - mm.vmas.data());
  Vma moved = mm.vmas[idx];
  mm.vmas.erase(mm.vmas.begin() + ptrdiff_t(idx));
  moved.start = to;  // copy_vma(): vm_pgoff is kept, so anon rmap indices stay valid
  moved.end = to + pages;
  // mremap_userfaultfd_prep(): without UFFD_FEATURE_EVENT_REMAP (never asked
  // for here) the moved VMA loses its userfaultfd registration
  // (userfaultfd_reset_ctx()), and move_ptes()/move_huge_pmd() drop the
  // uffd-wp bits and markers with it (0cef0bb836e3, 6.14, in stable).
  const bool drop_uffd = moved.test(VM_UFFD_WP);
  if (drop_uffd) moved.flags &= ~uint64_t(VM_UFFD_WP);
  for (Vpn v : mm.pt.populated(from, from + pages)) {
    Pte pte = mm.pt.get(v);
    mm.pt.clear(v);
    if (drop_uffd && pte.is_marker(PteMarker::UffdWp)) continue;
    if (drop_uffd) pte.clear(PTE_UFFD_WP);
    mm.pt.set(to + (v - from), pte);
  }
  for (PteSlot& p : mm.pmds)
    if (p.vpn >= from && p.vpn < from + pages) {
      p.vpn = to + (p.vpn - from);
      if (drop_uffd) p.pte.clear(PTE_UFFD_WP);
    }
  std::sort(mm.pmds.begin(), mm.pmds.end(), [](const PteSlot& a, const PteSlot& b) { return a.vpn < b.vpn; });
  mm.vmas.insert(std::lower_bound(mm.vmas.begin(), mm.vmas.end(), to,
                                  [](const Vma& m, Vpn x) { return m.start < x; }),
                 moved);
  merge_vmas(k, mm);
}

// vma_multi_allowed() (6.17+): a VMA that may be moved together with others.
// userfaultfd_armed() VMAs may not (notifying needs the mmap lock dropped).
// The kernel also refuses files whose f_op has its own get_unmapped_area
// (other than shmem and hugetlb): the model's files are shmem, hugetlb,
// guest_memfd and tmpfiles, and no scenario moves a tmpfile mapping with others.
bool vma_multi_allowed(const Vma& vma) { return !vma.test(VM_UFFD_WP); }

}  // namespace

Outcome Kernel::mremap(TaskId t, Vpn start, uint64_t pages, Vpn* new_addr) {
  if (!task_live(t)) return Outcome::err(ESRCH);
  if (pages == 0) return Outcome::err(EINVAL);
  const MmId mmid = s_.tasks[t].mm;
  const Vpn end = start + pages;
  if (!p_.mremap_move->multi_vma()) {
    // vma_to_resize() / check_prep_vma(): the old range must lie in one VMA.
    const Vma* vma = s_.mms[mmid].vma_at(start);
    if (!vma || end > vma->end) return Outcome::err(EFAULT);
    if (vma->test(VM_HUGETLB)) return Outcome::err(EINVAL);  // hugetlb mremap is not modelled
    const Vpn dest = unmapped_area(s_.mms[mmid], pages);
    move_vma_range(*this, mmid, start, pages, dest);
    *new_addr = dest;
    return Outcome::ok();
  }
  // remap_move() (6.17+, vrm_move_only(): MREMAP_FIXED, new size == old size):
  // every VMA in [start, end) moves to new_addr + (its offset in the range),
  // so the gaps between them stay; a gap at the start is EFAULT, as is an
  // empty range. A failure after the first VMA leaves the earlier ones moved.
  std::vector<std::pair<Vpn, Vpn>> pieces;  // [addr, addr+len) of each VMA, clipped to the range
  for (const Vma& v : s_.mms[mmid].vmas)
    if (v.start < end && v.end > start) pieces.emplace_back(std::max(v.start, start), std::min(v.end, end));
  if (pieces.empty() || pieces.front().first != start) return Outcome::err(EFAULT);
  const Vpn dest = unmapped_area(s_.mms[mmid], pages);
  for (size_t i = 0; i < pieces.size(); ++i) {
    const auto [from, to_end] = pieces[i];
    const Vma* vma = s_.mms[mmid].vma_at(from);
    if (!vma_multi_allowed(*vma)) {
      // d50dabff4d1f "mm/mremap: catch invalid multi VMA moves earlier": a VMA
      // that may only move alone fails the call when it is not the first, or
      // when the range goes on past its end (even into a hole only).
      if (i > 0 || vma->end < end) return Outcome::err(EFAULT);
    }
    if (vma->test(VM_HUGETLB)) return Outcome::err(EINVAL);  // hugetlb mremap is not modelled
    move_vma_range(*this, mmid, from, to_end - from, dest + (from - start));
  }
  *new_addr = dest;
  return Outcome::ok();
}

Outcome Kernel::mprotect(TaskId t, Vpn start, uint64_t pages, int prot) {
  if (!task_live(t)) return Outcome::err(ESRCH);  // no such (live) process
  // arch_validate_prot(): unknown PROT_* bits are EINVAL, before anything else.
  if (prot & ~(PROT_READ_ | PROT_WRITE_ | PROT_EXEC_)) return Outcome::err(EINVAL);
  if (pages == 0) return Outcome::ok();
  const MmId mmid = s_.tasks[t].mm;
  Mm& mm = s_.mms[mmid];
  const uint64_t want = prot_to_vm(prot);
  // change_pmd_range(): a PMD the range covers whole stays (change_huge_pmd()),
  // one it covers in part is split first.
  split_pmds(*this, mmid, start, start + pages, false);
  int error = 0;
  const bool whole = for_each_vma_piece(*this, mm, start, start + pages, true, [&](size_t i) {
    if (error) return;
    Vma& vma = s_.mms[mmid].vmas[i];
    if (((want & VM_WRITE) && !vma.test(VM_MAYWRITE)) || ((want & VM_EXEC) && !vma.test(VM_MAYEXEC))) {
      error = EACCES;  // e.g. PROT_EXEC on a noexec mount (guest_memfd)
      return;
    }
    // mprotect_fixup(): a private mapping that becomes writable is charged
    // (VM_ACCOUNT) and keeps the charge when it becomes R/O again.
    if ((want & VM_WRITE) && !(vma.flags & (VM_ACCOUNT | VM_WRITE | VM_SHARED | VM_NORESERVE)))
      vma.flags |= VM_ACCOUNT;
    vma.flags = (vma.flags & ~uint64_t(VM_READ | VM_WRITE | VM_EXEC)) | want;
    change_protection(*this, mmid, vma);
  });
  merge_vmas(*this, s_.mms[mmid]);
  if (error) return Outcome::err(error);
  return whole ? Outcome::ok() : Outcome::err(ENOMEM);
}

Outcome Kernel::madvise(TaskId t, Vpn start, uint64_t pages, int advice) {
  if (!task_live(t)) return Outcome::err(ESRCH);  // no such (live) process
  switch (advice) {
    case ADV_DONTNEED: case ADV_DONTFORK: case ADV_DOFORK: case ADV_DONTDUMP: case ADV_DODUMP:
    case ADV_WIPEONFORK: case ADV_KEEPONFORK: case ADV_POPULATE_READ: case ADV_POPULATE_WRITE:
    case ADV_HUGEPAGE: case ADV_NOHUGEPAGE: case ADV_COLLAPSE: case ADV_FREE: case ADV_COLD: case ADV_PAGEOUT:
    case ADV_REMOVE:
      break;
    default:
      return Outcome::err(EINVAL);  // madvise_behavior_valid()
  }
  if (pages == 0) return Outcome::ok();
  const MmId mmid = s_.tasks[t].mm;
  const Vpn end = start + pages;

  if (advice == ADV_POPULATE_READ || advice == ADV_POPULATE_WRITE) {
    // madvise_populate() -> faultin_page_range(): no VMA -> ENOMEM,
    // incompatible permissions -> EINVAL, SIGBUS/SIGSEGV -> EFAULT.
    const bool write = advice == ADV_POPULATE_WRITE;
    for (Vpn v = start; v < end; ++v) {
      const Vma* vma = s_.mms[mmid].vma_at(v);
      if (!vma) return Outcome::err(ENOMEM);
      if (vma->test(VM_IO) || (write ? !vma->test(VM_WRITE) : !vma->test(VM_READ))) return Outcome::err(EINVAL);
      if (int e = faultin(*this, mmid, v, write)) return Outcome::err(e);
    }
    return Outcome::ok();
  }

  if (advice == ADV_REMOVE) {
    // madvise_remove(): per VMA, vfs_fallocate(PUNCH_HOLE|KEEP_SIZE) of the
    // file range; EINVAL on VM_LOCKED or without a file, EACCES if not shared.
    for (Vpn v = start; v < end;) {
      const Vma* vma = s_.mms[mmid].vma_at(v);
      if (!vma) return Outcome::err(ENOMEM);
      const Vma cur = *vma;
      const Vpn e = std::min(end, cur.end);
      if (cur.test(VM_LOCKED) || cur.is_anonymous() || cur.test(VM_HUGETLB)) return Outcome::err(EINVAL);
      if (!cur.is_shared()) return Outcome::err(EACCES);
      const uint64_t lo = cur.file_index(v), hi = cur.file_index(e);
      if (cur.is_gmem()) {
        const GmemFile& f = s_.gmems[cur.gmem];
        const uint64_t hmask = (1ull << f.order) - 1;
        if (f.order && p_.gmem_huge->merge_on_punch() && ((lo | hi) & hmask)) return Outcome::err(EINVAL);
        if (int err = gmem_punch_hole(*this, cur.gmem, lo, hi)) return Outcome::err(err);
      } else {
        shmem_punch_hole(*this, cur.file, lo, hi);
      }
      v = e;
    }
    return Outcome::ok();
  }

  if (advice == ADV_COLLAPSE) {
    // madvise_collapse(): every aligned THP range inside the range, in
    // eligible VMAs (the sysfs "enabled" setting does not matter); the first
    // failure is the result.
    const uint32_t nr = hpage_nr(s_);
    if (s_.config.thp_order == 0) return Outcome::err(EINVAL);
    for (Vpn a = (start + nr - 1) & ~Vpn(nr - 1); a + nr <= end; a += nr) {
      Vma* vma = s_.mms[mmid].vma_at(a);
      if (!vma) return Outcome::err(ENOMEM);
      if (!vma->is_anonymous() || vma->is_shared() || vma->test(VM_HUGETLB) || vma->test(VM_NOHUGEPAGE) ||
          a + nr > vma->end)
        return Outcome::err(EINVAL);
      if (int e = collapse_huge_page(*this, mmid, *vma, a)) return Outcome::err(e);
    }
    return Outcome::ok();
  }
  if (advice == ADV_COLD || advice == ADV_PAGEOUT) {
    // madvise_cold()/madvise_pageout(): lru_add_drain(), then VMA by VMA;
    // can_madv_lru_vma(): not on VM_LOCKED or hugetlb VMAs (EINVAL).
    lru_add_drain();
    int error = 0;
    const bool whole = for_each_vma_piece(*this, s_.mms[mmid], start, end, false, [&](size_t i) {
      if (error) return;
      const Vma vma = s_.mms[mmid].vmas[i];
      if (vma.flags & (VM_LOCKED | VM_HUGETLB)) {
        error = EINVAL;
        return;
      }
      madvise_cold_or_pageout_range(*this, mmid, vma.start, vma.end, advice == ADV_PAGEOUT);
    });
    merge_vmas(*this, s_.mms[mmid]);
    if (error) return Outcome::err(error);
    return whole ? Outcome::ok() : Outcome::err(ENOMEM);
  }
  int error = 0;
  split_pmds(*this, mmid, start, end);
  Mm& mm = s_.mms[mmid];
  const bool whole = for_each_vma_piece(*this, mm, start, end, false, [&](size_t i) {
    if (error) return;
    Vma& vma = s_.mms[mmid].vmas[i];
    switch (advice) {
      case ADV_DONTNEED:
        // madvise_dontneed_free_valid_vma(): not on VM_LOCKED (or PFNMAP).
        if (vma.test(VM_LOCKED)) {
          error = EINVAL;
          return;
        }
        zap_range(*this, mmid, Vma(vma), vma.start, vma.end);
        break;
      case ADV_WIPEONFORK:
        // "MADV_WIPEONFORK is only supported on anonymous memory." (hugetlb has a vm_file)
        if (vma.file != kNone || vma.is_shared() || vma.test(VM_HUGETLB)) {
          error = EINVAL;
          return;
        }
        vma.flags |= VM_WIPEONFORK;
        break;
      case ADV_FREE:
        // madvise_dontneed_free_valid_vma(): not VM_LOCKED; MADV_FREE only
        // on private anonymous memory (vma_is_anonymous()).
        if (vma.test(VM_LOCKED) || vma.file != kNone || vma.is_shared() || vma.test(VM_HUGETLB)) {
          error = EINVAL;
          return;
        }
        lru_add_drain();  // madvise_free_single_vma()
        madvise_free_range(*this, mmid, vma.start, vma.end);
        break;
      case ADV_KEEPONFORK:
        if (vma.test(VM_DROPPABLE)) {  // "if (vma->vm_flags & VM_DROPPABLE) return -EINVAL"
          error = EINVAL;
          return;
        }
        vma.flags &= ~uint64_t(VM_WIPEONFORK);
        break;
      case ADV_DONTFORK: vma.flags |= VM_DONTCOPY; break;
      case ADV_DOFORK:
        if (vma.test(VM_IO)) {
          error = EINVAL;
          return;
        }
        vma.flags &= ~uint64_t(VM_DONTCOPY);
        break;
      case ADV_DONTDUMP: vma.flags |= VM_DONTDUMP; break;
      case ADV_HUGEPAGE: vma.flags = (vma.flags | VM_HUGEPAGE) & ~uint64_t(VM_NOHUGEPAGE); break;
      case ADV_NOHUGEPAGE: vma.flags = (vma.flags | VM_NOHUGEPAGE) & ~uint64_t(VM_HUGEPAGE); break;
      case ADV_DODUMP:
        if (vma.test(VM_DROPPABLE)) {  // madvise_update_vma(): droppable stays out of core dumps
          error = EINVAL;
          return;
        }
        vma.flags &= ~uint64_t(VM_DONTDUMP);
        break;
    }
  });
  merge_vmas(*this, s_.mms[mmid]);
  if (error) return Outcome::err(error);
  return whole ? Outcome::ok() : Outcome::err(ENOMEM);
}

Outcome Kernel::mlock(TaskId t, Vpn start, uint64_t pages) {
  if (!task_live(t)) return Outcome::err(ESRCH);  // no such (live) process
  if (!can_do_mlock(s_.tasks[t])) return Outcome::err(EPERM);
  if (pages == 0) return Outcome::ok();
  {
    // do_mlock(): "locked = len + mm->locked_vm; if (locked > lock_limit &&
    // !capable(CAP_IPC_LOCK)) locked -= count_mm_mlocked_page_nr(...)"
    const Task& task = s_.tasks[t];
    const Mm& mm = s_.mms[task.mm];
    if (!task.cap_ipc_lock) {
      uint64_t locked = pages + uint64_t(mm.rss.locked_vm);
      if (locked > task.memlock)
        for (const Vma& vma : mm.vmas)
          if (vma.test(VM_LOCKED))
            locked -= std::min(vma.end, start + pages) > std::max(vma.start, start)
                          ? std::min(vma.end, start + pages) - std::max(vma.start, start)
                          : 0;
      if (locked > task.memlock) return Outcome::err(ENOMEM);
    }
  }
  lru_add_drain();  // do_mlock(): "lru_add_drain_all();	/* flush folio_batch */"
  split_pmds(*this, s_.tasks[t].mm, start, start + pages);
  const MmId mmid = s_.tasks[t].mm;
  // apply_vma_lock_flags(): lock VMA by VMA, ENOMEM at the first hole.
  const bool whole = for_each_vma_piece(*this, s_.mms[mmid], start, start + pages, true, [&](size_t i) {
    mlock_vma(*this, s_.mms[mmid], s_.mms[mmid].vmas[i], 0);
  });
  merge_vmas(*this, s_.mms[mmid]);
  if (!whole) return Outcome::err(ENOMEM);
  // __mm_populate(); __mlock_posix_error_return(): EFAULT -> ENOMEM, ENOMEM -> EAGAIN.
  if (int e = mm_populate(*this, mmid, start, start + pages, false))
    return Outcome::err(e == EFAULT ? ENOMEM : e == ENOMEM ? EAGAIN : e);
  return Outcome::ok();
}

Outcome Kernel::munlock(TaskId t, Vpn start, uint64_t pages) {
  if (!task_live(t)) return Outcome::err(ESRCH);  // no such (live) process
  if (pages == 0) return Outcome::ok();
  const MmId mmid = s_.tasks[t].mm;
  split_pmds(*this, mmid, start, start + pages);
  const bool whole = for_each_vma_piece(*this, s_.mms[mmid], start, start + pages, true, [&](size_t i) {
    Mm& mm = s_.mms[mmid];
    Vma& vma = mm.vmas[i];
    if (!vma.test(VM_LOCKED)) return;
    vma.flags &= ~VM_LOCKED_MASK;
    mm.rss.locked_vm -= int64_t(vma.pages());
    for (Vpn v : mm.pt.populated(vma.start, vma.end)) {
      const Pte pte = mm.pt.get(v);
      if (pte.is_present()) munlock_page(*this, pte.pfn());
    }
  });
  merge_vmas(*this, s_.mms[mmid]);
  return whole ? Outcome::ok() : Outcome::err(ENOMEM);
}

}  // namespace mmsim
