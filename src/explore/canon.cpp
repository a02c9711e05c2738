#include "explore/canon.hpp"

#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>
// XXH3 with the widest vector unit the CPU has: libxxhash's runtime
// dispatch header redefines XXH3_64bits and XXH3_64bits_update as their
// _dispatch versions (the same values), for fingerprint() and
// raw_fingerprint() alike: a fingerprint per transition, and the SSE2
// baseline took about 8% of a search. Elsewhere the plain functions.
#if defined(__x86_64__) && __has_include(<xxh_x86dispatch.h>)
#include <xxh_x86dispatch.h>
#endif

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <type_traits>

namespace mmsim::explore {
namespace {

// What only reclaim and khugepaged read (folio_referenced(), shrink_folio(),
// hpage_collapse_scan_pmd()): the accessed bit, PG_referenced, PG_active and
// PG_dirty, with LRU order (Identity::aging). Not the PTE's dirty bit: the
// mprotect-upgrade=dirty-exclusive policy (6.1) reads it too.
constexpr uint8_t kAgingBits = PTE_YOUNG;
constexpr uint32_t kAgingFlags = FOLIO_REFERENCED | FOLIO_ACTIVE | FOLIO_DIRTY;

// Renamed tokens (tokens_renamed()): tags no plain value carries.
constexpr uint64_t kLiveTag = 1ull << 62, kRetiredTag = 1ull << 61;


// Tokens are names too. A process writes one token per fork epoch (the
// writer's ordinal and epoch, explorer_token()); a fork starts a new epoch,
// so a token of an epoch its writer has left, or of a writer that exited,
// is never written again. Nothing compares tokens but for equality (page
// contents are opaque to the kernel; the no-leak check keys on them). Such a
// *retired* token is only a label: it is renamed in order of first
// appearance, like a frame, and forgotten where nothing holds it. A *live*
// token (its writer's current epoch) is named after its writer alone, the
// epoch number left out: "P0 wrote, forked, and its old tokens are gone" is
// "P0 never forked", and a parent and its fresh child look alike.
//
// Kept as they are (tokens named by writer and epoch, epochs numbered): a
// state with a value a step chose in the explorer's token range (a seed's
// write may be any epoch's token, current or future), a value with a top bit
// set (the renamed tokens' tags), or an epoch past 255 (tokens alias), and
// searches where a token's value is data (getrandom: Identity::tokens).
bool tokens_renamed(const Node& n, bool on, EncodeScratch& sc) {
  if (!on) return false;
  auto plain = [](Token t) { return (t >> 61) == 0; };
  sc.current.fill(0xffff);  // an ordinal never created writes nothing
  for (uint32_t o = 0; o < n.book.nprocs; ++o) {
    const ProcBook& pb = n.book.procs[o];
    const bool live = pb.task != kNone && n.st.tasks[pb.task].live;
    if (live && pb.epoch > 0xff) return false;
    sc.current[o] = live ? pb.epoch : 0xffff;  // none: every token of an exited writer is retired
  }
  for (const TokenVis& tv : n.prov.tokens)
    if (!plain(tv.token) || (tv.chosen && is_explorer_token(tv.token))) return false;
  const Page* pg = n.st.mem.pages.data();
  for (size_t p = 1, end = n.st.mem.pages.size(); p < end; ++p)
    if (!plain(pg[p].data)) return false;
  for (const SwapSlot& sl : n.st.swap)
    if (!plain(sl.data)) return false;
  return true;
}

// An explorer token whose writer has forked or exited since (tokens_renamed()).
bool retired(const EncodeScratch& sc, Token t) {
  if (!sc.tokens_renamed || !is_explorer_token(t)) return false;
  const uint16_t cur = sc.current[token_writer(t)];
  return cur == 0xffff || (cur & 0xff) != token_epoch(t);
}

// A PTE as it looks with names left out (the frame by its counts and flags,
// not its number; the contents not at all), for the signatures that choose
// what to permute.
uint64_t pte_look(const State& st, const Pte& pte, bool aging) {
  const uint8_t bits = aging ? pte.bits : uint8_t(pte.bits & ~kAgingBits);
  uint64_t w = uint64_t(pte.kind) << 16 | uint64_t(bits) << 8 | uint64_t(pte.marker);
  if (pte.is_present() && pte.val < st.mem.pages.size()) {
    const Page& pg = st.mem.pages[Pfn(pte.val)];
    const Folio& f = st.mem.folios[pg.head == kNone ? Pfn(pte.val) : pg.head];
    w ^= (uint64_t(pg.mapcount) << 24 | uint64_t(f.refcount) << 32 | uint64_t(pg.flags) << 48) ^
         (uint64_t(aging ? f.flags : f.flags & ~kAgingFlags) * 0xC2B2AE3D27D4EB4Full);
  } else {
    w ^= pte.val * 0x165667B19E3779F9ull;  // a swap slot (kept, not renamed)
  }
  return w;
}

// The zero page, or an anonymous page no PTE maps and no write pin holds:
// nothing can write it again (it cannot be mapped anew: not in a page cache,
// not KSM's, and no swap PTE refers to it), so its contents are final. (Once
// frozen, always frozen: the encoding would otherwise tell apart later what
// it merged now.)
bool frozen(const State& s, Pfn p) {
  const Pfn head = s.mem.pages[p].head;
  if (head == kNone) return false;
  const Folio& f = s.mem.folios[head];
  if (f.test(FOLIO_ZERO)) return true;  // never written: a write fault copies it
  constexpr uint32_t kMappable = FOLIO_SHMEM | FOLIO_KSM | FOLIO_HUGETLB | FOLIO_GMEM;
  if (!f.test(FOLIO_ANON) || (f.flags & kMappable) || f.entire_mapcount || f.large_mapcount) return false;
  // In the swap cache it is mapped again by a swap PTE's fault: frozen only
  // if no swap PTE refers to its slot (reclaim of an unmapped page leaves
  // none, and none can appear: they come from unmapping it, or fork copying one).
  if (f.test(FOLIO_SWAPCACHE))
    for (const SwapSlot& sl : s.swap)
      if (sl.cache == head && sl.count > 0) return false;
  for (uint32_t i = 0, nr = f.nr_pages(); i < nr; ++i)
    if (s.mem.pages[head + i].mapcount) return false;
  for (const GupRef& g : s.gups)
    if (g.live && (g.foll & FOLL_WRITE))
      for (Pfn q : g.pfns)
        if (s.mem.pages[q].head == head) return false;
  return true;
}

// Each no-leak buffer record's page (kNoPfn: not found) and whether it is
// frozen. Records are FIFO per pipe like the pipe's buffers: the k-th record
// of a pipe is its k-th buffer.
void buffer_pages(const Node& n, bool forget, EncodeScratch& sc) {
  const auto& bufs = n.prov.bufs;
  sc.buf_page.assign(bufs.size(), kNoPfn);
  sc.buf_frozen = 0;
  std::array<uint32_t, kMaxPipes> nbufs{}, met{};
  for (const BufVis& bv : bufs)
    if (bv.pipe < kMaxPipes) ++nbufs[bv.pipe];
  for (size_t i = 0; i < bufs.size() && i < 64; ++i) {
    const BufVis& bv = bufs[i];
    if (bv.pipe >= n.book.npipes || n.book.pipes[bv.pipe] == kNone) continue;
    const Pipe& pp = n.st.pipes[n.book.pipes[bv.pipe]];
    const uint32_t k = met[bv.pipe]++;
    if (pp.bufs.size() != nbufs[bv.pipe] || pp.bufs[k] >= n.st.mem.pages.size()) continue;
    sc.buf_page[i] = pp.bufs[k];
    if (forget && frozen(n.st, pp.bufs[k])) sc.buf_frozen |= 1ull << i;
  }
}

// Whether MMF_HAS_PINNED of mm can still be read. The flag is read only
// together with a maybe-pinned anonymous folio the mm maps
// (folio_needs_cow_for_dma(): for an exclusive page at fork,
// copy_present_pte(), and hugetlb fork; for a writable PTE in a COW mapping
// in clear_refs' pte_is_pinned()). Where pins are taken on PG_anon_exclusive
// pages only and every folio is small (Identity::keep_has_pinned), an
// anonymous folio pinned through another mm is one this mm does not map and
// never will (an exclusive page is mapped once, by swap too; fork makes new
// mms), and one pinned through this mm set the flag: so with none mapped now
// the flag cannot be read before this mm pins, which sets it. A swap PTE
// counts as a mapping of its slot's swap-cache folio. (So the test is the
// same on merged states and their successors: it turns true only by this
// mm's own pin. A shared page another mm pins would turn it true too, and
// is never read: not counted.)
bool has_pinned_readable(const State& s, const Mm& mm) {
  auto pinned = [&](const PteSlot& p) {
    Pfn pfn = kNoPfn;
    if (p.pte.is_present())
      pfn = p.pte.pfn();
    else if (p.pte.is_swap() && p.pte.val < s.swap.size())
      pfn = s.swap[p.pte.val].cache;
    if (pfn == kNoPfn || pfn == kZeroPfn || pfn >= s.mem.pages.size()) return false;
    const Folio& f = s.mem.folio(pfn);
    return f.test(FOLIO_ANON) && f.maybe_dma_pinned();
  };
  for (const PteSlot& p : mm.pt.slots())
    if (pinned(p)) return true;
  for (const PteSlot& p : mm.pmds)
    if (pinned(p)) return true;
  return false;
}

uint32_t mm_flags(const State& s, const Mm& mm, bool keep_has_pinned) {
  if (keep_has_pinned || !mm.test(MMF_HAS_PINNED) || has_pinned_readable(s, mm)) return mm.flags;
  return mm.flags & ~uint32_t(MMF_HAS_PINNED);
}

// Exited processes, as a mask.
uint32_t exited(const Node& n) {
  uint32_t m = 0;
  for (uint32_t o = 0; o < n.book.nprocs; ++o) {
    const ProcBook& pb = n.book.procs[o];
    if (pb.task != kNone && !n.st.tasks[pb.task].live) m |= 1u << o;
  }
  return m;
}

// Processes whose reader bits no longer count: they exited, and spliced no
// buffer whose page may still change (a pipe read asks whether the splicer
// may see the token: prov_visible(); a frozen buffer's answer is kept on its
// own). The provenance itself clears what it can without knowing which
// buffers are frozen (prov_forget_blind()). Both conditions are for good:
// an exited process stays exited, a frozen page frozen.
uint32_t inert_readers(const Node& n, const EncodeScratch& sc) {
  uint32_t dead = exited(n);
  if (dead)
    for (size_t i = 0; i < n.prov.bufs.size(); ++i)
      if (n.prov.bufs[i].splicer < 32 && !(i < 64 && (sc.buf_frozen >> i & 1)))
        dead &= ~(1u << n.prov.bufs[i].splicer);
  return dead;
}

// Pages within a mapping are names too. The alphabet treats the pages of a
// private anonymous mapping alike (per-page steps for every page, the others
// on the whole mapping), faults take order-0 frames (no THP where symmetry is
// on) and nothing reads an anonymous folio's index; so permuting the page
// positions of mapping M in every process at once, with the pins that name
// them, cannot change what happens next. Where it could, M is left alone: a
// shared, hugetlb or guest_memfd mapping (file offsets, huge pages, GFNs),
// a VMA boundary inside M's range (an mprotect of part of it), a PMD, or a
// GUP over more than one page. Only where nothing but M can ever be mapped
// at M's addresses (Identity::pages).
// Positions are sorted by a signature that leaves names out, and only
// positions alike in it are permuted (untouched ones are all alike and not
// permuted at all); at most 24 orders per mapping are tried.
void page_symmetry(const Node& n, bool aging, EncodeScratch& sc) {
  sc.page_syms.clear();  // (the caller checked Identity::pages)
  const State& st = n.st;
  std::array<uint16_t, 8> names{};
  size_t nnames = 0;
  for (uint32_t o = 0; o < n.book.nprocs; ++o) {
    const ProcBook& pb = n.book.procs[o];
    if (pb.task == kNone || !st.tasks[pb.task].live) continue;
    for (int i = 0; i < pb.nmaps; ++i)
      if (pb.maps[i].pages >= 2 && pb.maps[i].pages <= 8 &&
          std::find(names.begin(), names.begin() + long(nnames), pb.maps[i].name) == names.begin() + long(nnames) &&
          nnames < names.size())
        names[nnames++] = pb.maps[i].name;
  }
  for (size_t k = 0; k < nnames; ++k) {
    EncodeScratch::PageSym ps;
    ps.name = names[k];
    bool ok = true;
    std::array<uint64_t, 8> sig{};
    for (uint32_t o = 0; o < n.book.nprocs && ok; ++o) {
      const ProcBook& pb = n.book.procs[o];
      if (pb.task == kNone || !st.tasks[pb.task].live) continue;
      const MapRef* m = pb.map(ps.name);
      if (!m) continue;
      if (ps.pages && ps.pages != m->pages) ok = false;
      ps.pages = m->pages;
      const Vpn lo = m->start, hi = m->start + m->pages;
      const Mm& mm = st.mms[st.tasks[pb.task].mm];
      for (const Vma& v : mm.vmas) {
        if (v.end <= lo || v.start >= hi) continue;
        if ((v.start > lo) || (v.end < hi) || !v.is_anonymous() || v.is_shared() || v.test(VM_HUGETLB)) ok = false;
      }
      for (const PteSlot& p : mm.pmds) ok &= p.vpn >= hi || p.vpn + (1u << st.config.thp_order) <= lo;
      for (const GupRef& g : st.gups) {
        if (!g.live || g.mm != st.tasks[pb.task].mm || g.vpn + g.pfns.size() <= lo || g.vpn >= hi) continue;
        ok &= g.pfns.size() == 1;  // (on a range unmapped for good, Identity::pages: its position is a name too)
        if (ok) sig[g.vpn - lo] += 0x9E3779B97F4A7C15ull * (1 + g.foll);
      }
      if (!ok) break;
      // Each position's PTE, names left out (summed: the processes' order does not count).
      for (const PteSlot& p : mm.pt.slots()) {
        if (p.vpn < lo || p.vpn >= hi) continue;
        const bool written = p.pte.is_present() && p.pte.val < st.mem.pages.size() && st.mem.pages[p.pte.val].data;
        const uint64_t w = (pte_look(st, p.pte, aging) ^ uint64_t(written) << 61) | 1ull << 60;
        sig[p.vpn - lo] += w * 0xFF51AFD7ED558CCDull + (w >> 31);
      }
    }
    if (!ok || ps.pages < 2) continue;
    for (uint32_t i = 0; i < ps.pages; ++i) ps.order[i] = uint8_t(i);
    std::stable_sort(ps.order.begin(), ps.order.begin() + ps.pages,
                     [&](uint8_t a, uint8_t b) { return sig[a] < sig[b]; });
    uint64_t orders = 1;
    for (size_t i = 0; i < ps.pages;) {
      size_t j = i + 1;
      while (j < ps.pages && sig[ps.order[j]] == sig[ps.order[i]]) ++j;
      if (j - i > 1 && sig[ps.order[i]] != 0) {  // untouched positions are all alike: not permuted
        ps.runs.push_back({i, j});
        for (size_t f = 2; f <= j - i; ++f) orders *= f;
      }
      i = j;
    }
    if (orders > 24) ps.runs.clear();  // too many to try: this order only (a state then has several encodings)
    for (uint32_t i = 0; i < ps.pages; ++i) ps.perm[ps.order[i]] = uint8_t(i);
    sc.page_syms.push_back(std::move(ps));
  }
}

// One renaming: process order, then PFNs and anon_vma ids in order of first
// appearance along that order.
class Encoder {
 public:
  Encoder(const Node& n, const std::vector<uint32_t>& order, bool rename, EncodeScratch& sc, const Identity& id)
      : n_(n), order_(order), rename_(rename), aging_(id.aging), forget_(id.forget), keep_has_pinned_(id.keep_has_pinned), sc_(sc), rank_(sc.rank), pfn_(sc.pfn), inv_(sc.inv),
        av_(sc.anon_vma), retired_(sc.retired) {
    rank_.assign(kMaxProcs, kNone);
    for (uint32_t i = 0; i < order.size(); ++i) rank_[order[i]] = i;
    inv_.clear();
    av_.clear();
    retired_.clear();
    if (rename_) {
      pfn_.assign(n.st.mem.pages.size(), kNone);
      pfn_[kZeroPfn] = kZeroPfn;
    }
  }

  void run(Encoding* out) {
    out_ = out;
    out->resize(std::max<size_t>(out->capacity(), 512));  // no zeroing after the first states: size stays at capacity
    cur_ = out->data();
    end_ = out->data() + out->size();
    const State& s = n_.st;
    const Book& b = n_.book;
    // (The first word: loosen() overwrites the pin count in it.)
    put(uint64_t(b.nprocs) | uint64_t(b.npins) << 8 | uint64_t(b.npipes) << 16 | uint64_t(s.tasks.size()) << 24 |
        uint64_t(sc_.tokens_renamed) << 32);
    for (uint32_t o : order_) {
      const ProcBook& pb = b.procs[o];
      // A process that exited holds nothing (Kernel::exit(): pins released,
      // fds closed, mm torn down) and takes no step: only its name is left,
      // in tokens and as a splicer (inert_readers()).
      if (forget_ && pb.task != kNone && !s.tasks[pb.task].live) {
        put(~1ull);
        continue;
      }
      put(pb.task == kNone ? ~0ull : uint64_t(sc_.tokens_renamed ? 0 : pb.epoch) << 8 | pb.nmaps);
      if (pb.task == kNone) continue;
      for (int i = 0; i < pb.nmaps; ++i) {
        put(pb.maps[i].start);
        put(uint64_t(pb.maps[i].pages) << 16 | pb.maps[i].name);
      }
      const Task& t = s.tasks[pb.task];
      put(uint64_t(t.live) | uint64_t(t.cap_ipc_lock) << 8 | uint64_t(t.in_split) << 16);
      put(t.memlock);
      put(t.in_split ? t.split_vpn : 0);
      put_ids(t.pipes);
      put_ids(t.files);
      put_ids(t.vm_fds);
      put_ids(t.gmem_fds);
      const Mm& mm = s.mms[t.mm];
      // anon_vma ids only meet within an mm (VMA merging compares them;
      // fork gives the child new ones): renamed per mm.
      if (rename_) av_.clear();
      put(uint64_t(mm_flags(s, mm, keep_has_pinned_)) << 8 | mm.live);
      put(mm.def_flags);
      put(mm.vmas.size());
      for (const Vma& v : mm.vmas) {
        // The whole VMA as it is, anon_vma renamed: fields added later count too.
        uint64_t* w = put_raw(v);
        patch(w, offsetof(Vma, anon_vma), anon_vma(v.anon_vma));
      }
      put(mm.pmds.size());
      for (const PteSlot& p : mm.pmds) put_slot(p, p.vpn);  // none where pages are permuted (no THP)
      put(mm.pt.slots().size());
      if (sc_.page_syms.empty()) {
        for (const PteSlot& p : mm.pt.slots()) put_slot(p, p.vpn);
      } else {  // in the order of the permuted addresses
        auto& sl = sc_.slots;
        sl.clear();
        for (const PteSlot& p : mm.pt.slots()) sl.push_back({vpn_of(o, p.vpn), &p});
        std::sort(sl.begin(), sl.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
        for (const auto& [v, p] : sl) put_slot(*p, v);
      }
      put(uint64_t(mm.rss.anon));
      put(uint64_t(mm.rss.shmem));
      put(uint64_t(mm.rss.swapents));
      put(uint64_t(mm.rss.locked_vm));
    }
    if (rename_) {
      put_gups_renamed();
    } else {
      put(s.gups.size());
      for (const GupRef& g : s.gups) {
        put(uint64_t(g.foll) << 8 | g.live);
        put(uint64_t(task_rank(g.owner)) << 32 | mm_rank(g.mm));
        put(g.vpn);
        put(g.pfns.size());
        for (Pfn p : g.pfns) put(pfn(p));
      }
    }
    put(s.pipes.size());
    for (const Pipe& p : s.pipes) {
      put(uint64_t(uint32_t(p.users)));
      put(p.bufs.size());
      for (Pfn q : p.bufs) put(pfn(q));
    }
    put(s.files.size());
    for (const ShmemFile& f : s.files) {
      put(uint64_t(uint32_t(f.users)) | uint64_t(f.kind) << 32);
      put(f.pages.size());
      for (Pfn q : f.pages) put(q == kNoPfn ? ~0ull : pfn(q));
    }
    // KVM VMs and guest_memfd files (ids are not renamed: the explorer creates
    // one of each, in the root); their pages renamed like every frame.
    put(uint64_t(b.vm) << 32 | b.gmem);
    put(s.vms.size());
    for (const KvmVm& vm : s.vms) {
      put(uint64_t(vm.type) << 40 | uint64_t(vm.live) << 32 | uint32_t(vm.users));
      put(task_rank(vm.owner));
      put(vm.slots.size());
      for (const KvmMemslot& sl : vm.slots) put_raw(sl);
      put(vm.private_gfns.size());
      for (const IndexRange& r : vm.private_gfns) put_raw(r);
    }
    put(s.gmems.size());
    for (const GmemFile& g : s.gmems) {
      put(uint64_t(g.vm) << 32 | uint32_t(g.users));
      put(g.size);
      put(g.flags);
      put(uint64_t(g.live) << 8 | g.order);
      put(g.pages.size());
      for (const GmemPage& gp : g.pages) {
        put(gp.index);
        put(uint64_t(gp.flags) << 32 | (gp.pfn == kNoPfn ? 0xffffffffu : pfn(gp.pfn)));
      }
      put(g.private_ranges.size());
      for (const IndexRange& r : g.private_ranges) put_raw(r);
      put(g.bindings.size());
      for (const GmemBinding& bd : g.bindings) put_raw(bd);
    }
    put(s.lru_add.size());
    if (aging_) {
      for (Pfn q : s.lru_add) put(pfn(q));
    } else {  // the batch's order only sets LRU order: which folios are in it counts (their references)
      auto& v = sc_.vis;
      v.clear();
      for (Pfn q : s.lru_add) v.push_back(pfn(q));
      std::sort(v.begin(), v.end());
      for (uint64_t q : v) put(q);
    }
    put(uint64_t(s.hugetlb_used) << 32 | s.mem.nr_free);
    // The swap device: slot numbers are kept (not renamed), the cached folio is.
    put(s.swap.size());
    for (const SwapSlot& sl : s.swap) {
      put(uint64_t(sl.count) << 32 | (sl.cache == kNoPfn ? 0xffffffffu : pfn(sl.cache)));
      put(token(sl.data));
    }
    put(uint64_t(aging_ ? s.lru_clock : 0) << 32 | s.refill_gen);
    put(s.rng_seq);
    // Frames nothing above reaches but which are allocated (a leak of the
    // model itself) still count, in PFN order.
    if (rename_) {
      const Page* pg = s.mem.pages.data();
      for (Pfn p = 1, end = Pfn(s.mem.pages.size()); p < end; ++p)
        if (pg[p].head != kNone && pfn_[pg[p].head] == kNone) name_folio(pg[p].head);
    }
    // The frames, in the new numbering.
    if (rename_) {
      put(inv_.size());
      for (Pfn p : inv_) put_frame(p);
    } else {
      put(s.mem.cursor);
      put(uint64_t(s.next_anon_vma));
      for (Pfn p = 1; p < s.mem.pages.size(); ++p)
        if (s.mem.pages[p].head != kNone) {
          put(p);
          put_frame(p);
        }
    }
    // The no-leak provenance, tokens renamed, sorted.
    auto& toks = sc_.toks;
    toks.clear();
    for (const TokenVis& tv : n_.prov.tokens) {
      // A retired token nothing holds can be neither read nor written again.
      // (Nor one only an O_DIRECT file holds: dio_files come from a seed and
      // no explorer step reads or writes them, so they are not encoded.)
      const uint64_t t = token_if_named(tv.token);
      if (t != ~0ull) toks.push_back({t, readers(tv.readers) | uint64_t(tv.chosen) << 63});  // chosen: never forgotten
    }
    std::sort(toks.begin(), toks.end());
    put(toks.size());
    for (auto& [t, r] : toks) {
      put(t);
      put(r);
    }
    // A buffer's visible set decides whether reading it leaks the token its
    // page then holds: the one it holds now, or one written into it later —
    // a live token (a retired one is never written again). So of the
    // retired tokens, only the one in the buffer's page counts.
    put(n_.prov.bufs.size());
    for (size_t bi = 0; bi < n_.prov.bufs.size(); ++bi) {
      const BufVis& bv = n_.prov.bufs[bi];
      const Pfn page = sc_.buf_page[bi];
      const bool known = page != kNoPfn;
      const Token held = known ? s.mem.pages[page].data : 0;
      // A page nothing maps or may write any more keeps what it holds: the
      // read of the buffer is decided now, except for who reads it (and the
      // token's readers are kept). Whether it was legitimate by the splice
      // (held visible to the splicer then, or now) is all that is left.
      if (known && (sc_.buf_frozen >> bi & 1)) {
        // As the pipe read decides (exec.cpp): never written (or untracked),
        // visible to the splicer when it spliced, or now.
        const auto& toks = n_.prov.tokens;
        size_t slot = 0;
        while (slot < toks.size() && toks[slot].token != held) ++slot;
        const bool legit = slot == toks.size() || (bv.visible >> slot & 1) ||
                           (bv.splicer < 32 && (toks[slot].readers >> bv.splicer & 1));
        put(1ull << 63 | uint64_t(bv.pipe) << 40 | legit);
        continue;
      }
      auto& vis = sc_.vis;
      vis.clear();
      for (size_t i = 0; i < n_.prov.tokens.size(); ++i)
        if ((bv.visible & (1ull << i)) && n_.prov.tokens[i].readers != ~0u) {  // shared: visible to all anyway
          const Token tok = n_.prov.tokens[i].token;
          if (known && tok != held && retired(tok)) continue;
          const uint64_t t = token_if_named(tok);
          if (t != ~0ull) vis.push_back(t);
        }
      std::sort(vis.begin(), vis.end());
      put(uint64_t(bv.pipe) << 40 | uint64_t(bv.splicer < rank_.size() ? rank_[bv.splicer] : bv.splicer) << 32 |
          vis.size());
      for (uint64_t v : vis) put(v);
    }
    // The no-state-reuse history: getrandom outputs (keys, not names), sorted.
    put(n_.prov.outputs.size());
    for (Token t : n_.prov.outputs) put(t);
    // Pin and pipe ordinals (identity in a search; not renamed).
    if (!rename_)
      for (uint32_t i = 0; i < b.npins; ++i) put(uint64_t(b.pins[i]) << 8 | b.pin_get[i]);
    for (uint32_t i = 0; i < b.npipes; ++i) put(b.pipes[i]);
    out->resize(size_t(cur_ - out->data()));
  }

 private:
  // The hot path of every encoding: a bounds check and a store (push_back
  // was not inlined and cost about 5% of the search).
  // Pointers, not indices: a store of a uint64_t word may alias a size_t
  // member (the same type) but not a pointer (no gain measured, but no
  // reload per word either).
  [[gnu::always_inline]] void put(uint64_t w) {
    if (cur_ == end_) [[unlikely]]
      grow(1);
    *cur_++ = w;
  }
  // Room for n more words (one check for a run of words).
  [[gnu::always_inline]] void room(size_t n) {
    if (size_t(end_ - cur_) < n) [[unlikely]]
      grow(n);
  }
  [[gnu::noinline]] void grow(size_t n) {
    const size_t pos = size_t(cur_ - out_->data());
    out_->resize(std::max(out_->size() * 2 + 256, pos + n));
    cur_ = out_->data() + pos;
    end_ = out_->data() + out_->size();
  }
  template <class V>
  void put_ids(const V& v) {
    room(v.size() + 1);
    *cur_++ = v.size();
    for (auto x : v) *cur_++ = x;
  }
  // Inline: every PTE and frame asks; a folio met for the first time is named out of line.
  [[gnu::always_inline]] uint32_t pfn(Pfn p) {
    if (!rename_ || p == kNoPfn || p >= pfn_.size()) return p;
    const Pfn head = n_.st.mem.pages[p].head;
    if (head == kNone) return 0x80000000u | p;  // a free frame: keep it apart
    if (pfn_[head] == kNone) [[unlikely]]
      name_folio(head);
    return pfn_[head] + (p - head);
  }
  // The name p has so far, without naming it (~0: none yet).
  uint32_t pfn_if_named(Pfn p) const {
    if (p == kNoPfn || p >= pfn_.size()) return p;
    const Pfn head = n_.st.mem.pages[p].head;
    if (head == kNone) return 0x80000000u | p;
    return pfn_[head] == kNone ? ~0u : pfn_[head] + (p - head);
  }
  [[gnu::noinline]] void name_folio(Pfn head) {
    const uint32_t nr = n_.st.mem.folios[head].nr_pages();
    pfn_[head] = next_;
    for (uint32_t i = 0; i < nr; ++i) inv_.push_back(head + i);
    next_ += nr;
  }
  // GUP references are renamed like frames: the live ones in a canonical
  // order (owner, mm, address, flags, pages) and pin ordinals with them, so
  // two processes pinning in either order is one state. Released ones and
  // the ordinals they had are only counted (npins, in the header, bounds the
  // pins still to take); GupIds and pin ordinals are names, nothing in the
  // model or the explorer depends on their order. The first page enters the
  // sort key only if the page tables named it already; pages only pins reach
  // are named after the sort, in its order (not in GupId order).
  void put_gups_renamed() {
    const State& s = n_.st;
    const Book& b = n_.book;
    auto& gs = sc_.gups;
    gs.clear();
    for (GupId g = 0; g < s.gups.size(); ++g) {
      const GupRef& r = s.gups[g];
      if (!r.live) continue;
      uint32_t pin = 0xff;  // the pin ordinal naming it (none: not the explorer's)
      for (uint32_t i = 0; i < b.npins; ++i)
        if (b.pins[i] == g) pin = i;
      gs.push_back({{uint64_t(task_rank(r.owner)) << 32 | mm_rank(r.mm), vpn_of(ordinal_of_mm(r.mm), r.vpn),
                     uint64_t(r.foll) << 32 | r.pfns.size(), r.pfns.empty() ? 0 : pfn_if_named(r.pfns[0]),
                     pin == 0xff ? 0xffu : uint64_t(b.pin_get[pin])},
                    g});
    }
    std::sort(gs.begin(), gs.end());
    put(gs.size());
    for (const auto& [key, g] : gs) {
      for (size_t w = 0; w < key.size(); ++w) put(w == 3 ? 0 : key[w]);  // the page itself follows, named
      for (Pfn p : s.gups[g].pfns) put(pfn(p));
    }
  }
  // Where page v of process o's mapping goes under the page permutations
  // being tried (page_symmetry()).
  Vpn vpn_of(uint32_t o, Vpn v) const {
    if (o >= kMaxProcs) return v;
    for (const auto& ps : sc_.page_syms) {
      const MapRef* m = n_.book.procs[o].map(ps.name);
      if (m && v >= m->start && v < m->start + ps.pages) return m->start + ps.perm[v - m->start];
    }
    return v;
  }
  uint32_t ordinal_of_mm(MmId m) const {
    for (uint32_t o = 0; o < n_.book.nprocs; ++o)
      if (n_.book.procs[o].task != kNone && n_.st.tasks[n_.book.procs[o].task].mm == m) return o;
    return kMaxProcs;
  }
  uint32_t anon_vma(uint32_t a) {
    if (!rename_ || a == kNone) return a;
    for (size_t i = 0; i < av_.size(); ++i)
      if (av_[i] == a) return uint32_t(i);
    av_.push_back(a);
    return uint32_t(av_.size() - 1);
  }
  uint32_t task_rank(TaskId t) {
    for (uint32_t o = 0; o < n_.book.nprocs; ++o)
      if (n_.book.procs[o].task == t) return rank_[o];
    return t | 0x40000000u;
  }
  uint32_t mm_rank(MmId m) {
    for (uint32_t o = 0; o < n_.book.nprocs; ++o)
      if (n_.book.procs[o].task != kNone && n_.st.tasks[n_.book.procs[o].task].mm == m) return rank_[o];
    return m | 0x40000000u;
  }
  // A token's name (tokens_renamed()): live ones after their writer's rank,
  // retired ones in order of first appearance; or writer renamed, epoch kept.
  uint64_t token(Token t) {
    if (!is_explorer_token(t)) return t;
    const uint32_t proc = token_writer(t);
    const uint32_t r = rank_[proc] != kNone ? rank_[proc] : proc;
    if (!sc_.tokens_renamed) return explorer_token(r, token_epoch(t));
    if (!retired(t)) return kLiveTag | r;
    const uint64_t name = retired_name(t);
    if (name != ~0ull) return name;
    retired_.push_back(t);
    return kRetiredTag | (retired_.size() - 1);
  }
  bool retired(Token t) const { return explore::retired(sc_, t); }
  // A retired token's name so far (~0: met nowhere yet).
  uint64_t retired_name(Token t) const {
    for (size_t i = 0; i < retired_.size(); ++i)
      if (retired_[i] == t) return kRetiredTag | i;
    return ~0ull;
  }
  // The name t has so far, without naming it (~0: a retired token met nowhere).
  uint64_t token_if_named(Token t) { return retired(t) ? retired_name(t) : token(t); }
  uint64_t readers(uint32_t mask) {
    if (mask == ~0u) return mask;
    mask &= ~sc_.inert;
    uint64_t r = 0;
    for (uint32_t o = 0; o < kMaxProcs; ++o)
      if (mask & (1u << o)) r |= 1ull << (rank_[o] == kNone ? o + 32 : rank_[o]);
    return r;
  }
  void put_slot(const PteSlot& p, Vpn vpn) {
    put(vpn);
    const uint64_t v = p.pte.is_present() ? pfn(Pfn(p.pte.val)) : p.pte.val;
    const uint8_t bits = aging_ ? p.pte.bits : uint8_t(p.pte.bits & ~kAgingBits);
    put(uint64_t(p.pte.kind) | uint64_t(bits) << 8 | uint64_t(p.pte.marker) << 16 | v << 24);
  }
  // A plain struct (unique object representation) as words, copied straight
  // into the buffer (the tail of its last word zero); returns where it went,
  // for patch(). (Copying through a local array and word by word stalled on
  // store forwarding.)
  template <class T>
  uint64_t* put_raw(const T& v) {
    static_assert(std::has_unique_object_representations_v<T>);
    constexpr size_t n = (sizeof(T) + 7) / 8;
    room(n);
    uint64_t* w = cur_;
    w[n - 1] = 0;
    std::memcpy(w, &v, sizeof(T));
    cur_ += n;
    return w;
  }
  // Overwrites the field at byte offset `off` of a struct put_raw() wrote at w.
  template <class F>
  static void patch(uint64_t* w, size_t off, F val) {
    std::memcpy(reinterpret_cast<char*>(w) + off, &val, sizeof val);
  }
  // A frame: the whole Page and Folio, with the fields that hold names
  // (contents token, head PFN, anon_vma) renamed; everything else as it is.
  void put_frame(Pfn p) {
    const Page& pg = n_.st.mem.pages[p];
    uint64_t* w = put_raw(pg);
    patch(w, offsetof(Page, data), token(pg.data));
    if (rename_) patch(w, offsetof(Page, head), pfn(pg.head));
    if (pg.head != p) return;  // a tail page
    const Folio& f = n_.st.mem.folios[p];
    w = put_raw(f);
    // An anonymous folio's anon_vma and index are written, never read (the
    // model's rmap walks go by mm and address): renamed, they are no names.
    if (f.test(FOLIO_ANON) && !f.test(FOLIO_SHMEM)) {
      patch(w, offsetof(Folio, mapping), rename_ ? 0u : f.mapping);
      if (rename_) patch(w, offsetof(Folio, index), decltype(f.index)(0));  // the address it was faulted at: unread too
    }
    if (!aging_) {
      patch(w, offsetof(Folio, lru_seq), uint32_t(0));
      patch(w, offsetof(Folio, flags), uint32_t(f.flags & ~kAgingFlags));
    }
  }

  const Node& n_;
  const std::vector<uint32_t>& order_;
  bool rename_;
  bool aging_;
  bool forget_;
  bool keep_has_pinned_;
  EncodeScratch& sc_;
  std::vector<uint32_t>& rank_;
  std::vector<uint32_t>& pfn_;
  std::vector<Pfn>& inv_;
  std::vector<uint32_t>& av_;
  std::vector<Token>& retired_;
  uint32_t next_ = 1;
  Encoding* out_ = nullptr;
  uint64_t* cur_ = nullptr;
  uint64_t* end_ = nullptr;
};

// What a process looks like regardless of names: only processes alike in
// this are permuted. Nothing the encoding leaves out may count here (a
// signature that tells apart what the encoding merges makes two equal states
// encode differently): an exited process is only that.
uint64_t signature(const Node& n, uint32_t o, const EncodeScratch& sc, bool aging) {
  const ProcBook& pb = n.book.procs[o];
  if (pb.task == kNone) return ~0ull;
  const Task& t = n.st.tasks[pb.task];
  if (!t.live) return 0;
  const Mm& mm = n.st.mms[t.mm];
  uint64_t pins = 0;
  for (const GupRef& g : n.st.gups)
    if (g.owner == pb.task && g.live) ++pins;
  uint64_t sig = uint64_t(t.live) << 60 | uint64_t(pb.nmaps) << 56 |
                 uint64_t(sc.tokens_renamed ? 0 : pb.epoch & 0xff) << 48 | uint64_t(mm.vmas.size() & 0xff) << 40 |
                 uint64_t(mm.pt.slots().size() & 0xffff) << 24 | uint64_t(uint32_t(mm.rss.anon) & 0xff) << 16 |
                 uint64_t(t.pipes.size() & 0xff) << 8 | (pins & 0xff);
  // What its pages look like, names left out (a frame by its counts and
  // flags, a token by whether it is its own, another's or retired): fewer
  // look-alikes to permute (each permutation is a whole encoding).
  // (A page of a mapping whose pages are permuted counts wherever it is.)
  uint64_t permuted = 0;
  for (const PteSlot& p : mm.pt.slots()) {
    bool anywhere = false;
    for (const auto& ps : sc.page_syms) {
      const MapRef* m = pb.map(ps.name);
      anywhere |= m && p.vpn >= m->start && p.vpn < m->start + ps.pages;
    }
    uint64_t w = pte_look(n.st, p.pte, aging) ^ (anywhere ? 0 : p.vpn * 0x9E3779B97F4A7C15ull);
    if (p.pte.is_present() && p.pte.val < n.st.mem.pages.size()) {
      const Token t = n.st.mem.pages[p.pte.val].data;
      // Whose token it holds: a retired one has no writer any more.
      const uint64_t whose = !is_explorer_token(t) ? t : retired(sc, t) ? 2 : token_writer(t) == o ? 3 : 4;
      w ^= whose * 0xD6E8FEB86659FD93ull;
    }
    if (anywhere)
      permuted += w * 0xFF51AFD7ED558CCDull + (w >> 29);
    else
      sig = (sig ^ w) * 0x100000001B3ull + (sig >> 29);
  }
  return sig ^ permuted * 0x9E3779B97F4A7C15ull;
}

}  // namespace

void encode(const Node& n, const Identity& id, Encoding* out, EncodeScratch* scratch) {
  if (!scratch) {  // (constructing an unused local scratch on every call cost a tenth of encode())
    EncodeScratch local;
    return encode(n, id, out, &local);
  }
  EncodeScratch& sc = *scratch;
  const bool symmetry = id.symmetry, aging = id.aging;
  sc.tokens_renamed = tokens_renamed(n, symmetry && id.tokens, sc);
  buffer_pages(n, id.forget, sc);
  sc.inert = id.forget ? inert_readers(n, sc) : 0;
  std::vector<uint32_t>& order = sc.order;
  order.resize(n.book.nprocs);
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  sc.page_syms.clear();
  if (!symmetry) {
    Encoder(n, order, false, sc, id).run(out);
    return;
  }
  if (id.pages) page_symmetry(n, aging, sc);
  // Sort by signature; try every permutation within runs of equal signatures
  // (few: at most a handful of processes), with every order of the pages
  // that may be permuted, and keep the least encoding.
  std::vector<uint64_t>& sig = sc.sig;
  sig.resize(order.size());
  for (uint32_t i = 0; i < order.size(); ++i) sig[i] = signature(n, i, sc, aging);
  // Insertion sort, stable (a handful of processes; std::stable_sort allocates a buffer per call).
  for (size_t i = 1; i < order.size(); ++i)
    for (size_t j = i; j > 0 && sig[order[j]] < sig[order[j - 1]]; --j) std::swap(order[j], order[j - 1]);
  std::vector<std::pair<size_t, size_t>>& runs = sc.runs;
  runs.clear();
  for (size_t i = 0; i < order.size();) {
    size_t j = i + 1;
    while (j < order.size() && sig[order[j]] == sig[order[i]]) ++j;
    if (j - i > 1) runs.push_back({i, j});
    i = j;
  }
  Encoding& cand = sc.cand;
  bool have = false;
  // Every page order for the process order at hand (an odometer over the
  // runs of every permuted mapping; each wraps back to sorted when done).
  auto pages = [&] {
    for (;;) {
      for (auto& ps : sc.page_syms)
        for (uint32_t i = 0; i < ps.pages; ++i) ps.perm[ps.order[i]] = uint8_t(i);
      Encoder(n, order, true, sc, id).run(have ? &cand : out);
      if (have && cand < *out) out->swap(cand);
      have = true;
      bool advanced = false;
      for (auto& ps : sc.page_syms) {
        for (auto [a, b] : ps.runs)
          if ((advanced = std::next_permutation(ps.order.begin() + long(a), ps.order.begin() + long(b)))) break;
        if (advanced) break;
      }
      if (!advanced) return;
    }
  };
  pages();
  // Odometer over the process runs' permutations.
  for (;;) {
    size_t r = 0;
    for (; r < runs.size(); ++r) {
      auto [a, b] = runs[r];
      if (std::next_permutation(order.begin() + long(a), order.begin() + long(b))) break;
      // wrapped around to sorted: carry into the next run
    }
    if (r == runs.size()) break;
    pages();
  }
}

bool has_loose(const Node& n, const Identity& id, uint32_t steps_left) {
  const uint32_t taken = n.book.npins;
  return id.pin_bound && steps_left != kNoHorizon && taken <= id.pin_bound && id.pin_bound - taken >= steps_left;
}

// The header's pin count (Encoder::run()): 0xff is never a count.
static_assert(kMaxPins < 0xff);
void loosen(Encoding* e) { (*e)[0] |= uint64_t(0xff) << 8; }

bool nothing_to_forget(const Node& n) { return n.prov.bufs.empty() && exited(n) == 0; }

uint64_t fingerprint(const Encoding& e) { return XXH3_64bits(e.data(), e.size() * sizeof(uint64_t)); }

uint64_t raw_fingerprint(const Node& n) {
  XXH3_state_t st;
  XXH3_64bits_reset(&st);
  const uint64_t h = n.st.hash();
  XXH3_64bits_update(&st, &h, sizeof h);
  XXH3_64bits_update(&st, &n.book, sizeof n.book);
  for (const TokenVis& tv : n.prov.tokens) XXH3_64bits_update(&st, &tv, sizeof tv);
  const uint64_t sep = ~0ull;
  XXH3_64bits_update(&st, &sep, sizeof sep);
  for (const BufVis& bv : n.prov.bufs) XXH3_64bits_update(&st, &bv, sizeof bv);
  XXH3_64bits_update(&st, &sep, sizeof sep);
  if (!n.prov.outputs.empty())
    XXH3_64bits_update(&st, n.prov.outputs.data(), n.prov.outputs.size() * sizeof(Token));
  return XXH3_64bits_digest(&st);
}

}  // namespace mmsim::explore
