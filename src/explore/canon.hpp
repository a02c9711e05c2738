// State identity for the explorer's visited set.
//
// encode() writes a node as a word string. With symmetry reduction on, the
// string is canonical under the renamings that cannot change what happens
// next: PFNs (next-fit allocation hands out other frames in another order),
// anon_vma ids, pins, process ordinals (together with the tokens that name
// them) and fork epochs. The least string over the permutations of processes that look alike
// is the canonical one. Exact mode keeps these strings; fingerprint mode keeps
// their 64-bit XXH3.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "explore/exec.hpp"

namespace mmsim::explore {

// An allocator whose resize() leaves new words uninitialised: the encoder
// sizes its buffer to capacity before writing, and zeroing the unused tail
// (hundreds of words against about a hundred written) cost more than the writes.
template <class T>
struct UninitAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = UninitAllocator<U>;
  };
  UninitAllocator() = default;
  template <class U>
  UninitAllocator(const UninitAllocator<U>&) noexcept {}
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;  // default-initialisation: no zeroing
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

using Encoding = std::vector<uint64_t, UninitAllocator<uint64_t>>;

// Buffers one search reuses from state to state (no allocation per state).
struct EncodeScratch {
  std::vector<uint32_t> rank, pfn, anon_vma, order;
  std::vector<Pfn> inv;
  std::vector<uint64_t> sig, vis;
  std::vector<std::pair<uint64_t, uint64_t>> toks;
  std::vector<std::pair<size_t, size_t>> runs;  // runs of look-alike processes (encode())
  std::vector<std::pair<std::array<uint64_t, 5>, uint32_t>> gups;  // live GUP references: canonical key, GupId
  std::vector<Token> retired;                 // retired tokens in order of first appearance
  std::array<uint16_t, kMaxProcs> current{};  // per process ordinal: its epoch (0xffff: exited)
  bool tokens_renamed = false;                // live and retired tokens renamed (canon.cpp)
  uint32_t inert = 0;                         // bit o: process o's reader bits do not count
  // Page symmetry within a mapping (canon.cpp): per mapping name whose pages
  // may be permuted, the page order tried (positions sorted by signature,
  // permuted within runs of equal ones) and the permutation it gives.
  struct PageSym {
    uint16_t name = 0;
    uint32_t pages = 0;
    std::array<uint8_t, 8> order{}, perm{};
    std::vector<std::pair<size_t, size_t>> runs;
  };
  std::vector<PageSym> page_syms;
  std::vector<std::pair<Vpn, const PteSlot*>> slots;  // a process's PTEs, addresses permuted
  std::vector<Pfn> buf_page;                  // per no-leak buffer record: its page (kNoPfn: unknown)
  uint64_t buf_frozen = 0;                    // bit i: record i's page can no longer change
  Encoding cand;
};

// What a state's identity forgets.
struct Identity {
  // Rename frames, anon_vmas, pins and look-alike processes (and the tokens
  // naming them); off: the raw encoding.
  bool symmetry = true;
  // Keep what only reclaim and khugepaged read: LRU order (Folio::lru_seq,
  // the LRU clock, the add batch's order), the PTEs' accessed bits,
  // PG_referenced, PG_active and PG_dirty. Off where nothing can reclaim or collapse
  // (make_root(): no reclaiming op, no swap, nothing discardable without swap,
  // no THP, no seed).
  bool aging = true;
  // With symmetry: tokens renamed — a live one after its writer, a retired
  // one (its writer forked or exited since) by first appearance — and fork
  // epoch numbers left out (canon.cpp). Off when a token's value is data, not
  // a name (getrandom keys: OpEntry::token_values).
  bool tokens = true;
  // Forget what the no-leak check can no longer tell apart (canon.cpp): a
  // frozen pipe buffer's splicer and visible set, the reader bits of
  // processes that exited, an exited process's remains. Off only to check
  // the rest against (tests).
  bool forget = true;
  // With symmetry: the pages within a mapping renamed (canon.cpp,
  // page_symmetry()). Only where one kind of private anonymous mapping is in
  // the alphabet and no seed — nothing else can ever be mapped at its
  // addresses (one mapping of a kind per process), so a pin on a page of a
  // range its process has unmapped keeps its renamed position for good —
  // and without aging (fork, munlock, MADV_* and KSM walk pages in address
  // order, and with LRU order in the identity that order would show).
  bool pages = false;
  // Keep MMF_HAS_PINNED of an mm that maps no maybe-pinned anonymous folio.
  // Off (make_root(): the COW policy pins PG_anon_exclusive pages only —
  // 5.19+, gup_must_unshare() — and no large folio can occur), where that
  // flag cannot be read before the mm pins again (canon.cpp,
  // has_pinned_readable()).
  bool keep_has_pinned = true;
  // The pin bound (Bounds::pins, at most kMaxPins; 0: no loose encodings).
  uint32_t pin_bound = 0;
};

// Steps left to the depth bound: none.
inline constexpr uint32_t kNoHorizon = ~0u;

// Raw or canonical encoding of n.
void encode(const Node& n, const Identity& id, Encoding* out, EncodeScratch* scratch = nullptr);
// Whether n, `steps_left` steps from the depth bound, has a loose encoding:
// the pins it may still take are at least the steps left, so the count of
// pins taken cannot bind before the depth bound does. loosen() leaves that
// count out of n's encoding; two states that differ in it alone then have
// one loose encoding. A search looks such a state up by its encoding first
// (met before with as many steps left or more: known) and keeps the loose one.
bool has_loose(const Node& n, const Identity& id, uint32_t steps_left);
void loosen(Encoding* e);
uint64_t fingerprint(const Encoding& e);
// Nothing in n that Identity::forget would leave out (no pipe buffer record,
// no exited process): its raw fingerprint then stands for it. A property
// every state it is equivalent to shares.
bool nothing_to_forget(const Node& n);
// Fingerprint without building an encoding when symmetry is off:
// State::hash() combined with the book and the provenance.
uint64_t raw_fingerprint(const Node& n);

}  // namespace mmsim::explore
