// guest_memfd: the file object (virt/kvm/guest_memfd.c): creation, the file
// operations it refuses, fallocate (allocate, PUNCH_HOLE), host faults on a
// mapping, per-index attributes and the conversion mechanism, and huge folio
// split/merge. Shareability and huge-page decisions are asked of the
// gmem-conversion and gmem-huge policies.
#include <algorithm>
#include <cassert>

#include "model/internal.hpp"

namespace mmsim {
using namespace detail;

// --- range lists (the xarray / maple tree of attributes) -------------------------

bool ranges_contain(const std::vector<IndexRange>& r, uint64_t x) {
  auto it = std::upper_bound(r.begin(), r.end(), x, [](uint64_t v, const IndexRange& e) { return v < e.lo; });
  return it != r.begin() && x < std::prev(it)->hi;
}

bool ranges_all(const std::vector<IndexRange>& r, uint64_t lo, uint64_t hi, bool set) {
  if (set) {
    auto it = std::upper_bound(r.begin(), r.end(), lo, [](uint64_t v, const IndexRange& e) { return v < e.lo; });
    return it != r.begin() && std::prev(it)->lo <= lo && hi <= std::prev(it)->hi;  // coalesced: one range covers it
  }
  for (const IndexRange& e : r)
    if (e.lo < hi && lo < e.hi) return false;
  return true;
}

void ranges_assign(std::vector<IndexRange>& r, uint64_t lo, uint64_t hi, bool set) {
  if (lo >= hi) return;
  std::vector<IndexRange> out;
  for (const IndexRange& e : r) {
    if (e.hi <= lo || e.lo >= hi) {
      out.push_back(e);
      continue;
    }
    if (e.lo < lo) out.push_back({e.lo, lo});
    if (e.hi > hi) out.push_back({hi, e.hi});
  }
  if (set) out.push_back({lo, hi});
  std::sort(out.begin(), out.end(), [](const IndexRange& a, const IndexRange& b) { return a.lo < b.lo; });
  r.clear();
  for (const IndexRange& e : out) {
    if (!r.empty() && r.back().hi == e.lo)
      r.back().hi = e.hi;
    else
      r.push_back(e);
  }
}

namespace detail {

namespace {

std::vector<GmemPage>::iterator lower(GmemFile& f, uint64_t idx) {
  return std::lower_bound(f.pages.begin(), f.pages.end(), idx, [](const GmemPage& p, uint64_t x) { return p.index < x; });
}

// The first index of the folio that idx's page belongs to.
uint64_t folio_first_index(const Kernel& k, const GmemPage& p) {
  return p.index - (p.pfn - k.state().mem.head(p.pfn));
}

// split_folio() of a huge guest_memfd folio into order-0 folios. Only ever
// called while the folio holds nothing but its page-cache references (it is
// private, or just allocated), so there are no mappings or pins to move.
void split_folio(Kernel& k, Pfn head) {
  Memory& mem = k.state().mem;
  const Folio big = mem.folios[head];
  assert(big.large() && big.refcount == int32_t(big.nr_pages()));
  for (uint32_t i = 0; i < big.nr_pages(); ++i) {
    mem.pages[head + i].head = head + i;
    mem.folios[head + i] = Folio{.flags = big.flags, .order = 0, .refcount = 1, .mapping = big.mapping,
                                 .index = big.index + i};
  }
}

// Merge the order-0 folios of a split huge page back (the inverse of
// split_folio()). False if the pages are not one former huge folio.
bool merge_folio(Kernel& k, GmemFile& f, uint64_t first) {
  const uint32_t nr = 1u << f.order;
  auto it = lower(f, first);
  if (it == f.pages.end() || it->index != first) return false;
  const Pfn base = it->pfn;
  if (base % nr) return false;
  Memory& mem = k.state().mem;
  for (uint32_t i = 0; i < nr; ++i, ++it)
    if (it == f.pages.end() || it->index != first + i || it->pfn != base + i || mem.pages[base + i].head != base + i)
      return false;
  const Folio small = mem.folios[base];
  for (uint32_t i = 0; i < nr; ++i) {
    mem.pages[base + i].head = base;
    if (i) mem.folios[base + i] = Folio{};
  }
  mem.folios[base] = Folio{.flags = small.flags, .order = f.order, .refcount = int32_t(nr), .mapping = small.mapping,
                           .index = small.index};
  return true;
}

}  // namespace

GmemPage* gmem_find(GmemFile& f, uint64_t idx) {
  auto it = lower(f, idx);
  return it != f.pages.end() && it->index == idx ? &*it : nullptr;
}

const GmemPage* gmem_find(const GmemFile& f, uint64_t idx) { return gmem_find(const_cast<GmemFile&>(f), idx); }

int gmem_get_folio(Kernel& k, GmemId g, uint64_t idx, Pfn* pfn) {
  if (const GmemPage* p = gmem_find(k.state().gmems[g], idx)) {
    *pfn = p->pfn;
    return 0;
  }
  GmemFile& f = k.state().gmems[g];
  // filemap_grab_folio() / the hugetlb allocator: a huge-page-aligned block
  // gets one huge folio, unless part of the block is already in the page
  // cache (after a 4K punch of a shattered block): then a 4K folio.
  uint8_t order = f.order;
  const uint64_t nr = 1ull << order;
  uint64_t first = idx & ~(nr - 1);
  if (order) {
    auto it = lower(f, first);
    if (it != f.pages.end() && it->index < first + nr) order = 0, first = idx;
  }
  auto head = k.state().mem.alloc(order);
  if (!head) return ENOMEM;
  const uint32_t n = 1u << order;
  Folio& folio = k.folio(*head);
  folio.flags = FOLIO_GMEM | FOLIO_UNEVICTABLE;  // mapping_set_inaccessible(): unevictable, unmovable
  folio.mapping = g;
  folio.index = uint32_t(first);
  folio.refcount = int32_t(n);  // the page cache holds one reference per page
  GmemFile& ff = k.state().gmems[g];
  auto pos = lower(ff, first);
  std::vector<GmemPage> add;
  for (uint32_t i = 0; i < n; ++i) add.push_back(GmemPage{first + i, *head + i, 0});
  ff.pages.insert(pos, add.begin(), add.end());
  if (order && k.policies().gmem_huge->split_new_folio(k, g, first)) split_folio(k, *head);
  *pfn = *head + uint32_t(idx - first);
  return 0;
}

Outcome gmem_fault(Kernel& k, MmId mmid, Vma& vma, Vpn v, bool write) {
  const GmemId g = vma.gmem;
  const uint64_t idx = vma.file_index(v);
  // kvm_gmem_fault_user_mapping(): beyond EOF, then not shared -> SIGBUS (BUS_ADRERR).
  if (idx >= k.state().gmems[g].npages()) return Outcome::sig(SIGBUS);
  if (!k.gmem_index_shared(g, idx)) return Outcome::sig(SIGBUS);
  Pfn pfn = kNoPfn;
  if (gmem_get_folio(k, g, idx, &pfn)) return Outcome::oom();
  if (k.folio(pfn).large()) return Outcome::sig(SIGBUS);  // WARN_ON_ONCE(folio_test_large())
  GmemPage* p = gmem_find(k.state().gmems[g], idx);
  if (!(p->flags & GMEM_UPTODATE)) {
    k.page(pfn).data = 0;  // clear_highpage() + folio_mark_uptodate()
    p->flags |= GMEM_UPTODATE;
  }
  add_pte_mapping(k, vma, pfn);
  Pte pte = Pte::present(pfn, PTE_YOUNG);
  if (vma.test(VM_WRITE)) pte.set(PTE_WRITE);  // MAP_SHARED only: no COW
  if (write) {
    pte.mkdirty();
    k.folio(pfn).set(FOLIO_DIRTY);
  }
  Mm& mm = k.state().mms[mmid];
  mm.pt.set(v, pte);
  mm.rss.file += 1;
  return Outcome::ok();
}

int gmem_punch_hole(Kernel& k, GmemId g, uint64_t lo, uint64_t hi) {
  hi = std::min(hi, k.state().gmems[g].npages());  // no upper bound check: beyond EOF is a no-op
  if (lo >= hi) return 0;
  const uint8_t order = k.state().gmems[g].order;
  if (order && k.policies().gmem_huge->merge_on_punch()) {
    // 2026 tree: split pages are merged back before the huge page is freed;
    // a merge needs every page at its baseline refcount, else -EAGAIN.
    const uint64_t nr = 1ull << order;
    for (uint64_t b = lo; b < hi; b += nr) {
      const GmemPage* p = gmem_find(k.state().gmems[g], b);
      if (!p || k.folio(p->pfn).large()) continue;
      k.gmem_unmap_range(g, b, b + nr);
      if (k.gmem_first_unsafe_folio(g, b, b + nr)) return EAGAIN;
      merge_folio(k, k.state().gmems[g], b);
    }
  }
  // kvm_gmem_invalidate_begin() (stage-2: not modelled) and
  // truncate_inode_pages_range(), which zaps host PTEs and drops the page
  // cache's references without waiting for any other: a pin, a pipe buffer
  // keeps the old page.
  k.gmem_unmap_range(g, lo, hi);
  GmemFile& f = k.state().gmems[g];
  auto a = lower(f, lo), b = lower(f, hi);
  std::vector<Pfn> drop;
  for (auto it = a; it != b; ++it) drop.push_back(it->pfn);
  f.pages.erase(a, b);
  for (Pfn pfn : drop) folio_put(k, pfn);
  return 0;
}

void gmem_put(Kernel& k, GmemId g) {
  if (--k.state().gmems[g].users > 0) return;
  // kvm_gmem_release(): the bindings' slots lose their file (the slots stay),
  // the page cache goes with the inode, and the VM reference is dropped.
  GmemFile& f = k.state().gmems[g];
  for (const GmemBinding& b : f.bindings)
    for (KvmMemslot& s : k.state().vms[b.vm].slots)
      if (s.id == b.slot) s.gmem = kNone;
  f.bindings.clear();
  std::vector<GmemPage> pages = std::move(f.pages);
  k.state().gmems[g].pages.clear();
  for (const GmemPage& p : pages) folio_put(k, p.pfn);
  k.state().gmems[g].live = 0;
  vm_put(k, k.state().gmems[g].vm);
}

bool task_holds_gmem(const Kernel& k, TaskId t, GmemId g) {
  const auto& fds = k.state().tasks[t].gmem_fds;
  return std::find(fds.begin(), fds.end(), g) != fds.end();
}

}  // namespace detail

// --- Kernel entry points -------------------------------------------------------------

Outcome Kernel::kvm_create_guest_memfd(TaskId t, VmId vm, uint64_t size, uint64_t flags, GmemId* out) {
  if (!task_live(t)) return Outcome::err(ESRCH);
  if (int e = vm_ioctl_check(*this, t, vm)) return Outcome::err(e);
  const KvmVm& v = s_.vms[vm];
  // kvm_gmem_get_supported_flags(): MMAP always; INIT_SHARED unless the VM
  // has private memory tracked per VM (kvm_arch_supports_gmem_init_shared()).
  uint64_t supported = GUEST_MEMFD_FLAG_MMAP;
  if (p_.gmem_conversion->per_index_attributes() || !vm_type_has_private_mem(v.type))
    supported |= GUEST_MEMFD_FLAG_INIT_SHARED;
  if (p_.gmem_huge->supports_hugetlb()) supported |= GUEST_MEMFD_FLAG_HUGETLB;
  // kvm_gmem_create(): flags, then size (as a signed loff_t, page aligned).
  if (flags & ~supported) return Outcome::err(EINVAL);
  if (int64_t(size) <= 0 || (size & ((1ull << kPageShift) - 1))) return Outcome::err(EINVAL);
  GmemFile f{.vm = vm, .users = 1, .size = size, .flags = flags};
  if (flags & GUEST_MEMFD_FLAG_HUGETLB) {
    f.order = s_.config.thp_order;  // the huge page size (HPAGE_PMD_ORDER; config thp_order)
    if (f.npages() & ((1ull << f.order) - 1)) return Outcome::err(EINVAL);  // whole huge pages only
  }
  // Per-index attributes: private unless INIT_SHARED.
  if (p_.gmem_conversion->per_index_attributes() && !(flags & GUEST_MEMFD_FLAG_INIT_SHARED))
    ranges_assign(f.private_ranges, 0, f.npages(), true);
  s_.gmems.push_back(std::move(f));
  *out = GmemId(s_.gmems.size() - 1);
  s_.vms[vm].users += 1;  // kvm_get_kvm(): the file holds the VM
  s_.tasks[t].gmem_fds.push_back(*out);
  return Outcome::ok();
}

Outcome Kernel::gmem_close(TaskId t, GmemId g) {
  if (!task_live(t)) return Outcome::err(ESRCH);
  auto& fds = s_.tasks[t].gmem_fds;
  auto it = std::find(fds.begin(), fds.end(), g);
  if (it == fds.end()) return Outcome::err(EBADF);
  fds.erase(it);
  gmem_put(*this, g);
  return Outcome::ok();
}

Outcome Kernel::gmem_fallocate(TaskId t, GmemId g, uint32_t mode, int64_t offset, int64_t len) {
  if (!task_live(t)) return Outcome::err(ESRCH);
  if (!task_holds_gmem(*this, t, g)) return Outcome::err(EBADF);
  constexpr uint32_t kKnown = FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE | FALLOC_FL_COLLAPSE_RANGE |
                              FALLOC_FL_ZERO_RANGE | FALLOC_FL_INSERT_RANGE | FALLOC_FL_UNSHARE_RANGE;
  // vfs_fallocate().
  if (offset < 0 || len <= 0) return Outcome::err(EINVAL);
  if (mode & ~kKnown) return Outcome::err(EOPNOTSUPP);
  if ((mode & FALLOC_FL_PUNCH_HOLE) && !(mode & FALLOC_FL_KEEP_SIZE)) return Outcome::err(EOPNOTSUPP);
  if (uint64_t(offset) + uint64_t(len) > uint64_t(INT64_MAX)) return Outcome::err(EFBIG);  // > s_maxbytes
  // kvm_gmem_fallocate().
  if (!(mode & FALLOC_FL_KEEP_SIZE)) return Outcome::err(EOPNOTSUPP);
  if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE)) return Outcome::err(EOPNOTSUPP);
  constexpr uint64_t kPageMask = (1ull << kPageShift) - 1;
  if ((uint64_t(offset) | uint64_t(len)) & kPageMask) return Outcome::err(EINVAL);
  const GmemFile& f = s_.gmems[g];
  const uint64_t lo = uint64_t(offset) >> kPageShift, hi = (uint64_t(offset) + uint64_t(len)) >> kPageShift;
  const bool punch = mode & FALLOC_FL_PUNCH_HOLE;
  if (f.order) {
    // HugeTLB guest_memfd: allocation is in whole huge pages; so is punching
    // when split pages are merged back on truncation.
    const uint64_t hmask = (1ull << f.order) - 1;
    if ((!punch || p_.gmem_huge->merge_on_punch()) && ((lo | hi) & hmask)) return Outcome::err(EINVAL);
  }
  if (punch) {
    if (int e = gmem_punch_hole(*this, g, lo, hi)) return Outcome::err(e);
    return Outcome::ok();
  }
  // kvm_gmem_allocate(): within i_size; present pages are left alone; pages
  // are neither zeroed nor marked uptodate.
  if (hi > f.npages()) return Outcome::err(EINVAL);
  for (uint64_t idx = lo; idx < hi; ++idx) {
    Pfn pfn = kNoPfn;
    if (gmem_get_folio(*this, g, idx, &pfn)) return Outcome::err(ENOMEM);  // what was allocated stays
  }
  return Outcome::ok();
}

Outcome Kernel::gmem_file_op(TaskId t, GmemId g, GmemFileOp op) {
  if (!task_live(t)) return Outcome::err(ESRCH);
  if (!task_holds_gmem(*this, t, g)) return Outcome::err(EBADF);
  switch (op) {
    case GmemFileOp::Read: case GmemFileOp::Write: return Outcome::err(EINVAL);       // no read_iter/write_iter
    case GmemFileOp::Pread: case GmemFileOp::Pwrite: case GmemFileOp::Lseek:
      return Outcome::err(ESPIPE);                                                      // not FMODE_PREAD/LSEEK
    case GmemFileOp::Ftruncate: case GmemFileOp::Fchmod: return Outcome::err(EINVAL);  // kvm_gmem_setattr()
    case GmemFileOp::Fsync: return Outcome::err(EINVAL);                                // no .fsync
    // No unlocked_ioctl in 6.18; with in-place conversion the guest_memfd ioctl
    // exists but knows only KVM_SET_MEMORY_ATTRIBUTES2: ENOTTY either way.
    case GmemFileOp::Ioctl: return Outcome::err(ENOTTY);
    case GmemFileOp::Splice: return Outcome::err(EINVAL);
    case GmemFileOp::CopyFileRange: return Outcome::err(EXDEV);
    case GmemFileOp::AddSeals: return Outcome::err(EINVAL);                             // not a memfd
    case GmemFileOp::Flock: case GmemFileOp::Fadvise: return Outcome::ok();
    case GmemFileOp::Reopen: return Outcome::err(ENXIO);                                // open(/proc/self/fd/N)
  }
  return Outcome::err(EINVAL);
}

Outcome Kernel::gmem_set_attributes(TaskId t, const GmemAttributes& req, uint64_t* error_offset) {
  if (!task_live(t)) return Outcome::err(ESRCH);
  if (!task_holds_gmem(*this, t, req.gmem)) return Outcome::err(EBADF);
  if (int e = p_.gmem_conversion->set_attributes(*this, req, error_offset)) return Outcome::err(e);
  return Outcome::ok();
}

// --- helpers shared with the gmem policies -------------------------------------------

bool Kernel::gmem_index_shared(GmemId g, uint64_t idx) const {
  const GmemFile& f = s_.gmems[g];
  if (p_.gmem_conversion->per_index_attributes()) return !ranges_contain(f.private_ranges, idx);
  return f.flags & GUEST_MEMFD_FLAG_INIT_SHARED;  // 6.18: the whole file, immutable
}

bool Kernel::gmem_range_is(GmemId g, uint64_t lo, uint64_t hi, bool priv) const {
  return ranges_all(s_.gmems[g].private_ranges, lo, hi, priv);
}

void Kernel::gmem_unmap_range(GmemId g, uint64_t lo, uint64_t hi) {
  for (MmId m = 0; m < s_.mms.size(); ++m) {
    if (!s_.mms[m].live) continue;
    for (size_t i = 0; i < s_.mms[m].vmas.size(); ++i) {
      const Vma vma = s_.mms[m].vmas[i];
      if (vma.gmem != g) continue;
      const uint64_t a = std::max(lo, vma.pgoff), b = std::min(hi, vma.pgoff + vma.pages());
      if (a >= b) continue;
      zap_range(*this, m, vma, vma.start + (a - vma.pgoff), vma.start + (b - vma.pgoff));
    }
  }
}

std::optional<uint64_t> Kernel::gmem_first_unsafe_folio(GmemId g, uint64_t lo, uint64_t hi) const {
  const GmemFile& f = s_.gmems[g];
  auto it = std::lower_bound(f.pages.begin(), f.pages.end(), lo,
                             [](const GmemPage& p, uint64_t x) { return p.index < x; });
  for (; it != f.pages.end() && it->index < hi; ++it) {
    const Folio& folio = s_.mem.folio(it->pfn);
    // folio_ref_count() == folio_nr_pages() (+1 for the check's own reference).
    if (folio.refcount > int32_t(folio.nr_pages())) return detail::folio_first_index(*this, *it);
  }
  return std::nullopt;
}

void Kernel::gmem_store_attributes(GmemId g, uint64_t lo, uint64_t hi, bool priv) {
  GmemFile& f = s_.gmems[g];
  if (!priv && f.order && p_.gmem_huge->split_on_share()) {
    // Split every huge folio that overlaps the range (it is private, so it
    // holds only its page-cache references).
    std::vector<Pfn> heads;
    auto it = std::lower_bound(f.pages.begin(), f.pages.end(), lo & ~((1ull << f.order) - 1),
                               [](const GmemPage& p, uint64_t x) { return p.index < x; });
    for (; it != f.pages.end() && it->index < hi; ++it) {
      const Pfn h = s_.mem.head(it->pfn);
      if (folio(h).large() && (heads.empty() || heads.back() != h))
        heads.push_back(h);
    }
    for (Pfn h : heads) detail::split_folio(*this, h);
  }
  ranges_assign(s_.gmems[g].private_ranges, lo, hi, priv);
}

bool Kernel::folio_exclusive_pinned(Pfn pfn) const {
  const Folio& f = folio(pfn);
  return f.large() ? f.pincount >= kGupPinExclusiveBias : f.refcount >= kGupPinExclusiveBias;
}

}  // namespace mmsim
