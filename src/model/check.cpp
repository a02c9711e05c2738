// Debug cross-check (Zircon / gVisor style): recompute every counter from the
// holders and compare with what the mechanism maintained incrementally.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "model/huge_memory.hpp"
#include "model/internal.hpp"
#include "model/kernel.hpp"

namespace mmsim {

namespace {
// v holds n zeros, reusing its buffer.
std::vector<int64_t>& zeroed(std::vector<int64_t>& v, size_t n) {
  v.assign(n, 0);
  return v;
}
}  // namespace

std::vector<std::string> check_invariants(const State& s, const PolicySet& p) {
  InvariantScratch scratch;
  return check_invariants(s, p, scratch);
}

std::vector<std::string> check_invariants(const State& s, const PolicySet& p, InvariantScratch& sc) {
  std::vector<std::string> bad;
  const size_t n = s.mem.pages.size();
  auto& ref = zeroed(sc.ref, n);
  auto& map = zeroed(sc.map, n);
  auto& pins = zeroed(sc.pins, n);
  auto& mlocks = zeroed(sc.mlocks, n);
  auto& entire = zeroed(sc.entire, n);
  auto& large = zeroed(sc.large, n);
  const uint32_t hnr = 1u << s.config.thp_order;
  const bool ps_cow_tracks = p.cow->tracks_anon_exclusive();
  auto head = [&](Pfn pfn) { return s.mem.pages[pfn].head; };
  auto normal = [&](Pfn pfn) { return pfn != kZeroPfn && pfn < n && s.mem.pages[pfn].head != kNone; };
  // Kernel::gmem_index_shared() without a Kernel: INIT_SHARED or the per-index attribute.
  auto gmem_shared = [&](GmemId g, uint64_t idx) {
    if (p.gmem_conversion->per_index_attributes()) return !ranges_contain(s.gmems[g].private_ranges, idx);
    return bool(s.gmems[g].flags & GUEST_MEMFD_FLAG_INIT_SHARED);
  };
  // The guest_memfd index whose page cache holds pfn (for the "no private page
  // is reachable by the host" invariant).
  std::map<Pfn, std::pair<GmemId, uint64_t>> gmem_of;
  for (GmemId g = 0; g < s.gmems.size(); ++g)
    for (const GmemPage& gp : s.gmems[g].pages) gmem_of[gp.pfn] = {g, gp.index};

  auto& swap_refs = zeroed(sc.swap_refs, s.swap.size());
  for (size_t m = 0; m < s.mms.size(); ++m) {
    const Mm& mm = s.mms[m];
    RssCounters rss;
    for (const PteSlot& slot : mm.pt.slots()) {
      const Vma* vma = mm.vma_at(slot.vpn);
      if (!vma) bad.push_back(fmt::format("mm{}: PTE at {:#x} outside any VMA", m, slot.vpn << kPageShift));
      if (slot.pte.is_swap()) {
        rss.swapents += 1;
        if (slot.pte.val >= s.swap.size())
          bad.push_back(fmt::format("mm{}: swap PTE at {:#x} names slot {} beyond the device", m,
                                    slot.vpn << kPageShift, slot.pte.val));
        else
          swap_refs[slot.pte.val] += 1;
        continue;
      }
      if (!slot.pte.is_present()) continue;
      const Pfn pfn = slot.pte.pfn();
      if (pfn == kZeroPfn) {
        if (slot.pte.write()) bad.push_back(fmt::format("mm{}: zero page mapped writable", m));
        continue;
      }
      if (!normal(pfn)) {
        bad.push_back(fmt::format("mm{}: PTE at {:#x} maps free pfn {}", m, slot.vpn << kPageShift, pfn));
        continue;
      }
      ref[head(pfn)] += 1;
      map[pfn] += 1;
      large[head(pfn)] += 1;
      if (vma && vma->test(VM_LOCKED)) mlocks[head(pfn)] += 1;
      const Folio& f = s.mem.folios[head(pfn)];
      if (f.test(FOLIO_HUGETLB)) {
        // not in rss
      } else if (f.test(FOLIO_GMEM)) {
        rss.file += 1;
        // guest_memfd: a host PTE maps the page cache page of a shared index.
        if (!vma || !vma->is_gmem() || vma->gmem != f.mapping) {
          bad.push_back(fmt::format("mm{}: PTE at {:#x} maps guest_memfd pfn {} outside a mapping of its file", m,
                                    slot.vpn << kPageShift, pfn));
        } else {
          const uint64_t idx = vma->file_index(slot.vpn);
          const GmemFile& gf = s.gmems[vma->gmem];
          const GmemPage* gp = detail::gmem_find(gf, idx);
          if (!gp || gp->pfn != pfn)
            bad.push_back(fmt::format("mm{}: PTE at {:#x} maps pfn {}, not guest_memfd {} index {}'s page", m,
                                      slot.vpn << kPageShift, pfn, vma->gmem, idx));
          if (!gmem_shared(vma->gmem, idx))
            bad.push_back(fmt::format("mm{}: PTE at {:#x} maps private guest_memfd {} index {}", m,
                                      slot.vpn << kPageShift, vma->gmem, idx));
        }
      } else if (f.test(FOLIO_ANON)) {
        rss.anon += 1;
        // PAE invariant 2 (cow-gup.md §5.1): a writable anon PTE maps an exclusive page.
        if (p.cow->tracks_anon_exclusive() && slot.pte.write() && !(s.mem.pages[pfn].flags & PAGE_ANON_EXCLUSIVE))
          bad.push_back(fmt::format("mm{}: writable PTE at {:#x} maps pfn {} without PG_anon_exclusive", m,
                                    slot.vpn << kPageShift, pfn));
      } else if (f.test(FOLIO_SHMEM)) {
        rss.shmem += 1;
      } else {
        rss.file += 1;  // a regular file's page cache (MM_FILEPAGES)
      }
      if (vma && slot.pte.write() && vma->is_cow_mapping() && !f.test(FOLIO_ANON))
        bad.push_back(fmt::format("mm{}: writable PTE in a COW mapping maps non-anon pfn {}", m, pfn));
    }
    for (const PteSlot& p : mm.pmds) {
      const Vma* vma = mm.vma_at(p.vpn);
      if (!vma || p.vpn + hnr > vma->end || (p.vpn & (hnr - 1)))
        bad.push_back(fmt::format("mm{}: PMD at {:#x} not inside one VMA or misaligned", m, p.vpn << kPageShift));
      const Pfn pfn = p.pte.pfn();
      if (detail::is_huge_zero_pmd(p.pte)) {
        // The huge zero PMD: special, R/O, no counters, no rss, no PTEs below it.
        if (!p.pte.has(PTE_SPECIAL) || p.pte.write())
          bad.push_back(fmt::format("mm{}: huge zero PMD at {:#x} not special R/O", m, p.vpn << kPageShift));
        if (!mm.pt.populated(p.vpn, p.vpn + hnr).empty())
          bad.push_back(fmt::format("mm{}: PTEs inside the PMD at {:#x}", m, p.vpn << kPageShift));
        continue;
      }
      if (!normal(pfn) || head(pfn) != pfn || s.mem.folios[pfn].order != s.config.thp_order) {
        bad.push_back(fmt::format("mm{}: PMD at {:#x} does not map a THP head", m, p.vpn << kPageShift));
        continue;
      }
      if (!mm.pt.populated(p.vpn, p.vpn + hnr).empty())
        bad.push_back(fmt::format("mm{}: PTEs inside the PMD at {:#x}", m, p.vpn << kPageShift));
      ref[pfn] += 1;
      entire[pfn] += 1;
      large[pfn] += 1;
      rss.anon += hnr;
      // PAE invariant 2 for a PMD: writable implies the head is exclusive.
      if (ps_cow_tracks && p.pte.write() && !(s.mem.pages[pfn].flags & PAGE_ANON_EXCLUSIVE))
        bad.push_back(fmt::format("mm{}: writable PMD at {:#x} without PG_anon_exclusive", m, p.vpn << kPageShift));
    }
    rss.locked_vm = 0;
    for (const Vma& vma : mm.vmas)
      if (vma.test(VM_LOCKED)) rss.locked_vm += int64_t(vma.pages());
    if (mm.live && !(rss == mm.rss))
      bad.push_back(fmt::format("mm{}: rss anon/shmem/swapents/locked_vm {}/{}/{}/{} but recomputed {}/{}/{}/{}", m,
                                mm.rss.anon, mm.rss.shmem, mm.rss.swapents, mm.rss.locked_vm, rss.anon, rss.shmem,
                                rss.swapents, rss.locked_vm));
    for (size_t i = 0; i + 1 < mm.vmas.size(); ++i)
      if (mm.vmas[i].end > mm.vmas[i + 1].start) bad.push_back(fmt::format("mm{}: overlapping VMAs", m));
  }
  for (const GupRef& g : s.gups) {
    if (!g.live) continue;
    for (Pfn pfn : g.pfns) {
      if (pfn == kZeroPfn) continue;
      if (!normal(pfn)) {
        bad.push_back(fmt::format("a GUP reference holds free pfn {}", pfn));
        continue;
      }
      const Folio& f = s.mem.folios[head(pfn)];
      const bool excl = g.foll & FOLL_EXCLUSIVE;
      if (g.foll & FOLL_GET) {
        ref[head(pfn)] += 1;
      } else if (f.large()) {
        ref[head(pfn)] += 1;
        pins[head(pfn)] += excl ? kGupPinExclusiveBias : 1;
      } else {
        ref[head(pfn)] += excl ? kGupPinExclusiveBias : kGupPinCountingBias;
      }
      // PAE invariant 3: FOLL_PIN on an anon page only when it is exclusive.
      // A PMD mapping keeps its exclusivity on the head page only
      // (folio_add_new_anon_rmap() for a PMD-mappable folio); a subpage no
      // PTE maps (PMD-mapped, or the PMD was zapped while it stays pinned)
      // answers with the head's flag, as __split_huge_pmd_locked() would.
      const bool pae = (s.mem.pages[pfn].flags & PAGE_ANON_EXCLUSIVE) ||
                       ((f.entire_mapcount > 0 || s.mem.pages[pfn].mapcount == 0) &&
                        (s.mem.pages[head(pfn)].flags & PAGE_ANON_EXCLUSIVE));
      if ((g.foll & FOLL_PIN) && f.test(FOLIO_ANON) && p.cow->tracks_anon_exclusive() && !pae)
        bad.push_back(fmt::format("pfn {} is pinned but not PG_anon_exclusive", pfn));
    }
  }
  for (size_t pi = 0; pi < s.pipes.size(); ++pi)
    for (Pfn pfn : s.pipes[pi].bufs) {
      if (pfn == kZeroPfn) continue;
      if (!normal(pfn))
        bad.push_back(fmt::format("pipe {} holds free pfn {}", pi, pfn));
      else
        ref[head(pfn)] += 1;
    }
  // No GUP reference or pipe buffer holds the page of a private guest_memfd
  // index (conversion to private waits for them; private pages cannot be GUPed).
  // (who names the holder: "GUP reference" or "pipe", and its index; the
  // message is formatted only for a violation.)
  auto held_private = [&](Pfn pfn, const char* who, size_t idx) {
    if (gmem_of.empty()) return;
    auto it = gmem_of.find(pfn);
    if (it != gmem_of.end() && !gmem_shared(it->second.first, it->second.second))
      bad.push_back(fmt::format("{} {} holds pfn {}, the page of private guest_memfd {} index {}", who, idx, pfn,
                                it->second.first, it->second.second));
  };
  for (size_t gi = 0; gi < s.gups.size(); ++gi)
    if (s.gups[gi].live)
      for (Pfn pfn : s.gups[gi].pfns) held_private(pfn, "GUP reference", gi);
  for (size_t pi = 0; pi < s.pipes.size(); ++pi)
    for (Pfn pfn : s.pipes[pi].bufs) held_private(pfn, "pipe", pi);
  // guest_memfd page caches: one reference per index; files and VMs are held
  // by exactly their fds, VMAs and (for a VM) live guest_memfd files.
  auto& gmem_users = zeroed(sc.gmem_users, s.gmems.size());
  auto& vm_users = zeroed(sc.vm_users, s.vms.size());
  for (const Mm& mm : s.mms)
    for (const Vma& vma : mm.vmas)
      if (vma.gmem != kNone) gmem_users[vma.gmem] += 1;
  for (const Task& t : s.tasks) {
    for (uint32_t g : t.gmem_fds) gmem_users[g] += 1;
    for (uint32_t v : t.vm_fds) vm_users[v] += 1;
  }
  for (GmemId g = 0; g < s.gmems.size(); ++g) {
    const GmemFile& gf = s.gmems[g];
    if (gf.live) vm_users[gf.vm] += 1;
    if (gf.users != gmem_users[g] || bool(gf.live) != (gmem_users[g] > 0))
      bad.push_back(fmt::format("guest_memfd {}: users {} (live {}) but {} fds and VMAs hold it", g, gf.users,
                                gf.live, gmem_users[g]));
    if (!gf.live && (!gf.pages.empty() || !gf.bindings.empty()))
      bad.push_back(fmt::format("guest_memfd {}: released but still has pages or bindings", g));
    for (const GmemPage& gp : gf.pages) {
      if (!normal(gp.pfn) || !(s.mem.folios[head(gp.pfn)].flags & FOLIO_GMEM) ||
          s.mem.folios[head(gp.pfn)].mapping != g) {
        bad.push_back(fmt::format("guest_memfd {} index {}: pfn {} is not one of its folios", g, gp.index, gp.pfn));
        continue;
      }
      if (gp.index >= gf.npages()) bad.push_back(fmt::format("guest_memfd {}: page at index {} beyond EOF", g, gp.index));
      ref[head(gp.pfn)] += 1;
    }
    for (const GmemBinding& b : gf.bindings) {
      const KvmVm& vm = s.vms[b.vm];
      auto sl = std::find_if(vm.slots.begin(), vm.slots.end(), [&](const KvmMemslot& x) { return x.id == b.slot; });
      if (sl == vm.slots.end() || sl->gmem != g || sl->pgoff != b.pgoff || sl->npages != b.npages)
        bad.push_back(fmt::format("guest_memfd {}: binding to VM {} slot {} does not match the memslot", g, b.vm, b.slot));
    }
  }
  for (VmId v = 0; v < s.vms.size(); ++v)
    if (s.vms[v].users != vm_users[v] || bool(s.vms[v].live) != (vm_users[v] > 0))
      bad.push_back(fmt::format("VM {}: users {} (live {}) but {} fds and guest_memfd files hold it", v,
                                s.vms[v].users, s.vms[v].live, vm_users[v]));
  // A shmem file is held by every VMA that maps it and every fd that names it.
  auto& file_users = zeroed(sc.file_users, s.files.size());
  for (const Mm& mm : s.mms)
    for (const Vma& vma : mm.vmas)
      if (vma.file != kNone) file_users[vma.file] += 1;
  for (const Task& t : s.tasks)
    for (FileId f : t.files) file_users[f] += 1;
  for (size_t fi = 0; fi < s.files.size(); ++fi)
    if (s.files[fi].users != file_users[fi])
      bad.push_back(fmt::format("shmem file {}: users {} but {} VMAs and fds hold it", fi, s.files[fi].users, file_users[fi]));
  for (size_t fi = 0; fi < s.files.size(); ++fi)
    for (Pfn pfn : s.files[fi].pages)
      if (pfn != kNoPfn) {
        if (!normal(pfn))
          bad.push_back(fmt::format("shmem file {} holds free pfn {}", fi, pfn));
        else
          ref[head(pfn)] += 1;
      }

  auto& in_batch = zeroed(sc.in_batch, n);
  for (Pfn pfn : s.lru_add) {
    if (!normal(pfn)) {
      bad.push_back(fmt::format("the LRU add batch holds free pfn {}", pfn));
      continue;
    }
    in_batch[head(pfn)] += 1;
  }
  if (s.config.lru_batch && s.lru_add.size() >= s.config.lru_batch) bad.push_back("the LRU add batch is over-full");
  uint32_t free_frames = 0, hugetlb = 0;
  for (Pfn pfn = 1; pfn < n; ++pfn) {
    const Page& pg = s.mem.pages[pfn];
    if (pg.head == kNone) {
      ++free_frames;
      if (ref[pfn] || map[pfn]) bad.push_back(fmt::format("free pfn {} is still referenced", pfn));
      continue;
    }
    if (pg.mapcount != map[pfn])
      bad.push_back(fmt::format("pfn {}: mapcount {} but {} PTEs map it", pfn, pg.mapcount, map[pfn]));
    // PAE invariant: an exclusive page is mapped at most once.
    if ((pg.flags & PAGE_ANON_EXCLUSIVE) && pg.mapcount > 1)
      bad.push_back(fmt::format("pfn {}: PG_anon_exclusive but mapped {} times", pfn, pg.mapcount));
    if (pg.head != pfn) continue;
    const Folio& f = s.mem.folios[pfn];
    hugetlb += f.test(FOLIO_HUGETLB);
    int64_t expect = ref[pfn];
    if (f.test(FOLIO_LRU_BATCH)) expect += 1;
    if (in_batch[pfn] != (f.test(FOLIO_LRU_BATCH) ? 1 : 0))
      bad.push_back(fmt::format("pfn {}: PG_lru_batch {} but {} entries in the batch", pfn, f.test(FOLIO_LRU_BATCH), in_batch[pfn]));
    if (f.test(FOLIO_SWAPCACHE)) expect += f.nr_pages();
    if (f.refcount != expect)
      bad.push_back(fmt::format("pfn {}: refcount {} but holders account for {}", pfn, f.refcount, expect));
    if (f.large() && (f.entire_mapcount != entire[pfn] || f.large_mapcount != large[pfn]))
      bad.push_back(fmt::format("pfn {}: entire/large mapcount {}/{} but {} PMD and {} PTE+PMD mappings", pfn,
                                f.entire_mapcount, f.large_mapcount, entire[pfn], large[pfn]));
    if (f.pincount != pins[pfn])
      bad.push_back(fmt::format("pfn {}: pincount {} but {} large-folio pins", pfn, f.pincount, pins[pfn]));
    if (f.mlock_count != mlocks[pfn])
      bad.push_back(fmt::format("pfn {}: mlock_count {} but {} VM_LOCKED mappings", pfn, f.mlock_count, mlocks[pfn]));
    if (f.refcount <= 0) bad.push_back(fmt::format("pfn {}: allocated with refcount {}", pfn, f.refcount));
    // A PMD split in progress (split_pmd_begin): an anonymous THP whose every
    // subpage still has the PTE each open split installed.
    if (f.splitting) {
      bool ok = f.large() && f.test(FOLIO_ANON);
      for (uint32_t i = 0; ok && i < f.nr_pages(); ++i) ok = s.mem.pages[pfn + i].mapcount >= f.splitting;
      if (!ok) bad.push_back(fmt::format("pfn {}: {} PMD split(s) in progress but not a PTE-mapped anon THP", pfn, int(f.splitting)));
    }
    // PG_swapcache and the slot name each other (the slot side: below).
    if (f.test(FOLIO_SWAPCACHE) && (f.swap >= s.swap.size() || s.swap[f.swap].cache != pfn))
      bad.push_back(fmt::format("pfn {}: PG_swapcache but its slot does not name it", pfn));
    if (!f.test(FOLIO_SWAPCACHE) && f.swap != kNone) bad.push_back(fmt::format("pfn {}: a swap slot without PG_swapcache", pfn));
  }
  // Swap: slot counts are the swap PTEs; the swap cache and PG_swapcache agree.
  for (size_t i = 0; i < s.swap.size(); ++i) {
    const SwapSlot& sl = s.swap[i];
    if (sl.count != swap_refs[i])
      bad.push_back(fmt::format("swap slot {}: count {} but {} swap PTEs", i, sl.count, swap_refs[i]));
    if (!sl.used() && !(sl == SwapSlot{})) bad.push_back(fmt::format("swap slot {}: free but not cleared", i));
    if (sl.cache != kNoPfn) {
      if (!normal(sl.cache) || head(sl.cache) != sl.cache || !s.mem.folios[sl.cache].test(FOLIO_SWAPCACHE) ||
          s.mem.folios[sl.cache].swap != i)
        bad.push_back(fmt::format("swap slot {}: cache pfn {} is not its PG_swapcache folio", i, sl.cache));
    }
  }
  if (hugetlb != s.hugetlb_used)
    bad.push_back(fmt::format("hugetlb_used {} but {} hugetlb folios exist", s.hugetlb_used, hugetlb));
  if (hugetlb > s.config.hugetlb) bad.push_back("more hugetlb folios than the pool holds");
  if (free_frames != s.mem.nr_free)
    bad.push_back(fmt::format("nr_free {} but {} frames are free", s.mem.nr_free, free_frames));
  return bad;
}

}  // namespace mmsim
