// Property test: random operation sequences keep every counter consistent
// with its holders, and tearing everything down gives every frame back.
//
// rapidcheck's stateful testing (rc::state): the model is the mmsim World
// itself (State + the names a scenario would use), so a command's
// preconditions are exact — a command whose process has exited (after
// shrinking removed a fork, say) is discarded by the generator, never run.
// Each step is run on the system under test, then check_invariants() must be
// empty and the result must equal the model's (determinism).
//
// Reproduce a failure with the seed rapidcheck prints:
//   RC_PARAMS="seed=1234" build/mmsim_tests --gtest_filter='Property.*'
// More cases: RC_PARAMS="max_success=2000".
#include "test_util.hpp"  // gtest first: rapidcheck/gtest.h needs it

#include <rapidcheck.h>
#include <rapidcheck/gtest.h>
#include <rapidcheck/state.h>

#include <map>
#include <tuple>
#include <sstream>

namespace mmsim {
namespace {

// The profile of the current property case (every profile is exercised).
const PolicySet* g_policies = nullptr;
const PolicySet& policies() { return *g_policies; }
void use_profile(const std::string& name) {
  static std::map<std::string, PolicySet> sets;
  if (!sets.count(name)) {
    // "profile" or "profile/knob=policy" (one choice changed, like --policy).
    const auto slash = name.find('/');
    auto choices = find_profile(name.substr(0, slash))->choices;
    if (slash != std::string::npos) {
      const std::string kv = name.substr(slash + 1);
      choices[kv.substr(0, kv.find('='))] = kv.substr(kv.find('=') + 1);
    }
    std::string err;
    sets[name] = *make_policy_set(choices, &err);
  }
  g_policies = &sets[name];
}

constexpr size_t kMaxLive = 3;      // processes alive at once
constexpr size_t kMaxProcs = 6;     // processes ever created
constexpr size_t kMaxMaps = 4;      // mmaps per process (inherited ones included)
constexpr uint64_t kMaxPages = 9;   // pages per mmap (enough for an aligned order-2 THP)

struct World {
  struct Map {
    Vpn start;
    uint64_t pages;
  };
  struct Proc {
    TaskId tid;
    std::vector<Map> maps;  // what this process mmapped or inherited (may be unmapped by now)
  };
  State st;
  uint32_t frames;
  std::vector<Proc> procs;
  std::vector<GupId> gups;
  std::vector<PipeId> pipes;
  bool saw_oom = false, saw_fork_enomem = false;  // SUT only: what this run exercised
  bool saw_swapout = false, saw_retry = false;

  // thp: 0 none, 1 PMD THPs everywhere (order 2), 2 mTHP of order 2 everywhere
  // (thp_order 3 with hugepages-<PMD>/enabled = never; 6.8+ profiles only).
  World(uint32_t n, uint32_t lru_batch, int thp, uint32_t swap)
      : st(Config{.memory = n, .hugetlb = n / 4, .thp = uint8_t(thp == 1 ? 2 : 0), .thp_order = uint8_t(thp == 2 ? 3 : 2),
                  .lru_batch = lru_batch, .swap = swap,
                  .mthp_always = thp == 2 ? 1u << 2 : 0u, .mthp_set = thp == 2 ? (1u << 2) | (1u << 3) : 0u}),
        frames(n) {
    Kernel k(st, policies());
    procs.push_back({k.spawn(), {}});
  }
  bool live(size_t p) const { return p < procs.size() && st.tasks[procs[p].tid].live; }
  std::vector<size_t> live_procs() const {
    std::vector<size_t> out;
    for (size_t i = 0; i < procs.size(); ++i)
      if (live(i)) out.push_back(i);
    return out;
  }
  bool gup_live(size_t g) const { return g < gups.size() && st.gups[gups[g]].live; }
  std::vector<size_t> live_gups() const {
    std::vector<size_t> out;
    for (size_t i = 0; i < gups.size(); ++i)
      if (gup_live(i)) out.push_back(i);
    return out;
  }
  bool holds_pipe(size_t p, size_t pipe) const {
    if (pipe >= pipes.size() || !live(p)) return false;
    const auto& held = st.tasks[procs[p].tid].pipes;
    return std::find(held.begin(), held.end(), pipes[pipe]) != held.end();
  }
  std::vector<size_t> held_pipes(size_t p) const {
    std::vector<size_t> out;
    for (size_t i = 0; i < pipes.size(); ++i)
      if (holds_pipe(p, i)) out.push_back(i);
    return out;
  }
};

enum class K {
  Mmap, Munmap, Mprotect, Madvise, Mlock, Munlock, Read, Write, Fork, Exit,
  Gup, Release, DmaRead, DmaWrite, Vmsplice, PipeRead, PvRead, PvWrite,
  ClearRefs, UffdRegister, UffdWp, Ksm, Mremap, Reclaim, Khugepaged,
};
constexpr const char* kNames[] = {"mmap", "munmap", "mprotect", "madvise", "mlock", "munlock",
                                  "read", "write", "fork", "exit", "gup", "release", "dma_read",
                                  "dma_write", "vmsplice", "pipe_read", "process_vm_read",
                                  "process_vm_write", "clear_refs", "uffd_register", "uffd_writeprotect",
                                  "ksm_merge", "mremap", "reclaim", "khugepaged"};
constexpr int kAdvices[] = {ADV_DONTNEED,  ADV_DONTFORK,   ADV_DOFORK,        ADV_DONTDUMP,       ADV_DODUMP,
                            ADV_WIPEONFORK, ADV_KEEPONFORK, ADV_POPULATE_READ, ADV_POPULATE_WRITE, ADV_HUGEPAGE,
                            ADV_NOHUGEPAGE, ADV_COLLAPSE, ADV_COLLAPSE, ADV_FREE, ADV_COLD, ADV_PAGEOUT,
                            ADV_PAGEOUT, 12345 /* invalid */};

struct Op final : rc::state::Command<World, World> {
  K kind = K::Read;
  size_t proc = 0;    // the acting process (index into World::procs)
  size_t target = 0;  // process_vm_*: the target process
  size_t map = 0;     // index into the (target's) maps
  uint64_t lo = 0, len = 1;
  int prot = 3;
  unsigned flags = 0;
  int advice = ADV_DONTNEED;
  uint32_t foll = 0;
  size_t gup = 0;
  size_t pipe = 0;  // == pipes.size() at generation time: a new pipe
  Token tok = 1;
  bool dirty = false;

  explicit Op(const World& w) {
    const auto live = w.live_procs();
    proc = *rc::gen::elementOf(live);
    kind = *rc::gen::weightedElement<K>({
        {4, K::Mmap}, {2, K::Munmap}, {2, K::Mprotect}, {3, K::Madvise}, {1, K::Mlock}, {1, K::Munlock},
        {4, K::Read}, {8, K::Write}, {3, K::Fork}, {1, K::Exit}, {4, K::Gup}, {2, K::Release},
        {2, K::DmaRead}, {2, K::DmaWrite}, {3, K::Vmsplice}, {2, K::PipeRead}, {2, K::PvRead}, {2, K::PvWrite},
        {1, K::ClearRefs}, {1, K::UffdRegister}, {2, K::UffdWp}, {1, K::Ksm}, {2, K::Mremap}, {2, K::Reclaim}, {1, K::Khugepaged},
    });
    const auto& maps = w.procs[proc].maps;
    auto pick_range = [&](const std::vector<World::Map>& ms) {
      RC_PRE(!ms.empty());
      map = *rc::gen::inRange<size_t>(0, ms.size());
      // Sometimes beyond the mapping: into a neighbour or a hole.
      lo = *rc::gen::inRange<uint64_t>(0, ms[map].pages + 1);
      len = *rc::gen::inRange<uint64_t>(1, 4);
    };
    switch (kind) {
      case K::Mmap:
        RC_PRE(maps.size() < kMaxMaps);
        len = *rc::gen::inRange<uint64_t>(1, kMaxPages + 1);
        prot = *rc::gen::element(3, 3, 1, 0);
        flags = *rc::gen::element(0u, 0u, 0u, unsigned(MAPF_SHARED), unsigned(MAPF_POPULATE),
                                  unsigned(MAPF_LOCKED), unsigned(MAPF_NORESERVE),
                                  unsigned(MAPF_SHARED | MAPF_POPULATE), unsigned(MAPF_HUGETLB),
                                  unsigned(MAPF_DROPPABLE), unsigned(MAPF_DROPPABLE | MAPF_POPULATE));
        break;
      case K::Munmap: case K::Mlock: case K::Munlock: case K::UffdRegister: case K::Ksm:
        pick_range(maps);
        break;
      case K::Mremap:
        RC_PRE(maps.size() < kMaxMaps);
        pick_range(maps);
        break;
      case K::UffdWp:
        pick_range(maps);
        dirty = *rc::gen::arbitrary<bool>();  // true: protect, false: resolve
        break;
      case K::ClearRefs:
        break;
      case K::Khugepaged:
        len = *rc::gen::element<uint64_t>(0, 1);  // ranges to collapse (0: all)
        break;
      case K::Reclaim:
        len = *rc::gen::element<uint64_t>(0, 1, 2, 32);  // folios to reclaim (0: everything)
        break;
      case K::Mprotect:
        pick_range(maps);
        prot = *rc::gen::element(3, 1, 0);
        break;
      case K::Madvise:
        pick_range(maps);
        advice = *rc::gen::elementOf(std::vector<int>(std::begin(kAdvices), std::end(kAdvices)));
        break;
      case K::Read: case K::Write:
        pick_range(maps);  // a load/store per page, stopping at the first failure
        if (kind == K::Write && *rc::gen::arbitrary<bool>()) {
          lo = 0;  // often the whole mapping, to fill memory
          len = maps[map].pages;
        }
        tok = *rc::gen::inRange<Token>(1, 256);
        break;
      case K::Fork:
        RC_PRE(live.size() < kMaxLive && w.procs.size() < kMaxProcs);
        break;
      case K::Exit:
        RC_PRE(live.size() > 1);  // keep someone alive to act
        break;
      case K::Gup: {
        pick_range(maps);
        const bool pin = *rc::gen::arbitrary<bool>();
        foll = pin ? FOLL_PIN : FOLL_GET;
        if (*rc::gen::arbitrary<bool>()) foll |= FOLL_WRITE;
        if (pin && *rc::gen::arbitrary<bool>()) foll |= FOLL_LONGTERM;
        if (*rc::gen::arbitrary<bool>()) foll |= FOLL_FAST;
        break;
      }
      case K::Release: case K::DmaRead: case K::DmaWrite: {
        const auto gl = w.live_gups();
        RC_PRE(!gl.empty());
        gup = *rc::gen::elementOf(gl);
        lo = *rc::gen::inRange<uint64_t>(0, 3);
        tok = *rc::gen::inRange<Token>(1, 256);
        dirty = *rc::gen::arbitrary<bool>();
        break;
      }
      case K::Vmsplice: {
        pick_range(maps);
        auto held = w.held_pipes(proc);
        held.push_back(w.pipes.size());  // or a new pipe
        pipe = *rc::gen::elementOf(held);
        break;
      }
      case K::PipeRead: {
        const auto held = w.held_pipes(proc);
        RC_PRE(!held.empty());
        pipe = *rc::gen::elementOf(held);
        break;
      }
      case K::PvRead: case K::PvWrite:
        target = *rc::gen::elementOf(live);
        pick_range(w.procs[target].maps);
        len = 1;
        tok = *rc::gen::inRange<Token>(1, 256);
        break;
    }
  }

  void checkPreconditions(const World& w) const override {
    RC_PRE(w.live(proc));
    const auto live = w.live_procs();
    switch (kind) {
      case K::Mmap: RC_PRE(w.procs[proc].maps.size() < kMaxMaps); break;
      case K::Munmap: case K::Mprotect: case K::Madvise: case K::Mlock: case K::Munlock:
      case K::Read: case K::Write: case K::Gup: case K::Vmsplice:
      case K::UffdRegister: case K::UffdWp: case K::Ksm:
        RC_PRE(map < w.procs[proc].maps.size());
        break;
      case K::Mremap:
        RC_PRE(map < w.procs[proc].maps.size() && w.procs[proc].maps.size() < kMaxMaps);
        break;
      case K::ClearRefs: case K::Reclaim: case K::Khugepaged: break;
      case K::Fork: RC_PRE(live.size() < kMaxLive && w.procs.size() < kMaxProcs); break;
      case K::Exit: RC_PRE(live.size() > 1); break;
      case K::Release: case K::DmaRead: case K::DmaWrite: RC_PRE(w.gup_live(gup)); break;
      case K::PipeRead: RC_PRE(w.holds_pipe(proc, pipe)); break;
      case K::PvRead: case K::PvWrite:
        RC_PRE(w.live(target));
        RC_PRE(map < w.procs[target].maps.size());
        break;
    }
    if (kind == K::Vmsplice) RC_PRE(pipe == w.pipes.size() || w.holds_pipe(proc, pipe));
  }

  // Execute on a World; the same function advances the model and the SUT.
  Outcome exec(World& w) const {
    Kernel k(w.st, policies());
    const TaskId t = w.procs[proc].tid;
    auto addr = [&](size_t p) { return w.procs[p].maps[map].start + lo; };
    Token out = 0;
    switch (kind) {
      case K::Mmap: {
        Vpn v = 0;
        const Outcome o = k.mmap(t, len, prot, flags, &v);
        if (o) w.procs[proc].maps.push_back({v, len});
        return o;
      }
      case K::Munmap: return k.munmap(t, addr(proc), len);
      case K::Mprotect: return k.mprotect(t, addr(proc), len, prot);
      case K::Madvise: return k.madvise(t, addr(proc), len, advice);
      case K::Mlock: return k.mlock(t, addr(proc), len);
      case K::Munlock: return k.munlock(t, addr(proc), len);
      case K::Read: case K::Write: {
        Outcome o = Outcome::ok();
        for (uint64_t i = 0; i < len && o; ++i)
          o = kind == K::Read ? k.read(t, addr(proc) + i, &out) : k.write(t, addr(proc) + i, tok);
        return o;
      }
      case K::Fork: {
        TaskId c = kNone;
        const Outcome o = k.fork(t, &c);
        if (o) w.procs.push_back({c, w.procs[proc].maps});
        return o;
      }
      case K::Exit: return k.exit(t);
      case K::Gup: {
        GupId g = kNone;
        const Outcome o = k.gup(t, t, addr(proc), len, foll, &g);
        if (o) w.gups.push_back(g);
        return o;
      }
      case K::Release: return k.gup_release(w.gups[gup], dirty);
      case K::DmaRead: return k.dma_read(w.gups[gup], lo, &out);
      case K::DmaWrite: return k.dma_write(w.gups[gup], lo, tok);
      case K::Vmsplice: {
        if (pipe == w.pipes.size()) w.pipes.push_back(k.pipe_create(t));
        return k.vmsplice(t, addr(proc), len, w.pipes[pipe]);
      }
      case K::PipeRead: return k.pipe_read(t, w.pipes[pipe], &out);
      case K::PvRead: return k.process_vm_readv(t, w.procs[target].tid, addr(target), &out);
      case K::PvWrite: return k.process_vm_writev(t, w.procs[target].tid, addr(target), tok);
      case K::ClearRefs: return k.clear_refs(t);
      case K::Reclaim: {
        uint32_t freed = 0;
        return k.reclaim(uint32_t(len), &freed);
      }
      case K::Khugepaged: {
        uint32_t collapsed = 0;
        return k.khugepaged(uint32_t(len), &collapsed);
      }
      case K::UffdRegister: return k.uffd_register_wp(t, addr(proc), len);
      case K::UffdWp: return k.uffd_writeprotect(t, addr(proc), len, dirty);
      case K::Ksm: return k.ksm_merge(t, addr(proc), len);
      case K::Mremap: {
        Vpn dest = 0;
        const Outcome o = k.mremap(t, addr(proc), len, &dest);
        if (o) w.procs[proc].maps.push_back({dest, len});
        return o;
      }
    }
    return Outcome::ok();
  }

  void apply(World& w) const override { exec(w); }

  // Pages a live FOLL_PIN reference holds that its owner's page table maps
  // at the pinned address right now: (mm, vpn, pfn).
  static std::vector<std::tuple<MmId, Vpn, Pfn>> pinned_and_mapped(const State& st) {
    std::vector<std::tuple<MmId, Vpn, Pfn>> out;
    for (const GupRef& g : st.gups) {
      if (!g.live || !(g.foll & FOLL_PIN) || !st.mms[g.mm].live) continue;
      for (size_t i = 0; i < g.pfns.size(); ++i) {
        const Pte pte = st.mms[g.mm].pt.get(g.vpn + i);
        if (pte.is_present() && pte.pfn() == g.pfns[i] && g.pfns[i] != kZeroPfn)
          out.emplace_back(g.mm, g.vpn + i, g.pfns[i]);
      }
    }
    return out;
  }

  void run(const World& model, World& sut) const override {
    const auto pinned_before = pinned_and_mapped(sut.st);
    const Outcome o = exec(sut);
    // Reclaim never drops or swaps out a pinned page where the era protects
    // it: PG_anon_exclusive kernels refuse to unmap it (5.19+), and droppable
    // or MADV_FREE'd folios with extra references are never discarded.
    const bool reclaims = kind == K::Reclaim || (kind == K::Madvise && advice == ADV_PAGEOUT);
    if (reclaims && policies().cow->tracks_anon_exclusive())
      for (const auto& [mm, v, pfn] : pinned_before) {
        const Pte pte = sut.st.mms[mm].pt.get(v);
        RC_ASSERT(pte.is_present() && pte.pfn() == pfn);
      }
    // Droppable memory is never swapped (the policies that keep it lazyfree).
    if (policies().droppable->lazyfree())
      for (const Mm& mm : sut.st.mms)
        for (const PteSlot& slot : mm.pt.slots())
          if (slot.pte.is_swap()) RC_ASSERT(!mm.vma_at(slot.vpn)->test(VM_DROPPABLE));
    const bool allocates = kind == K::Fork || kind == K::Gup || kind == K::Vmsplice || kind == K::PvRead ||
                           kind == K::PvWrite || kind == K::Mlock || kind == K::Madvise;
    sut.saw_oom |= o.kind == Outcome::Kind::Oom || (allocates && o == Outcome::err(EAGAIN)) ||
                   ((kind == K::Fork || kind == K::Gup) && o == Outcome::err(ENOMEM));
    sut.saw_fork_enomem |= kind == K::Fork && o == Outcome::err(ENOMEM);
    sut.saw_retry |= o.kind == Outcome::Kind::Retry;
    for (const SwapSlot& sl : sut.st.swap) sut.saw_swapout |= sl.used();
    const auto bad = check_invariants(sut.st, policies());
    if (!bad.empty()) {
      std::ostringstream os;
      show(os);
      os << " -> " << o.name() << ": invariant violated:";
      for (const auto& b : bad) os << "\n  " << b;
      RC_FAIL(os.str());
    }
    // Determinism: the same step on the same state gives the same state.
    World next = model;
    const Outcome o2 = exec(next);
    RC_ASSERT(o2 == o);
    RC_ASSERT(same_state(next.st, sut.st));
    RC_ASSERT(next.st.hash() == sut.st.hash());
  }

  void show(std::ostream& os) const override {
    os << "P" << proc << ": " << kNames[int(kind)];
    switch (kind) {
      case K::Mmap: os << " " << len << " pages prot " << prot << " flags " << flags; break;
      case K::Fork: case K::Exit: case K::ClearRefs: break;
      case K::Reclaim: case K::Khugepaged: os << " " << len; break;
      case K::Release: case K::DmaRead: case K::DmaWrite:
        os << " gup#" << gup << "[" << lo << "]" << (kind == K::DmaWrite ? " = " + std::to_string(tok) : "")
           << (kind == K::Release && dirty ? " dirty" : "");
        break;
      case K::PipeRead: os << " pipe#" << pipe; break;
      default:
        if (kind == K::PvRead || kind == K::PvWrite) os << " P" << target;
        os << " map#" << map << "[" << lo << ":" << lo + len << "]";
        if (kind == K::Mprotect) os << " prot " << prot;
        if (kind == K::Madvise) os << " advice " << advice;
        if (kind == K::Gup) os << " foll 0x" << std::hex << foll << std::dec;
        if (kind == K::Vmsplice) os << " -> pipe#" << pipe;
        if (kind == K::Write || kind == K::PvWrite) os << " = " << tok;
        break;
    }
  }
};

// Every step keeps the counters consistent; exiting everything gives every frame back.
RC_GTEST_PROP(Property, RandomOpSequencesKeepInvariantsAndFreeEverything, ()) {
  // Small memories half of the time, so that faults, GUP and fork run out of frames too.
  const std::string profile = *rc::gen::element<std::string>("linux-5.7", "linux-5.8", "linux-5.9", "linux-5.11",
                                                             "linux-5.18", "linux-5.19", "linux-6.1", "linux-6.13",
                                                             "linux-6.18", "linux-6.18/droppable=sigbus",
                                                             "linux-6.18/droppable=refill", "linux-6.18/droppable=pinned");
  use_profile(profile);
  RC_TAG(profile);
  const uint32_t frames = *rc::gen::element(8u, 12u, 16u, 16u, 24u, 32u, 48u, 64u);
  // Half of the runs with an explicit LRU add batch (its references change COW decisions).
  const uint32_t batch = *rc::gen::element(0u, 0u, 3u, 15u);
  if (batch) RC_TAG("lru_batch");
  // A third of the runs with PMD THPs everywhere (order 2: a THP is 4 pages),
  // a third with 4-page mTHPs (PTE-mapped large folios from the first write).
  const int thp = *rc::gen::element(0, 1, 2);
  if (thp == 1) RC_TAG("thp");
  if (thp == 2) RC_TAG("mthp");
  // Half of the runs with a swap device (reclaim swaps anon out; without one
  // only lazyfree and droppable folios can go).
  const uint32_t swap = *rc::gen::element(0u, 0u, 4u, 16u);
  if (swap) RC_TAG("swap");
  const World initial(frames, batch, thp, swap);
  // Sequences of 1 to 61 operations, uniformly (a fixed size: short runs are cheap, long ones find more).
  const auto cmds = *rc::gen::resize(60, rc::state::gen::commands(initial, rc::state::gen::execOneOfWithArgs<Op>()));
  World sut(frames, batch, thp, swap);
  rc::state::runAll(cmds, initial, sut);
  RC_TAG("length " + std::to_string(cmds.size() / 20 * 20) + "+");
  if (sut.saw_oom) RC_TAG("out of memory");
  if (sut.saw_fork_enomem) RC_TAG("fork ENOMEM");
  if (sut.saw_swapout) RC_TAG("swapped out");
  if (sut.saw_retry) RC_TAG("droppable RETRY");

  // Tear down: release every pin and reference, then exit every process.
  {
    Kernel k(sut.st, policies());
    for (size_t g = 0; g < sut.gups.size(); ++g)
      if (sut.gup_live(g)) RC_ASSERT(k.gup_release(sut.gups[g], false) == Outcome::ok());
    for (size_t p = 0; p < sut.procs.size(); ++p)
      if (sut.live(p)) RC_ASSERT(k.exit(sut.procs[p].tid) == Outcome::ok());
    k.lru_add_drain();  // the batch's references are the last ones
    // Unmapped folios left in the swap cache (a GUP reference kept them when
    // they were swapped out) go only when reclaim finds them.
    uint32_t freed = 0;
    RC_ASSERT(k.reclaim(0, &freed) == Outcome::ok());
  }
  const auto bad = check_invariants(sut.st, policies());
  RC_ASSERT(bad.empty());
  RC_ASSERT(sut.st.mem.nr_free == frames);
  for (const Pipe& p : sut.st.pipes) RC_ASSERT(p.bufs.empty());
  for (const ShmemFile& f : sut.st.files) RC_ASSERT(f.users == 0);
  for (const SwapSlot& sl : sut.st.swap) RC_ASSERT(!sl.used());  // every swap entry was freed
}

}  // namespace
}  // namespace mmsim
