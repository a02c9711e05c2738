#include "run/trace.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace mmsim {

std::string Namer::mm(MmId m) const {
  auto it = mm_names.find(m);
  return it != mm_names.end() ? it->second : fmt::format("mm{}", m);
}

// The newest named mapping that contains v, if any.
static const Namer::Range* owner_of(const Namer& n, MmId m, Vpn v) {
  const Namer::Range* best = nullptr;
  if (auto it = n.ranges.find(m); it != n.ranges.end())
    for (const Namer::Range& r : it->second)
      if (v >= r.start && v < r.start + r.pages && (!best || r.seq > best->seq)) best = &r;
  return best;
}

std::string Namer::addr(MmId m, Vpn v) const {
  if (const Range* r = owner_of(*this, m, v)) return fmt::format("{}[{}]", r->name, v - r->start);
  return fmt::format("{:#x}", v << kPageShift);
}

std::string Namer::range(MmId m, Vpn start, Vpn end) const {
  // Name a VMA by the mappings it covers: "A", "A[1]", "A[0:2]", or "B+A"
  // when adjacent mappings were merged into one VMA.
  std::string out;
  for (Vpn v = start; v < end;) {
    const Range* r = owner_of(*this, m, v);
    if (!r) return fmt::format("[{:#x}-{:#x})", start << kPageShift, end << kPageShift);
    Vpn w = v + 1;
    while (w < end && owner_of(*this, m, w) == r) ++w;
    std::string part;
    if (v == r->start && w == r->start + r->pages)
      part = r->name;
    else if (w == v + 1)
      part = fmt::format("{}[{}]", r->name, v - r->start);
    else
      part = fmt::format("{}[{}:{}]", r->name, v - r->start, w - r->start);
    out += (out.empty() ? "" : "+") + part;
    v = w;
  }
  return out;
}

std::string pte_string(const Pte& pte) {
  switch (pte.kind) {
    case PteKind::None: return "none";
    case PteKind::Marker: return pte.marker == PteMarker::Dropped ? "dropped" : "marker";
    case PteKind::Swap: {
      // "swap 3 excl SD UW": the slot, then the bits a swap entry carries.
      std::string s = fmt::format("swap {}", pte.val);
      if (pte.has(PTE_SWP_EXCLUSIVE)) s += " excl";
      if (pte.has(PTE_SOFT_DIRTY)) s += " SD";
      if (pte.has(PTE_UFFD_WP)) s += " UW";
      return s;
    }
    case PteKind::Present: {
      std::string s = pte.pfn() == kZeroPfn ? "zero" : fmt::format("pfn {}", pte.pfn());
      s += pte.write() ? " rw" : " ro";
      if (pte.dirty()) s += " D";
      if (pte.has(PTE_SOFT_DIRTY)) s += " SD";
      if (pte.has(PTE_UFFD_WP)) s += " UW";
      return s;
    }
  }
  return "?";
}

namespace {

// The list a folio is on (folio_lru_list()), or the per-CPU LRU add batch,
// or nullptr when it is on none (isolated, hugetlb, the zero page).
const char* lru_list(const Folio& f) {
  if (f.test(FOLIO_LRU_BATCH)) return "lru_batch";
  if (!f.test(FOLIO_LRU)) return nullptr;
  if (f.test(FOLIO_UNEVICTABLE)) return "unevictable";
  const bool active = f.test(FOLIO_ACTIVE);
  if (f.file_lru()) return active ? "active_file" : "inactive_file";
  return active ? "active_anon" : "inactive_anon";
}
// Where a new anonymous folio goes (folio_add_lru_vma()): not repeated on
// every "new" line; a move off it shows as "-inactive_anon".
constexpr const char* kDefaultLru = "inactive_anon";

// A folio as tokens: "key=value" counters and bare flags.
std::vector<std::string> folio_tokens(const State& s, Pfn pfn) {
  const Folio& f = s.mem.folios[pfn];
  const Page& p = s.mem.pages[pfn];
  std::vector<std::string> t;
  t.push_back(f.test(FOLIO_ANON)      ? "anon"
              : f.test(FOLIO_SHMEM)   ? "shmem"
              : f.test(FOLIO_GMEM)    ? "gmem"
              : f.test(FOLIO_HUGETLB) ? "hugetlbfs"
                                      : "file");  // a regular file's page cache (tmpfile)
  t.push_back(fmt::format("ref={}", f.refcount));
  t.push_back(fmt::format("map={}", p.mapcount));
  if (f.large()) {
    t.push_back(fmt::format("order={}", int(f.order)));
    t.push_back(fmt::format("entire={}", f.entire_mapcount));
    t.push_back(fmt::format("large={}", f.large_mapcount));
    t.push_back(fmt::format("pincount={}", f.pincount));
    if (f.splitting) t.push_back("splitting");  // a PMD split in progress (split_pmd_begin ... end)
  }
  if (f.test(FOLIO_ANON) && (p.flags & PAGE_ANON_EXCLUSIVE)) t.push_back("excl");
  if (f.test(FOLIO_DIRTY)) t.push_back("dirty");
  if (f.test(FOLIO_MLOCKED)) t.push_back("mlocked");
  if (const char* lru = lru_list(f)) t.push_back(lru);
  // folio_lazyfree() (MADV_FREE'd or droppable): anon, not swap-backed.
  if (f.test(FOLIO_ANON) && !f.test(FOLIO_SWAPBACKED) && !f.test(FOLIO_HUGETLB)) t.push_back("lazyfree");
  if (f.test(FOLIO_SWAPCACHE)) t.push_back(fmt::format("swapcache=slot {}", f.swap));
  t.push_back(fmt::format("data={:#x}", p.data));
  return t;
}

std::string folio_string(const std::vector<std::string>& t) {
  std::string out;
  for (const std::string& w : t) {
    if (!out.empty()) out += ' ';
    auto eq = w.find('=');
    out += eq == std::string::npos ? w : w.substr(0, eq) + ' ' + w.substr(eq + 1);
  }
  return out;
}

// Only what differs: "ref 1→2  map 1→2  -excl  +dirty".
std::string delta(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::map<std::string, std::string> ka, kb;
  std::set<std::string> fa, fb;
  for (const std::string& w : a) {
    auto eq = w.find('=');
    if (eq == std::string::npos) fa.insert(w); else ka[w.substr(0, eq)] = w.substr(eq + 1);
  }
  for (const std::string& w : b) {
    auto eq = w.find('=');
    if (eq == std::string::npos) fb.insert(w); else kb[w.substr(0, eq)] = w.substr(eq + 1);
  }
  std::string out;
  auto add = [&](const std::string& x) { out += (out.empty() ? "" : "  ") + x; };
  for (auto& [k, v] : kb) {
    if (k == "swapcache" && !ka.count(k)) add(fmt::format("+{} {}", k, v));  // a field that comes and goes
    else if (ka[k] != v) add(fmt::format("{} {}→{}", k, ka[k], v));
  }
  if (ka.count("swapcache") && !kb.count("swapcache")) add("-swapcache");
  for (auto& f : fa)
    if (!fb.count(f)) add("-" + f);
  for (auto& f : fb)
    if (!fa.count(f)) add("+" + f);
  return out;
}

}  // namespace

std::vector<std::string> diff_states(const State& a, const State& b, const Namer& n) {
  std::vector<std::string> out;
  for (MmId m = 0; m < b.mms.size(); ++m) {
    const Mm* ma = m < a.mms.size() ? &a.mms[m] : nullptr;
    const Mm& mb = b.mms[m];
    if (ma && ma->live && !mb.live) {
      out.push_back(fmt::format("{}: mm torn down", n.mm(m)));
      continue;
    }
    auto vmas = [&](const Mm* mm) {
      std::string v;
      if (mm)
        for (const Vma& vma : mm->vmas) v += fmt::format("{}{} {}", v.empty() ? "" : "; ", n.range(m, vma.start, vma.end), vm_flags_string(vma.flags));
      return v.empty() ? std::string("(none)") : v;
    };
    if (const std::string vb = vmas(&mb); !ma || vmas(ma) != vb) out.push_back(fmt::format("{}: vmas {}", n.mm(m), vb));
    if (ma && !ma->test(MMF_HAS_PINNED) && mb.test(MMF_HAS_PINNED)) out.push_back(fmt::format("{}: MMF_HAS_PINNED set", n.mm(m)));
    {
      const std::vector<PteSlot> none;
      const auto& pa = ma ? ma->pmds : none;
      if (pa != mb.pmds) {
        const uint32_t nr = 1u << b.config.thp_order;
        std::set<Vpn> starts;
        for (const PteSlot& p : pa) starts.insert(p.vpn);
        for (const PteSlot& p : mb.pmds) starts.insert(p.vpn);
        for (Vpn v : starts) {
          Pte x, y;
          for (const PteSlot& p : pa) if (p.vpn == v) x = p.pte;
          for (const PteSlot& p : mb.pmds) if (p.vpn == v) y = p.pte;
          if (x == y) continue;
          out.push_back(fmt::format("{} {} pmd: {} → {}", n.mm(m), n.range(m, v, v + nr), pte_string(x), pte_string(y)));
        }
      }
    }
    std::set<Vpn> vpns;
    if (ma)
      for (const PteSlot& s : ma->pt.slots()) vpns.insert(s.vpn);
    for (const PteSlot& s : mb.pt.slots()) vpns.insert(s.vpn);
    for (Vpn v : vpns) {
      const Pte pa = ma ? ma->pt.get(v) : Pte{};
      const Pte pb = mb.pt.get(v);
      if (pte_string(pa) == pte_string(pb)) continue;  // e.g. only the accessed bit changed
      out.push_back(fmt::format("{} {}: {} → {}", n.mm(m), n.addr(m, v), pte_string(pa), pte_string(pb)));
    }
  }
  const size_t frames = std::min(a.mem.pages.size(), b.mem.pages.size());
  for (Pfn pfn = 1; pfn < frames; ++pfn) {
    const bool was = a.mem.pages[pfn].head == pfn, is = b.mem.pages[pfn].head == pfn;
    if (!was && !is) continue;
    if (was && !is) {
      // A large folio goes as a whole (all 2^order frames), or was split first.
      const unsigned order = a.mem.folios[pfn].order;
      out.push_back(order ? fmt::format("pfn {}: freed (order {}, {} frames)", pfn, order, 1u << order)
                          : fmt::format("pfn {}: freed", pfn));
      continue;
    }
    const auto fb = folio_tokens(b, pfn);
    if (!was) {
      auto shown = fb;
      std::erase(shown, std::string(kDefaultLru));
      out.push_back(fmt::format("pfn {}: new {}", pfn, folio_string(shown)));
      continue;
    }
    const auto fa = folio_tokens(a, pfn);
    if (fa != fb) out.push_back(fmt::format("pfn {}: {}", pfn, delta(fa, fb)));
  }
  // Swap slots: swap_map[] counts, the swap cache, what pageout() wrote.
  for (size_t i = 0; i < b.swap.size(); ++i) {
    const SwapSlot sa = i < a.swap.size() ? a.swap[i] : SwapSlot{};
    const SwapSlot& sb = b.swap[i];
    if (sa == sb) continue;
    auto cache = [](Pfn p) { return p == kNoPfn ? std::string("none") : fmt::format("pfn {}", p); };
    std::string d;
    auto add = [&](const std::string& x) { d += (d.empty() ? "" : "  ") + x; };
    if (sa.count != sb.count) add(fmt::format("count {}→{}", sa.count, sb.count));
    if (sa.cache != sb.cache) add(fmt::format("cache {}→{}", cache(sa.cache), cache(sb.cache)));
    if (sa.data != sb.data) add(fmt::format("data {:#x}→{:#x}", sa.data, sb.data));
    out.push_back(fmt::format("swap {}: {}", i, d));
  }
  for (GupId g = 0; g < b.gups.size(); ++g) {
    const bool was = g < a.gups.size() && a.gups[g].live;
    const std::string name = n.gup_names.count(g) ? n.gup_names.at(g) : fmt::format("gup{}", g);
    if (!was && b.gups[g].live) {
      std::string pfns;
      for (Pfn p : b.gups[g].pfns) pfns += fmt::format("{}{}", pfns.empty() ? "" : ",", p == kZeroPfn ? "zero" : std::to_string(p));
      out.push_back(fmt::format("{} {}: pfn {}", (b.gups[g].foll & FOLL_PIN) ? "pin" : "gup", name, pfns));
    } else if (was && !b.gups[g].live) {
      out.push_back(fmt::format("{}: released", name));
    }
  }
  // guest_memfd files: page cache, per-index attributes, bindings, lifetime; VMs.
  auto ranges_str = [](const std::vector<IndexRange>& r) {
    std::string s;
    for (const IndexRange& x : r) s += fmt::format("{}[{}:{})", s.empty() ? "" : ",", x.lo, x.hi);
    return s.empty() ? std::string("none") : s;
  };
  for (GmemId g = 0; g < b.gmems.size(); ++g) {
    const std::string name = n.gmem_names.count(g) ? n.gmem_names.at(g) : fmt::format("gmem{}", g);
    const GmemFile& gb = b.gmems[g];
    const GmemFile* ga = g < a.gmems.size() ? &a.gmems[g] : nullptr;
    if (!ga) {
      out.push_back(fmt::format("{}: new guest_memfd, {} pages, flags {:#x}", name, gb.npages(), gb.flags));
      if (!gb.private_ranges.empty()) out.push_back(fmt::format("{}: private {}", name, ranges_str(gb.private_ranges)));
      continue;
    }
    if (ga->live && !gb.live) out.push_back(fmt::format("{}: released", name));
    if (ga->private_ranges != gb.private_ranges)
      out.push_back(fmt::format("{}: private {} → {}", name, ranges_str(ga->private_ranges), ranges_str(gb.private_ranges)));
    if (ga->bindings.size() != gb.bindings.size())
      out.push_back(fmt::format("{}: {} binding(s) → {}", name, ga->bindings.size(), gb.bindings.size()));
    if (ga->pages != gb.pages) {
      std::map<uint64_t, std::pair<Pfn, Pfn>> diff;
      for (const GmemPage& p : ga->pages) diff[p.index].first = p.pfn + 1;
      for (const GmemPage& p : gb.pages) diff[p.index].second = p.pfn + 1;
      std::string s;
      int shown = 0;
      for (auto& [idx, pp] : diff) {
        if (pp.first == pp.second) continue;
        if (++shown > 8) {
          s += " …";
          break;
        }
        auto pfn = [](Pfn x) { return x ? fmt::format("pfn {}", x - 1) : std::string("none"); };
        s += fmt::format("{}[{}] {} → {}", s.empty() ? "" : "; ", idx, pfn(pp.first), pfn(pp.second));
      }
      if (!s.empty()) out.push_back(fmt::format("{} page cache: {}", name, s));
    }
  }
  for (VmId v = 0; v < b.vms.size(); ++v) {
    const std::string name = n.vm_names.count(v) ? n.vm_names.at(v) : fmt::format("vm{}", v);
    const KvmVm* va = v < a.vms.size() ? &a.vms[v] : nullptr;
    if (!va) {
      out.push_back(fmt::format("{}: new VM type {}", name, b.vms[v].type));
      continue;
    }
    if (va->live && !b.vms[v].live) out.push_back(fmt::format("{}: destroyed", name));
    if (va->slots != b.vms[v].slots) out.push_back(fmt::format("{}: {} memslot(s) → {}", name, va->slots.size(), b.vms[v].slots.size()));
    if (va->private_gfns != b.vms[v].private_gfns)
      out.push_back(fmt::format("{}: private GFNs {} → {}", name, ranges_str(va->private_gfns), ranges_str(b.vms[v].private_gfns)));
  }
  for (PipeId p = 0; p < b.pipes.size(); ++p) {
    const std::vector<Pfn> empty;
    const auto& ba = p < a.pipes.size() ? a.pipes[p].bufs : empty;
    if (ba == b.pipes[p].bufs) continue;
    std::string bufs;
    for (Pfn f : b.pipes[p].bufs) bufs += fmt::format("{}{}", bufs.empty() ? "" : ",", f == kZeroPfn ? "zero" : std::to_string(f));
    out.push_back(fmt::format("pipe {}: [{}]", n.pipe_names.count(p) ? n.pipe_names.at(p) : std::to_string(p), bufs));
  }
  return out;
}

}  // namespace mmsim
