// The explorer's search node and how one action executes on it.
//
// A Node is the model State plus two small plain values the scenario runner
// keeps outside the State: the Book (which names exist: processes, their
// mappings, pins, pipes) and the Provenance (the no-leak check's history,
// condensed so that two nodes with the same future compare equal). An Action
// is one scenario step in compact form; exec.cpp runs it through the Kernel
// API exactly as src/run/runner.cpp runs the same step, and to_step() turns it
// back into the scenario Step that `mmsim run` replays.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "model/kernel.hpp"
#include "model/state.hpp"
#include "policy/profile.hpp"
#include "scenario/ast.hpp"

namespace mmsim::explore {

inline constexpr int kMaxProcs = 8;
inline constexpr int kMaxMaps = 4;  // mappings per process
inline constexpr int kMaxPins = 12;
inline constexpr int kMaxPipes = 4;
inline constexpr int kMaxTokens = 64;
inline constexpr uint16_t kDevice = 0xffff;  // the actor of dma read/write
inline constexpr uint16_t kKernel = 0xfffe;  // the actor of reclaim
inline constexpr uint16_t kGuest = 0xfffd;   // the actor of guest V: read/write (a vCPU)
inline constexpr uint16_t kNoName = 0xffff;

// The explorer's tokens name their writer and its fork epoch: a process
// writes the same token until it forks again, so the token's visibility (who
// may read it) is exactly that of the no-leak check (src/run/checks.cpp).
inline constexpr Token kTokenBase = 0x10000;
inline Token explorer_token(uint32_t proc, uint32_t epoch) { return kTokenBase | (Token(proc) << 8) | (epoch & 0xff); }
inline bool is_explorer_token(Token t) { return t >= kTokenBase && t < kTokenBase + (Token(kMaxProcs) << 8); }
inline uint32_t token_writer(Token t) { return uint32_t((t - kTokenBase) >> 8); }  // (an explorer token's)
inline uint32_t token_epoch(Token t) { return uint32_t(t & 0xff); }
// What a vCPU stores (`guest V: write GPA = TOKEN`): outside the process
// tokens, so renaming processes leaves it alone; the runner counts it as a
// write by the VM's owner through shared memory (everyone may read it).
inline constexpr Token kGuestToken = 0x20000;

// --- named invariants ---------------------------------------------------
enum Invariant : uint32_t {
  INV_NO_LEAK = 1u << 0,          // run/checks.hpp no-leak
  INV_PIN_COHERENT = 1u << 1,     // run/checks.hpp pin-coherent
  INV_REFCOUNT = 1u << 2,         // check_invariants(): every counter recomputed from its holders
  INV_DROPPABLE_NEVER_SWAPPED = 1u << 3,   // hook: MAP_DROPPABLE folios never go to swap
  INV_GMEM_PRIVATE_UNREACHABLE = 1u << 4,  // hook: no host PTE maps a private guest_memfd page
  INV_NO_STATE_REUSE = 1u << 5,   // run/checks.hpp no-state-reuse: no vDSO getrandom() output twice
};
struct InvariantInfo {
  const char* name;
  Invariant bit;
  const char* summary;
  bool available;       // false: the model has no such mechanism yet (asking for it is bad input)
  const char* binds;    // the scenario name whose expectation the counterexample states ("" = --check)
};
const std::vector<InvariantInfo>& invariants();
// "no-leak,pin-coherent,refcount", "all" (every available one), "none".
bool parse_invariants(const std::string& list, uint32_t* out, std::string* error);
std::string invariants_string(uint32_t mask);

// --- names ----------------------------------------------------------------
// Names by ordinal, shared by every node of one search (not part of a node).
struct Names {
  std::vector<std::string> procs;  // process ordinal -> "P0", "P1", ...
  std::vector<std::string> maps;   // mapping name id -> "A", "S", "H", or a seed's names
  std::vector<std::string> pins;   // pin ordinal -> "K0", ...
  std::vector<std::string> pipes;  // pipe ordinal -> "p0", ...
  std::string vm = "V", gmem = "G";  // the one KVM VM and guest_memfd (a seed may name them)
  uint16_t map_id(const std::string& n);  // intern
  const std::string& proc(uint32_t ord);  // "P<n>" for ordinals beyond the seed's
  const std::string& pin(uint32_t ord);
  const std::string& pipe(uint32_t ord);
};

// --- the node ----------------------------------------------------------------
struct MapRef {
  Vpn start = 0;
  uint32_t pages = 0;
  uint16_t name = kNoName;
  uint16_t pad = 0;
};
struct ProcBook {
  TaskId task = kNone;  // kNone: this ordinal was never created on this path
  uint16_t epoch = 0;   // forks done so far (see explorer_token)
  uint8_t nmaps = 0;
  uint8_t pad = 0;
  MapRef maps[kMaxMaps] = {};
  const MapRef* map(uint16_t name) const {
    for (int i = 0; i < nmaps; ++i)
      if (maps[i].name == name) return &maps[i];
    return nullptr;
  }
};
struct Book {
  uint8_t nprocs = 0, npins = 0, npipes = 0, pad = 0;
  GupId pins[kMaxPins] = {};     // pin ordinal -> GupId (kNone: failed / removed)
  uint8_t pin_get[kMaxPins] = {};  // taken with gup (FOLL_GET): released with put
  PipeId pipes[kMaxPipes] = {};  // pipe ordinal -> PipeId
  ProcBook procs[kMaxProcs] = {};
  VmId vm = kNone;      // the KVM VM (vm V), once created
  GmemId gmem = kNone;  // its guest_memfd (gmem G = create V ...), once created
};

// The no-leak check's history in a form that forgets what cannot matter:
// per token, the processes that may read it (writer, and whatever forked off
// it after the write); per pipe buffer, its splicer and the tokens the
// splicer could see when it spliced.
//
// One deliberate difference from run/checks.cpp: a pipe read is also
// legitimate when the splicer itself may read the token now. vmsplice()
// hands out a reference to the splicer's page, not a snapshot (fs/splice.c),
// so what the splicer later writes into its own page reaches whoever it gave
// the pipe to by its own act; a leak is data of a process the splicer cannot
// see (CVE-2020-29374). The explorer's leaks are therefore a subset of the
// run-wide check's, and every counterexample still fails `mmsim run`.
struct TokenVis {
  Token token = 0;
  uint32_t readers = 0;  // bit per process ordinal; ~0u: written through shared memory
  uint32_t chosen = 0;   // 1: written as a value a step chose (a seed's `write M[i] = 0x77`, a
                         // guest write), which several processes may write: never forgotten
};
struct BufVis {
  uint32_t pipe = 0;     // pipe ordinal
  uint32_t splicer = 0;  // ordinal of the process that spliced it
  uint64_t visible = 0;  // bit per index into Provenance::tokens
};
struct Provenance {
  std::vector<TokenVis> tokens;  // in order of first write (at most kMaxTokens)
  std::vector<BufVis> bufs;      // FIFO per pipe, interleaved
  // The no-state-reuse check's history (Monitor::getrandom()): every vDSO
  // getrandom() output so far, sorted. Who got it and when does not matter:
  // the next output is a reuse exactly when it is in this set.
  std::vector<Token> outputs;
};

struct Node {
  State st;
  Book book;
  Provenance prov;
  explicit Node(const Config& c) : st(c) {}
};

// --- actions -----------------------------------------------------------------
struct Action {
  Op op = Op::Probe;
  uint16_t proc = 0;    // actor's ordinal; kDevice for dma, kKernel for reclaim, kGuest for a vCPU
  uint16_t map = kNoName;  // mapping name id (range ops; mmap: the new mapping)
  uint16_t obj = 0;     // fork: child ordinal; pin/gup/unpin/put/dma: pin ordinal; vmsplice/read pipe: pipe ordinal
  uint16_t lo = 0, hi = 0;  // pages [lo, hi) of the mapping (pin for dma, guest_memfd indices for
                            // convert/fallocate, GFN for guest read/write); hi == 0: all of it
  uint32_t pages = 0;   // mmap size; setrlimit memlock: the limit; gmem create / memslot: pages
  uint32_t foll = 0;    // pin/gup
  int32_t prot = 0;     // mmap, mprotect
  uint32_t flags = 0;   // mmap MapFlag bits; unpin: 1 = dirty; mlockall: MclFlag bits; vm: type;
                        // gmem create: GUEST_MEMFD_FLAG_*; convert: 1 = private; fallocate: FALLOC_FL_*
  int32_t advice = 0;   // madvise; mmap: 1 = of the guest_memfd (mmap M N rw shared gmem G)
  Token value = 0;      // write/dma write: 0 = the explorer's token for the writer;
                        // mmap droppable: the refill token (0 = `refill gen`)
  bool operator==(const Action&) const = default;
};

struct Violation {
  uint32_t inv = 0;     // 0: none
  std::string message;
};

// Everything one execution needs besides the node.
struct ExecContext {
  PolicySet ps;
  uint32_t invariants = INV_NO_LEAK | INV_PIN_COHERENT | INV_REFCOUNT;
  Names* names = nullptr;  // for messages; may be null
  // check_invariants()' counters, reused from state to state (a search checks
  // every new state: allocating them per check cost about a tenth of it).
  // Scratch only: nothing carries over from one check to the next.
  mutable InvariantScratch check_scratch;
};

// Runs `a` on `n`. Returns the step's outcome; sets `*v` when an enabled
// invariant breaks in this step (a leaking read, or a state check after it).
// `token_out` (may be null) receives the token a write/dma write stored.
// `valid` is false when the action does not apply to this node (a name it
// uses does not exist); the node is then unchanged.
Outcome apply(const ExecContext& cx, Node& n, const Action& a, Violation* v, bool* valid, Token* token_out = nullptr);

// apply() without the state checks: only what the step itself observes (a
// leaking read, a reused getrandom output). The searches check a state once,
// when it is new (check_state()), not once per transition that reaches it.
Outcome apply_step(const ExecContext& cx, Node& n, const Action& a, Violation* v, bool* valid,
                   Token* token_out = nullptr);

// The state checks alone (pin-coherent, droppable-never-swapped,
// gmem-private-unreachable, refcount) on a node.
void check_state(const ExecContext& cx, const Node& n, Violation* v);

// The scenario step for `a` executed on `before` (the explorer's token is
// resolved). Names come from `names`.
Step to_step(const Node& before, const Action& a, Names& names);

// A scenario step -> an action, interning names (for seed scenarios).
// False + message for steps the explorer cannot drive.
bool from_step(const Step& s, const Node& before, Names& names, Action* out, std::string* error);

// Whether the process with this ordinal exists and is alive on this node.
bool proc_live(const Node& n, uint16_t ord);

}  // namespace mmsim::explore
