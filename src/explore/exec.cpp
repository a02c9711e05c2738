#include "explore/exec.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <sstream>

#include "policy/policy.hpp"
#include "run/checks.hpp"
#include "scenario/parser.hpp"

namespace mmsim::explore {

// --- invariants ------------------------------------------------------------------

const std::vector<InvariantInfo>& invariants() {
  static const std::vector<InvariantInfo> table = {
      {"no-leak", INV_NO_LEAK, "no process reads a token another process wrote after they diverged (run/checks.hpp)",
       true, "leaks"},
      {"pin-coherent", INV_PIN_COHERENT,
       "every page a device holds through pin/gup is the page its owner maps there (run/checks.hpp)", true,
       "lost_coherence"},
      {"refcount", INV_REFCOUNT, "check_invariants(): refcount, mapcount, pincount, rss recomputed from the holders",
       true, ""},
          {"droppable-never-swapped", INV_DROPPABLE_NEVER_SWAPPED,
       "no swap entry in a MAP_DROPPABLE mapping: reclaim discards droppable folios, never swaps them", true,
       "swapped_droppable"},
      {"no-state-reuse", INV_NO_STATE_REUSE,
       "no vDSO getrandom() output is produced twice: a dropped, wiped or forked state is reseeded (run/checks.hpp)",
       true, "state_reuse"},
      {"gmem-private-unreachable", INV_GMEM_PRIVATE_UNREACHABLE,
       "no host PTE maps a private guest_memfd index or page, and no pin, get or pipe buffer holds a private page "
       "(check_invariants()' guest_memfd rules)",
       true, ""},
  };
  return table;
}

bool parse_invariants(const std::string& list, uint32_t* out, std::string* error) {
  uint32_t m = 0;
  std::stringstream ss(list);
  std::string item;
  std::vector<std::string> known;
  for (const InvariantInfo& i : invariants()) known.push_back(i.name);
  while (std::getline(ss, item, ',')) {
    if (item == "all") {
      for (const InvariantInfo& i : invariants())
        if (i.available) m |= i.bit;
      continue;
    }
    if (item == "none") {
      m = 0;
      continue;
    }
    const InvariantInfo* found = nullptr;
    for (const InvariantInfo& i : invariants())
      if (item == i.name) found = &i;
    if (!found) {
      *error = fmt::format("unknown invariant '{}' (known: {}, all, none)", item, fmt::join(known, ", "));
      return false;
    }
    if (!found->available) {
      *error = fmt::format("invariant '{}' is not available yet: {}", item, found->summary);
      return false;
    }
    m |= found->bit;
  }
  *out = m;
  return true;
}

std::string invariants_string(uint32_t mask) {
  std::vector<std::string> on;
  for (const InvariantInfo& i : invariants())
    if (mask & i.bit) on.push_back(i.name);
  return on.empty() ? "none" : fmt::format("{}", fmt::join(on, ","));
}

// --- names -----------------------------------------------------------------------

uint16_t Names::map_id(const std::string& n) {
  for (size_t i = 0; i < maps.size(); ++i)
    if (maps[i] == n) return uint16_t(i);
  maps.push_back(n);
  return uint16_t(maps.size() - 1);
}

namespace {
const std::string& ordinal_name(std::vector<std::string>& v, uint32_t ord, const char* prefix) {
  // Ordinals beyond the ones a seed named get "<prefix><n>", skipping names in use.
  while (v.size() <= ord) {
    for (uint32_t k = uint32_t(v.size());; ++k) {
      std::string cand = fmt::format("{}{}", prefix, k);
      if (std::find(v.begin(), v.end(), cand) == v.end()) {
        v.push_back(cand);
        break;
      }
    }
  }
  return v[ord];
}
}  // namespace

const std::string& Names::proc(uint32_t ord) { return ordinal_name(procs, ord, "P"); }
const std::string& Names::pin(uint32_t ord) { return ordinal_name(pins, ord, "K"); }
const std::string& Names::pipe(uint32_t ord) { return ordinal_name(pipes, ord, "p"); }

// --- execution ---------------------------------------------------------------------

bool proc_live(const Node& n, uint16_t ord) {
  if (ord >= n.book.nprocs) return false;
  const TaskId t = n.book.procs[ord].task;
  return t != kNone && t < n.st.tasks.size() && n.st.tasks[t].live;
}

namespace {

uint32_t ord_of_task(const Book& b, TaskId t) {
  for (uint32_t i = 0; i < b.nprocs; ++i)
    if (b.procs[i].task == t) return i;
  return kNone;
}

int token_slot(const Provenance& p, Token t) {
  for (size_t i = 0; i < p.tokens.size(); ++i)
    if (p.tokens[i].token == t) return int(i);
  return -1;
}

// Monitor::write(): the writer (or, through shared memory, everyone) may read it.
// `chosen`: the value was given by the step, not the explorer's token for the writer.
void prov_write(Provenance& p, uint32_t writer, Token t, bool shared, bool chosen) {
  int i = token_slot(p, t);
  if (i < 0) {
    if (p.tokens.size() >= size_t(kMaxTokens)) return;  // beyond the bound: untracked
    p.tokens.push_back({t, 0, 0});
    i = int(p.tokens.size() - 1);
  }
  p.tokens[size_t(i)].readers |= shared ? ~0u : (1u << writer);
  p.tokens[size_t(i)].chosen |= chosen;
}

// Tokens no frame, swap slot or O_DIRECT file holds any more are forgotten,
// so "wrote, then unmapped" and "never wrote" are one state. Sound for the
// explorer's own tokens (one writer, one fork epoch each): such a token can
// never be read again unless its writer writes it anew, and that writes it
// with the readers it had: a private token's readers grow beyond its writer
// only when the writer forks, which moves the writer to a new fork epoch (a
// new token); a write by the writer at the same epoch recreates exactly
// {writer}. Values a step chose (a seed's `write A[0] = 0x77`: any process
// may write it, and a read is legitimate if any of those writes was visible,
// as Monitor::visible() says) stay, and so do tokens written through shared
// memory (readers ~0, which a later private write would keep) while their
// writer may still write them. Pipe buffers' visible sets are bit sets over
// the kept tokens' indices: renumbered.
void prov_forget_gone(Node& n) {
  std::vector<TokenVis>& toks = n.prov.tokens;
  uint64_t held = 0;  // bit i: token i is somewhere
  auto mark = [&](Token t) {
    if (t == 0) return;
    for (size_t i = 0; i < toks.size(); ++i)
      if (toks[i].token == t) held |= 1ull << i;
  };
  // A token written through shared memory stays while its writer may write it
  // again (readers ~0 would stay: prov_write() ORs); once its writer forked or
  // exited, it is never written again and goes like any other.
  auto writable = [&](Token t) {
    if (!is_explorer_token(t) || token_writer(t) >= n.book.nprocs) return true;  // not the explorer's: keep
    const ProcBook& pb = n.book.procs[token_writer(t)];
    return pb.task != kNone && n.st.tasks[pb.task].live && (pb.epoch & 0xff) == token_epoch(t);
  };
  for (size_t i = 0; i < toks.size(); ++i)
    if (toks[i].chosen || (toks[i].readers == ~0u && writable(toks[i].token))) held |= 1ull << i;
  const uint64_t all = toks.size() == 64 ? ~0ull : (1ull << toks.size()) - 1;
  for (size_t p = 1; p < n.st.mem.pages.size() && held != all; ++p) mark(n.st.mem.pages[p].data);
  for (const SwapSlot& sl : n.st.swap) mark(sl.data);
  for (const DioFile& f : n.st.dio_files)
    for (Token t : f.pages) mark(t);
  if (held == all) return;
  size_t kept = 0;
  std::array<int8_t, kMaxTokens> to{};
  for (size_t i = 0; i < toks.size(); ++i) {
    to[i] = (held >> i & 1) ? int8_t(kept) : int8_t(-1);
    if (held >> i & 1) toks[kept++] = toks[i];
  }
  toks.resize(kept);
  for (BufVis& bv : n.prov.bufs) {
    uint64_t m = 0;
    for (size_t i = 0; i < 64; ++i)
      if ((bv.visible >> i & 1) && to[i] >= 0) m |= 1ull << to[i];
    bv.visible = m;
  }
}

// Reader bits of processes that can never read another process's token again
// are cleared: they exited, or they are blind — no VMA, no fd (pipe, memfd,
// VM, guest_memfd), no VM of their own — so whatever they map from now on is
// fresh (a new private or shmem mapping; allocation zeroes) and so is
// whatever they fork: they read zero, their own writes (which set their bit
// again: prov_write()) or what their own later children write. Kept for a
// process that spliced a buffer still in a pipe: a pipe read asks whether the
// splicer may see the token (prov_visible()). Once blind, always: what such a
// process could see before cannot reach it again.
void prov_forget_blind(Node& n) {
  uint32_t gone = 0;
  for (uint32_t o = 0; o < n.book.nprocs; ++o) {
    const ProcBook& pb = n.book.procs[o];
    if (pb.task == kNone) continue;
    const Task& t = n.st.tasks[pb.task];
    bool blind = !t.live || (n.st.mms[t.mm].vmas.empty() && t.pipes.empty() && t.files.empty() &&
                             t.vm_fds.empty() && t.gmem_fds.empty() && !t.in_split);
    for (const KvmVm& vm : n.st.vms) blind &= !(vm.live && vm.owner == pb.task);
    if (blind) gone |= 1u << o;
  }
  for (const BufVis& bv : n.prov.bufs)
    if (bv.splicer < 32) gone &= ~(1u << bv.splicer);
  if (!gone) return;
  for (TokenVis& tv : n.prov.tokens)
    if (tv.readers != ~0u && !tv.chosen) tv.readers &= ~gone;
}

// Monitor::fork(): the child may read everything its parent may read now.
void prov_fork(Provenance& p, uint32_t parent, uint32_t child) {
  for (TokenVis& tv : p.tokens)
    if (tv.readers & (1u << parent)) tv.readers |= 1u << child;
}

bool prov_visible(const Provenance& p, uint32_t reader, Token t, int* slot) {
  *slot = token_slot(p, t);
  if (*slot < 0) return true;  // never written (zero fill, or beyond the bound)
  return p.tokens[size_t(*slot)].readers & (1u << reader);
}

uint64_t prov_visible_set(const Provenance& p, uint32_t who) {
  uint64_t m = 0;
  // Tokens written through shared memory are visible to every reader anyway;
  // leaving them out keeps a splice independent of a shared write elsewhere.
  for (size_t i = 0; i < p.tokens.size(); ++i)
    if (p.tokens[i].readers != ~0u && (p.tokens[i].readers & (1u << who))) m |= 1ull << i;
  return m;
}

std::string name_or(Names* names, uint32_t ord) { return names ? names->proc(ord) : fmt::format("process {}", ord); }

bool shared_at(const Kernel& k, TaskId t, Vpn v) {
  const Vma* vma = k.mm_of(t).vma_at(v);
  return vma && vma->is_shared();
}

}  // namespace

namespace {

// The run-wide pin-coherent check itself (run/checks.cpp) on this one state;
// names are looked up only for the message of a violation.
bool coherence_lost(const ExecContext& cx, const Node& n, std::string* msg) {
  if (Monitor::all_coherent(n.st)) return false;
  std::map<GupId, std::string> pins;
  std::map<MmId, std::string> procs;
  if (cx.names) {
    for (uint32_t i = 0; i < n.book.npins; ++i)
      if (n.book.pins[i] != kNone) pins[n.book.pins[i]] = cx.names->pin(i);
    for (uint32_t i = 0; i < n.book.nprocs; ++i)
      if (n.book.procs[i].task != kNone) procs[n.st.tasks[n.book.procs[i].task].mm] = cx.names->proc(i);
  }
  Monitor named(CheckSet{false, true});
  named.check_coherence(n.st, pins, procs, 0);
  *msg = named.coherence_events().front();
  if (auto c = msg->find(": "); msg->rfind("line 0", 0) == 0 && c != std::string::npos) *msg = msg->substr(c + 2);
  return true;
}

// "A[1]" for a page of process ord's mapping, else "vpn 0x..." (messages only).
std::string page_where(const ExecContext& cx, const Node& n, uint32_t ord, Vpn vpn) {
  if (cx.names)
    for (int i = 0; i < n.book.procs[ord].nmaps; ++i) {
      const MapRef& m = n.book.procs[ord].maps[i];
      if (vpn >= m.start && vpn < m.start + m.pages) return fmt::format("{}[{}]", cx.names->maps[m.name], vpn - m.start);
    }
  return fmt::format("vpn {:#x}", vpn);
}

// guest_memfd: the host never reaches a private index (docs/guest-memfd.md
// §4, the two impossible states; check_invariants() states the same rules).
// Private is Kernel::gmem_index_shared() negated: the per-index attribute
// under in-place conversion, else the file's lack of INIT_SHARED.
bool gmem_private_reached(const ExecContext& cx, const Node& n, std::string* msg) {
  const State& s = n.st;
  if (s.gmems.empty()) return false;
  const bool per_index = cx.ps.gmem_conversion && cx.ps.gmem_conversion->per_index_attributes();
  auto is_private = [&](GmemId g, uint64_t idx) {
    if (per_index) return ranges_contain(s.gmems[g].private_ranges, idx);
    return !(s.gmems[g].flags & GUEST_MEMFD_FLAG_INIT_SHARED);
  };
  auto gname = [&](GmemId g) { return cx.names && g == n.book.gmem ? cx.names->gmem : fmt::format("gmem{}", g); };
  // The page cache's private pages, by PFN (few: a small search has one file of a few pages).
  auto private_page = [&](Pfn pfn, GmemId* g, uint64_t* idx) {
    for (GmemId f = 0; f < s.gmems.size(); ++f) {
      if (!s.gmems[f].live) continue;
      for (const GmemPage& gp : s.gmems[f].pages)
        if (gp.pfn == pfn && is_private(f, gp.index)) {
          *g = f;
          *idx = gp.index;
          return true;
        }
    }
    return false;
  };
  GmemId g = kNone;
  uint64_t idx = 0;
  for (uint32_t o = 0; o < n.book.nprocs; ++o) {
    const TaskId t = n.book.procs[o].task;
    if (t == kNone || !s.tasks[t].live) continue;
    const Mm& mm = s.mms[s.tasks[t].mm];
    for (const PteSlot& sl : mm.pt.slots()) {
      if (!sl.pte.is_present()) continue;
      const Vma* vma = mm.vma_at(sl.vpn);
      if (vma && vma->is_gmem() && vma->gmem < s.gmems.size() && is_private(vma->gmem, vma->file_index(sl.vpn))) {
        *msg = fmt::format("{} maps {} (pfn {}), private index {} of guest_memfd {}", name_or(cx.names, o),
                           page_where(cx, n, o, sl.vpn),
                           sl.pte.pfn(), vma->file_index(sl.vpn), gname(vma->gmem));
        return true;
      }
      if (private_page(sl.pte.pfn(), &g, &idx)) {
        *msg = fmt::format("{} maps {} (pfn {}), the page of private index {} of guest_memfd {}", name_or(cx.names, o),
                           page_where(cx, n, o, sl.vpn), sl.pte.pfn(), idx, gname(g));
        return true;
      }
    }
  }
  for (GupId gi = 0; gi < s.gups.size(); ++gi) {
    if (!s.gups[gi].live) continue;
    for (Pfn pfn : s.gups[gi].pfns)
      if (private_page(pfn, &g, &idx)) {
        std::string who = fmt::format("GUP reference {}", gi);
        if (cx.names)
          for (uint32_t k = 0; k < n.book.npins; ++k)
            if (n.book.pins[k] == gi) who = fmt::format("{} {}", n.book.pin_get[k] ? "get" : "pin", cx.names->pin(k));
        *msg = fmt::format("{} holds pfn {}, the page of private index {} of guest_memfd {}", who, pfn, idx, gname(g));
        return true;
      }
  }
  for (PipeId pi = 0; pi < s.pipes.size(); ++pi)
    for (Pfn pfn : s.pipes[pi].bufs)
      if (private_page(pfn, &g, &idx)) {
        std::string who = fmt::format("pipe {}", pi);
        if (cx.names)
          for (uint32_t k = 0; k < n.book.npipes; ++k)
            if (n.book.pipes[k] == pi) who = "pipe " + cx.names->pipe(k);
        *msg = fmt::format("{} holds pfn {}, the page of private index {} of guest_memfd {}", who, pfn, idx, gname(g));
        return true;
      }
  return false;
}

}  // namespace

void check_state(const ExecContext& cx, const Node& n, Violation* v) {
  if (v->inv) return;
  std::string msg;
  if ((cx.invariants & INV_PIN_COHERENT) && coherence_lost(cx, n, &msg)) {
    *v = {INV_PIN_COHERENT, msg};
    return;
  }
  // Droppable memory is never swapped (mm/vmscan.c: a droppable folio is
  // discarded like a clean lazyfree one): Monitor::check_droppable()'s rule,
  // whatever the droppable policy (under `pinned` a fork child's unlocked
  // copy is swappable).
  if (cx.invariants & INV_DROPPABLE_NEVER_SWAPPED) {
    Monitor::for_each_swapped_droppable(n.st, [&](MmId m, Vpn vpn, const Pte& pte) {
      uint32_t o = 0;
      while (o < n.book.nprocs && (n.book.procs[o].task == kNone || n.st.tasks[n.book.procs[o].task].mm != m)) ++o;
      *v = {INV_DROPPABLE_NEVER_SWAPPED,
            fmt::format("droppable page {} of {} is in swap (slot {})",
                        o < n.book.nprocs ? page_where(cx, n, o, vpn) : fmt::format("vpn {:#x}", vpn),
                        cx.names && o < n.book.nprocs ? cx.names->proc(o) : "?", pte.val)};
      return false;
    });
    if (v->inv) return;
  }
  if ((cx.invariants & INV_GMEM_PRIVATE_UNREACHABLE) && gmem_private_reached(cx, n, &msg)) {
    *v = {INV_GMEM_PRIVATE_UNREACHABLE, msg};
    return;
  }
  if (cx.invariants & INV_REFCOUNT) {
    auto bad = check_invariants(n.st, cx.ps, cx.check_scratch);
    if (!bad.empty()) *v = {INV_REFCOUNT, "invariant violated: " + bad.front()};
  }
}

Outcome apply(const ExecContext& cx, Node& n, const Action& a, Violation* v, bool* valid, Token* token_out) {
  const Outcome o = apply_step(cx, n, a, v, valid, token_out);
  if (*valid) check_state(cx, n, v);
  return o;
}

Outcome apply_step(const ExecContext& cx, Node& n, const Action& a, Violation* v, bool* valid, Token* token_out) {
  *valid = false;
  Book& b = n.book;
  Kernel k(n.st, cx.ps);
  const bool dma = a.proc == kDevice || a.proc == kKernel || a.proc == kGuest;
  if (!dma && !proc_live(n, a.proc)) return Outcome::err(ESRCH);
  const TaskId t = dma ? kNone : b.procs[a.proc].task;
  // A process inside a preempted PMD split (split_pmd_begin) can only end it
  // (the scenario validator's rule): any other step of it is not a candidate.
  if (!dma && n.st.tasks[t].in_split && a.op != Op::SplitPmdEnd) return Outcome::err(EINVAL);
  const MapRef* m = nullptr;
  uint64_t count = 0;
  Vpn vpn = 0;
  auto range = [&]() {
    m = b.procs[a.proc].map(a.map);
    if (!m) return false;
    if (a.hi != 0 && a.hi > m->pages) return false;
    count = a.hi == 0 ? m->pages : uint64_t(a.hi - a.lo);
    vpn = m->start + (a.hi == 0 ? 0 : a.lo);
    return true;
  };
  auto token_for = [&](uint32_t writer_ord) {
    return a.value ? a.value : explorer_token(writer_ord, b.procs[writer_ord].epoch);
  };
  Outcome o = Outcome::ok();
  bool leak_checked = cx.invariants & INV_NO_LEAK;
  switch (a.op) {
    case Op::Mmap: {
      ProcBook& pb = b.procs[a.proc];
      if (pb.map(a.map) || pb.nmaps >= kMaxMaps) return o;
      Vpn addr = 0;
      if (a.advice == 1) {  // mmap M N rw shared gmem G
        if (b.gmem == kNone) return o;
        o = k.mmap_gmem(t, a.pages, a.prot, a.flags, b.gmem, 0, &addr);
      } else {
        // mmap ... droppable refill TOKEN|gen, as the runner passes it.
        o = k.mmap(t, a.pages, a.prot, a.flags, &addr, kNone, a.value ? a.value : kRefillGeneration);
      }
      if (o) pb.maps[pb.nmaps++] = MapRef{addr, a.pages, a.map, 0};
      break;
    }
    case Op::Munmap: if (!range()) return o; o = k.munmap(t, vpn, count); break;
    case Op::Mprotect: if (!range()) return o; o = k.mprotect(t, vpn, count, a.prot); break;
    case Op::Madvise: if (!range()) return o; o = k.madvise(t, vpn, count, a.advice); break;
    case Op::KsmMerge: if (!range()) return o; o = k.ksm_merge(t, vpn, count); break;
    case Op::ClearRefs: o = k.clear_refs(t); break;
    case Op::SplitPmdBegin: if (!range()) return o; o = k.split_pmd_begin(t, vpn); break;
    case Op::SplitPmdEnd: if (!range()) return o; o = k.split_pmd_end(t, vpn); break;
    case Op::Mlockall: o = k.mlockall(t, a.flags); break;
    case Op::SetrlimitMemlock: o = k.setrlimit_memlock(t, a.pages); break;
    case Op::Getrandom: {
      if (!range()) return o;
      Token out = 0;
      o = k.vdso_getrandom(t, vpn, &out);
      // Monitor::getrandom(), fed as the runner feeds it (after a success).
      if (o && (cx.invariants & INV_NO_STATE_REUSE)) {
        auto& outs = n.prov.outputs;
        auto it = std::lower_bound(outs.begin(), outs.end(), out);
        if (it != outs.end() && *it == out) {
          if (!v->inv)
            *v = {INV_NO_STATE_REUSE, fmt::format("state reuse: {} got getrandom output {:#x}, already produced",
                                                  name_or(cx.names, a.proc), out)};
        } else {
          outs.insert(it, out);
        }
      }
      break;
    }
    case Op::Reclaim: {
      if (a.proc != kKernel) return o;
      uint32_t freed = 0;
      o = k.reclaim(a.pages, &freed);
      break;
    }
    case Op::Khugepaged: {
      if (a.proc != kKernel) return o;
      uint32_t collapsed = 0;
      o = k.khugepaged(a.pages, &collapsed);
      break;
    }
    case Op::Read: {
      if (!range()) return o;
      for (uint64_t i = 0; i < count && o; ++i) {
        Token tok = 0;
        o = k.read(t, vpn + i, &tok);
        int slot = 0;
        if (o && leak_checked && !v->inv && !prov_visible(n.prov, a.proc, tok, &slot)) {
          *v = {INV_NO_LEAK, fmt::format("leak: {} read {:#x}, written by another process after they diverged",
                                         name_or(cx.names, a.proc), tok)};
        }
      }
      break;
    }
    case Op::Write: {
      if (!range()) return o;
      const Token tok = token_for(a.proc);
      if (token_out) *token_out = tok;
      for (uint64_t i = 0; i < count && o; ++i) {
        o = k.write(t, vpn + i, tok);
        if (o) prov_write(n.prov, a.proc, tok, shared_at(k, t, vpn + i), a.value != 0);
      }
      break;
    }
    case Op::Fork: {
      if (a.obj >= kMaxProcs || (a.obj < b.nprocs && b.procs[a.obj].task != kNone)) return o;
      TaskId child = kNone;
      o = k.fork(t, &child);
      if (!o) return o;  // the child's name was never bound: not a valid step
      if (b.nprocs <= a.obj) {
        for (uint32_t i = b.nprocs; i <= a.obj; ++i) b.procs[i] = ProcBook{};
        b.nprocs = uint8_t(a.obj + 1);
      }
      ProcBook& pb = b.procs[a.proc];
      b.procs[a.obj] = pb;  // the child inherits the parent's mappings (by name)
      b.procs[a.obj].task = child;
      b.procs[a.obj].epoch = 0;
      prov_fork(n.prov, a.proc, a.obj);
      ++pb.epoch;  // the parent's later writes are new tokens
      break;
    }
    case Op::Exit: o = k.exit(t); break;
    case Op::Pin: case Op::Gup: {
      if (a.obj >= kMaxPins || (a.obj < b.npins && b.pins[a.obj] != kNone)) return o;
      if (!range()) return o;
      GupId g = kNone;
      o = k.gup(t, t, vpn, count, a.foll, &g);
      if (!o) return o;  // a failed pin binds no name that later steps could use
      if (b.npins <= a.obj) {
        for (uint32_t i = b.npins; i <= a.obj; ++i) b.pins[i] = kNone;
        b.npins = uint8_t(a.obj + 1);
      }
      b.pins[a.obj] = g;
      b.pin_get[a.obj] = a.op == Op::Gup;
      break;
    }
    case Op::Unpin: case Op::Put: {
      if (a.obj >= b.npins || b.pins[a.obj] == kNone) return o;
      if ((a.op == Op::Put) != bool(b.pin_get[a.obj])) return o;
      const GupId g = b.pins[a.obj];
      if (n.st.gups[g].live) o = k.gup_release(g, a.flags & 1);
      b.pins[a.obj] = kNone;  // released: the name is gone
      break;
    }
    case Op::DmaRead: case Op::DmaWrite: {
      if (a.obj >= b.npins || b.pins[a.obj] == kNone) return o;
      const GupId g = b.pins[a.obj];
      const uint64_t npages = n.st.gups[g].pfns.size();
      if (!n.st.gups[g].live) {
        *valid = true;
        return Outcome::err(EINVAL);  // its owner exited: the device mapping is gone
      }
      if (a.hi != 0 && a.hi > npages) return o;
      const uint64_t lo = a.hi == 0 ? 0 : a.lo, hi = a.hi == 0 ? npages : a.hi;
      const uint32_t owner = ord_of_task(b, n.st.gups[g].owner);
      for (uint64_t i = lo; i < hi && o; ++i) {
        if (a.op == Op::DmaWrite) {
          const Token tok = token_for(owner == kNone ? 0 : owner);
          if (token_out) *token_out = tok;
          o = k.dma_write(g, i, tok);
          if (o && owner != kNone) {
            const Pfn pfn = n.st.gups[g].pfns[i];
            prov_write(n.prov, owner, tok, pfn != kZeroPfn && !n.st.mem.folio(pfn).test(FOLIO_ANON), a.value != 0);
          }
        } else {
          Token tok = 0;
          o = k.dma_read(g, i, &tok);
        }
      }
      break;
    }
    case Op::Vmsplice: {
      if (!range()) return o;
      PipeId p = kNone;
      if (a.obj < b.npipes) {
        p = b.pipes[a.obj];
        bool held = false;
        for (PipeId q : n.st.tasks[t].pipes) held |= q == p;
        if (!held) return o;  // validation: the process does not hold this pipe
      } else {
        if (a.obj >= kMaxPipes) return o;
        p = k.pipe_create(t);
        for (uint32_t i = b.npipes; i <= a.obj; ++i) b.pipes[i] = kNone;
        b.npipes = uint8_t(a.obj + 1);
        b.pipes[a.obj] = p;
      }
      o = k.vmsplice(t, vpn, count, p);
      if (o)
        for (uint64_t i = 0; i < count; ++i)
          n.prov.bufs.push_back({a.obj, a.proc, prov_visible_set(n.prov, a.proc)});
      break;
    }
    case Op::PipeRead: {
      if (a.obj >= b.npipes || b.pipes[a.obj] == kNone) return o;
      const PipeId p = b.pipes[a.obj];
      bool held = false;
      for (PipeId q : n.st.tasks[t].pipes) held |= q == p;
      if (!held) return o;
      Token tok = 0;
      o = k.pipe_read(t, p, &tok);
      if (!o) break;
      uint64_t carried = 0;
      uint32_t splicer = 0;
      bool had = false;
      for (auto it = n.prov.bufs.begin(); it != n.prov.bufs.end(); ++it)
        if (it->pipe == a.obj) {
          carried = it->visible;
          splicer = it->splicer;
          had = true;
          n.prov.bufs.erase(it);
          break;
        }
      int slot = 0;
      int splicer_slot = 0;
      if (had && leak_checked && !v->inv && !prov_visible(n.prov, a.proc, tok, &slot) &&
          !(carried & (1ull << slot)) && !prov_visible(n.prov, splicer, tok, &splicer_slot)) {
        *v = {INV_NO_LEAK, fmt::format("leak: {} read {:#x} from pipe {}, written after the splice by another process",
                                       name_or(cx.names, a.proc), tok, cx.names ? cx.names->pipe(a.obj) : "?")};
      }
      break;
    }
    // --- KVM and guest_memfd: one VM V and one guest_memfd G, as kvm_step() runs them
    case Op::Vm: {
      if (b.vm != kNone) return o;
      VmId vm = kNone;
      o = k.kvm_create_vm(t, a.flags, &vm);
      if (!o) return o;  // a name that was never bound
      b.vm = vm;
      break;
    }
    case Op::GmemCreate: {
      if (b.vm == kNone || b.gmem != kNone) return o;
      GmemId g = kNone;
      o = k.kvm_create_guest_memfd(t, b.vm, uint64_t(a.pages) << kPageShift, a.flags, &g);
      if (!o) return o;
      b.gmem = g;
      break;
    }
    case Op::Memslot: {
      if (b.vm == kNone || b.gmem == kNone) return o;
      MemoryRegion r{.slot = a.obj, .flags = KVM_MEM_GUEST_MEMFD, .gpa = 0, .size = uint64_t(a.pages) << kPageShift,
                     .uaddr = 0, .fd = MemoryRegion::Fd::Gmem, .gmem = b.gmem, .offset = 0};
      o = k.kvm_set_user_memory_region(t, b.vm, r);
      break;
    }
    case Op::Close: {
      if (b.gmem == kNone) return o;
      o = k.gmem_close(t, b.gmem);
      break;
    }
    case Op::Convert: case Op::GmemFallocate: {
      if (b.gmem == kNone || a.hi <= a.lo) return o;
      const uint64_t off = uint64_t(a.lo) << kPageShift, len = uint64_t(a.hi - a.lo) << kPageShift;
      if (a.op == Op::GmemFallocate) {
        o = k.gmem_fallocate(t, b.gmem, a.flags, int64_t(off), int64_t(len));
      } else {
        GmemAttributes req{.gmem = b.gmem, .attributes = (a.flags & 1) ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0};
        req.offset = off;
        req.size = len;
        uint64_t error_offset = 0;
        o = k.gmem_set_attributes(t, req, &error_offset);
      }
      break;
    }
    case Op::SetMemoryAttributes: {  // the 6.18 VM ioctl, per GFN (ENOTTY unless the VM type has private memory)
      if (b.vm == kNone || a.hi <= a.lo) return o;
      o = k.kvm_set_memory_attributes(t, b.vm, uint64_t(a.lo) << kPageShift, uint64_t(a.hi - a.lo) << kPageShift,
                                      (a.flags & 1) ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0, 0);
      break;
    }
    case Op::GuestRead: case Op::GuestWrite: {
      if (a.proc != kGuest || b.vm == kNone) return o;
      Token tok = a.op == Op::GuestWrite ? (a.value ? a.value : kGuestToken) : 0;
      uint64_t exit = Kernel::kNoExit;
      o = k.guest_access(b.vm, uint64_t(a.lo) << kPageShift, a.op == Op::GuestWrite, &tok, &exit);
      // The guest writes for the VMM: as the runner feeds the no-leak check,
      // a write by the VM's owner through shared memory.
      if (o && a.op == Op::GuestWrite) {
        const uint32_t owner = ord_of_task(b, n.st.vms[b.vm].owner);
        prov_write(n.prov, owner == kNone ? 0 : owner, tok, true, true);
      }
      break;
    }
    default:
      return o;  // not an operation the explorer drives
  }
  *valid = true;
  // Pipes whose last user went away can no longer be read: forget their buffers.
  if (!n.prov.bufs.empty()) {
    std::erase_if(n.prov.bufs, [&](const BufVis& bv) {
      return bv.pipe >= b.npipes || b.pipes[bv.pipe] == kNone || n.st.pipes[b.pipes[bv.pipe]].users <= 0;
    });
  }
  if (!n.prov.tokens.empty()) {
    prov_forget_gone(n);
    prov_forget_blind(n);
  }
  return o;
}

Step to_step(const Node& before, const Action& a, Names& names) {
  Step s;
  s.op = a.op;
  s.actor = a.proc == kDevice ? "dma" : a.proc == kKernel ? "kernel" : a.proc == kGuest ? "guest" : names.proc(a.proc);
  auto set_range = [&](const std::string& name) {
    s.range.name = name;
    s.range.whole = a.hi == 0;
    s.range.lo = a.lo;
    s.range.hi = a.hi;
  };
  const Book& b = before.book;
  switch (a.op) {
    case Op::Mmap:
      s.name = names.maps[a.map];
      s.pages = a.pages;
      s.prot = a.prot;
      s.map_flags = a.flags;
      if (a.value) {
        s.refill = Refill::Token;
        s.value = Value::integer(a.value);
      }
      if (a.advice == 1) s.kvm.gmem = names.gmem;
      break;
    case Op::Vm:
      s.kvm.vm = names.vm;
      s.kvm.type = a.flags;
      break;
    case Op::GmemCreate:
      s.kvm.vm = names.vm;
      s.kvm.gmem = names.gmem;
      s.kvm.size = uint64_t(a.pages) << kPageShift;
      s.kvm.flags = a.flags;
      break;
    case Op::Memslot:
      s.kvm.vm = names.vm;
      s.kvm.slot = a.obj;
      s.kvm.size = uint64_t(a.pages) << kPageShift;
      s.kvm.gmem = names.gmem;
      s.kvm.gmem_flag = true;
      break;
    case Op::Close: s.name = names.gmem; break;
    case Op::Convert: case Op::GmemFallocate:
      set_range(names.gmem);
      s.kvm.gmem = names.gmem;
      if (a.op == Op::Convert) s.kvm.attrs = (a.flags & 1) ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0;
      else s.name = names.gmem, s.kvm.mode = a.flags;
      break;
    case Op::SetMemoryAttributes:
      s.kvm.vm = names.vm;
      s.kvm.gpa = uint64_t(a.lo) << kPageShift;
      s.kvm.size = uint64_t(a.hi - a.lo) << kPageShift;
      s.kvm.attrs = (a.flags & 1) ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0;
      break;
    case Op::GuestRead: case Op::GuestWrite:
      s.kvm.vm = names.vm;
      s.kvm.gpa = uint64_t(a.lo) << kPageShift;
      if (a.op == Op::GuestWrite) s.value = Value::integer(a.value ? a.value : kGuestToken);
      break;
    case Op::Mlockall: s.mcl = a.flags; break;
    case Op::SetrlimitMemlock: s.pages = a.pages; break;
    case Op::Getrandom: set_range(names.maps[a.map]); break;
    case Op::Fork: s.name = names.proc(a.obj); break;
    case Op::Pin: case Op::Gup:
      s.name = names.pin(a.obj);
      s.foll = a.foll;
      set_range(names.maps[a.map]);
      break;
    case Op::Unpin: case Op::Put:
      s.name = names.pin(a.obj);
      s.dirty = a.flags & 1;
      break;
    case Op::DmaRead: case Op::DmaWrite: {
      set_range(names.pin(a.obj));
      if (a.op == Op::DmaWrite) {
        Token tok = a.value;
        if (!tok && a.obj < b.npins && b.pins[a.obj] != kNone) {
          const uint32_t owner = ord_of_task(b, before.st.gups[b.pins[a.obj]].owner);
          tok = explorer_token(owner == kNone ? 0 : owner, owner == kNone ? 0 : b.procs[owner].epoch);
        }
        s.value = Value::integer(tok);
      }
      break;
    }
    case Op::Reclaim: case Op::Khugepaged: s.pages = a.pages; break;
    case Op::Vmsplice: case Op::PipeRead:
      s.name = names.pipe(a.obj);
      if (a.op == Op::Vmsplice) set_range(names.maps[a.map]);
      break;
    case Op::Write:
      set_range(names.maps[a.map]);
      s.value = Value::integer(a.value ? a.value : explorer_token(a.proc, b.procs[a.proc].epoch));
      break;
    case Op::Mprotect:
      set_range(names.maps[a.map]);
      s.prot = a.prot;
      break;
    case Op::Madvise:
      set_range(names.maps[a.map]);
      s.advice = a.advice;
      break;
    default:
      if (a.map != kNoName) set_range(names.maps[a.map]);
      break;
  }
  return s;
}

namespace {
uint32_t find_or_add(std::vector<std::string>& v, const std::string& name) {
  for (size_t i = 0; i < v.size(); ++i)
    if (v[i] == name) return uint32_t(i);
  v.push_back(name);
  return uint32_t(v.size() - 1);
}
}  // namespace

bool from_step(const Step& s, const Node& before, Names& names, Action* out, std::string* error) {
  Action a;
  a.op = s.op;
  if (s.actor == "dma") {
    a.proc = kDevice;
  } else if (s.actor == "kernel") {
    a.proc = kKernel;
  } else if (s.actor == "guest") {
    a.proc = kGuest;
  } else {
    a.proc = uint16_t(find_or_add(names.procs, s.actor));
  }
  auto range = [&]() {
    a.map = names.map_id(s.range.name);
    if (!s.range.whole) {
      a.lo = uint16_t(s.range.lo);
      a.hi = uint16_t(s.range.hi);
    }
  };
  auto gmem_range = [&]() {
    if (s.kvm.bytes || s.kvm.gmem != names.gmem || before.book.gmem == kNone) {
      *error = fmt::format("'{}': the explorer drives page ranges of its one guest_memfd ({})", op_name(s.op), names.gmem);
      return false;
    }
    const uint64_t np = before.st.gmems[before.book.gmem].npages();
    a.lo = uint16_t(s.range.whole ? 0 : s.range.lo);
    a.hi = uint16_t(s.range.whole ? np : s.range.hi);
    return true;
  };
  switch (s.op) {
    case Op::Vm:
      if (before.book.vm != kNone) {
        *error = "a second VM (the explorer drives one)";
        return false;
      }
      names.vm = s.kvm.vm;
      a.flags = s.kvm.type;
      break;
    case Op::GmemCreate:
      if (before.book.gmem != kNone || s.kvm.vm != names.vm || (s.kvm.size & ((1ull << kPageShift) - 1)) ||
          (s.kvm.size >> kPageShift) > 0xffff) {
        *error = "gmem create: the explorer drives one guest_memfd of whole pages on its VM";
        return false;
      }
      names.gmem = s.kvm.gmem;
      a.pages = uint32_t(s.kvm.size >> kPageShift);
      a.flags = uint32_t(s.kvm.flags);
      break;
    case Op::Memslot:
      if (s.kvm.vm != names.vm || s.kvm.gmem != names.gmem || !s.kvm.gmem_flag || s.kvm.gpa || s.kvm.offset ||
          s.kvm.flags || s.kvm.v1 || s.kvm.uaddr || !s.kvm.uaddr_map.empty()) {
        *error = "memslot: the explorer drives 'memslot V SLOT gpa 0 size N gmem G' only";
        return false;
      }
      a.obj = uint16_t(s.kvm.slot);
      a.pages = uint32_t(s.kvm.size >> kPageShift);
      break;
    case Op::Close:
      if (s.name != names.gmem) {
        *error = fmt::format("close {}: the explorer closes only its guest_memfd ({})", s.name, names.gmem);
        return false;
      }
      break;
    case Op::Convert:
      if (!gmem_range()) return false;
      a.flags = (s.kvm.attrs & KVM_MEMORY_ATTRIBUTE_PRIVATE) ? 1 : 0;
      if (s.kvm.flags || s.kvm.reserved || (s.kvm.attrs & ~KVM_MEMORY_ATTRIBUTE_PRIVATE)) {
        *error = "convert with raw flags or attributes is not an operation the explorer drives";
        return false;
      }
      break;
    case Op::GmemFallocate:
      if (!gmem_range()) return false;
      a.flags = s.kvm.mode;
      break;
    case Op::SetMemoryAttributes: {
      const uint64_t mask = (1ull << kPageShift) - 1;
      if (s.kvm.vm != names.vm || ((s.kvm.gpa | s.kvm.size) & mask) || !s.kvm.size || s.kvm.flags ||
          (s.kvm.attrs & ~KVM_MEMORY_ATTRIBUTE_PRIVATE) || ((s.kvm.gpa + s.kvm.size) >> kPageShift) > 0xffff) {
        *error = "set_memory_attributes: the explorer drives page-aligned ranges of its VM, private or shared";
        return false;
      }
      a.lo = uint16_t(s.kvm.gpa >> kPageShift);
      a.hi = uint16_t((s.kvm.gpa + s.kvm.size) >> kPageShift);
      a.flags = (s.kvm.attrs & KVM_MEMORY_ATTRIBUTE_PRIVATE) ? 1 : 0;
      break;
    }
    case Op::GuestRead: case Op::GuestWrite:
      if (s.kvm.vm != names.vm || (s.kvm.gpa & ((1ull << kPageShift) - 1)) || (s.kvm.gpa >> kPageShift) > 0xfffe) {
        *error = "guest access: the explorer drives page-aligned GPAs of its one VM";
        return false;
      }
      a.lo = uint16_t(s.kvm.gpa >> kPageShift);
      a.hi = uint16_t(a.lo + 1);
      if (s.op == Op::GuestWrite) a.value = s.value.i;
      break;
    case Op::Mmap:
      if (!s.kvm.gmem.empty()) {
        if (s.kvm.gmem != names.gmem || s.kvm.offset) {
          *error = fmt::format("mmap of a guest_memfd: the explorer maps its guest_memfd ({}) from offset 0", names.gmem);
          return false;
        }
        a.advice = 1;
      }
      if (!s.file.empty()) {
        *error = "mmap of a memfd (file F) is not an operation the explorer drives";
        return false;
      }
      a.map = names.map_id(s.name);
      a.pages = uint32_t(s.pages);
      a.prot = s.prot;
      a.flags = s.map_flags;
      if (s.refill == Refill::Token) a.value = s.value.i;
      if (s.refill == Refill::Token && a.value == 0) {
        *error = "mmap ... refill 0 (the explorer reserves 0 for `refill gen`)";
        return false;
      }
      break;
    case Op::Mlockall: a.flags = s.mcl; break;
    case Op::SetrlimitMemlock: a.pages = uint32_t(s.pages); break;
    case Op::Getrandom: range(); break;
    case Op::Munmap: case Op::Read: case Op::KsmMerge: case Op::SplitPmdBegin: case Op::SplitPmdEnd: range(); break;
    case Op::Mprotect: range(); a.prot = s.prot; break;
    case Op::Madvise: range(); a.advice = s.advice; break;
    case Op::Write:
      range();
      a.value = s.value.i;
      if (!a.value) {
        *error = "write of token 0 (the explorer reserves 0 for zero-filled pages)";
        return false;
      }
      // The writer's own explorer token (a counterexample replayed as a seed)
      // is the explorer's write: only other values are a step's choice.
      if (a.proc < before.book.nprocs && a.value == explorer_token(a.proc, before.book.procs[a.proc].epoch))
        a.value = 0;
      break;
    case Op::Fork: a.obj = uint16_t(find_or_add(names.procs, s.name)); break;
    case Op::Exit: case Op::ClearRefs: break;
    case Op::Reclaim: case Op::Khugepaged: a.pages = uint32_t(s.pages); break;
    case Op::Pin: case Op::Gup:
      range();
      a.obj = uint16_t(find_or_add(names.pins, s.name));
      a.foll = s.foll;
      break;
    case Op::Unpin: case Op::Put:
      a.obj = uint16_t(find_or_add(names.pins, s.name));
      a.flags = s.dirty ? 1 : 0;
      break;
    case Op::DmaRead: case Op::DmaWrite:
      a.obj = uint16_t(find_or_add(names.pins, s.range.name));
      if (!s.range.whole) {
        a.lo = uint16_t(s.range.lo);
        a.hi = uint16_t(s.range.hi);
      }
      a.value = s.value.i;
      break;
    case Op::Vmsplice: range(); a.obj = uint16_t(find_or_add(names.pipes, s.name)); break;
    case Op::PipeRead: a.obj = uint16_t(find_or_add(names.pipes, s.name)); break;
    default:
      *error = fmt::format("'{}' is not an operation the explorer drives", op_name(s.op));
      return false;
  }
  if (a.proc != kDevice && a.proc != kKernel && a.proc != kGuest && a.proc >= kMaxProcs) {
    *error = fmt::format("more than {} processes", kMaxProcs);
    return false;
  }
  *out = a;
  return true;
}

}  // namespace mmsim::explore
