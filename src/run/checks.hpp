// Named, switchable checks that watch a whole run (herd's "flag" conditions):
//
//   no-leak       no process reads a token that another process wrote after
//                 the two diverged (fork), except through shared memory, a
//                 pipe that received the page before the write, or an explicit
//                 process_vm_readv. The CVE-2020-29374 family.
//   pin-coherent  every page a device holds through GUP (pin or get) is the
//                 page its owner's page table maps at that address, as long
//                 as the address is still mapped. The clear_refs/RDMA family.
//   no-state-reuse
//                 no vDSO getrandom() output is ever produced twice (by two
//                 processes, or twice by one): the invariant of droppable.md
//                 §8 that a dropped, wiped or forked state is always reseeded.
//   droppable-never-swapped
//                 after every step, no swap entry lies in a VM_DROPPABLE VMA
//                 of a live mm: droppable memory is dropped, never swapped.
//
// A violation is reported as an event; it fails the scenario unless the
// scenario states the expected count with `expect leaks == N`,
// `expect lost_coherence == N`, `expect state_reuse == N` or
// `expect swapped_droppable == N` (the names the checks bind at the end).
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "model/state.hpp"

namespace mmsim {

struct CheckSet {
  bool no_leak = true;
  bool pin_coherent = true;
  bool no_state_reuse = true;
  bool droppable_never_swapped = true;
  static CheckSet none() { return CheckSet{false, false, false, false}; }
};
// "no-leak,pin-coherent,no-state-reuse,droppable-never-swapped", "all" or
// "none"; false + message on an unknown name.
bool parse_checks(const std::string& list, CheckSet* out, std::string* error);
inline constexpr const char* kLeakName = "leaks";
inline constexpr const char* kIncoherentName = "lost_coherence";
inline constexpr const char* kStateReuseName = "state_reuse";
inline constexpr const char* kSwappedDroppableName = "swapped_droppable";

// Every named check: its --checks word, the name it binds, its switch.
struct CheckInfo {
  const char* check;  // "no-leak"
  const char* bound;  // "leaks"
  bool CheckSet::*on;
};
inline constexpr CheckInfo kChecks[] = {
    {"no-leak", kLeakName, &CheckSet::no_leak},
    {"pin-coherent", kIncoherentName, &CheckSet::pin_coherent},
    {"no-state-reuse", kStateReuseName, &CheckSet::no_state_reuse},
    {"droppable-never-swapped", kSwappedDroppableName, &CheckSet::droppable_never_swapped},
};
// The check that binds `name`, or nullptr.
const CheckInfo* check_binding(const std::string& name);

class Monitor {
 public:
  explicit Monitor(CheckSet enabled) : on_(enabled) {}

  // Lineage and provenance, fed by the runner as steps execute.
  void name(TaskId t, std::string n) { names_[t] = std::move(n); }
  void fork(TaskId parent, TaskId child, int line);
  void write(TaskId writer, Token t, int line, bool shared);
  void vmsplice(PipeId p, TaskId splicer, uint64_t pages, int line);
  void read(TaskId reader, Token t, int line);                      // a load by a process
  void pipe_read(PipeId p, TaskId reader, Token t, int line);       // one buffer, FIFO
  // After every step: do live GUP references still match their owners' PTEs?
  // Whether every live pin of a live process still holds the page its mm
  // maps there (what check_coherence() reports on, without the bookkeeping).
  static bool all_coherent(const State& s);
  void check_coherence(const State& s, const std::map<GupId, std::string>& names,
                       const std::map<MmId, std::string>& procs, int line);
  // A vDSO getrandom() output handed to `t` (no-state-reuse).
  void getrandom(TaskId t, Token out, int line);
  // After every step: swap entries inside VM_DROPPABLE VMAs of live mms
  // (droppable-never-swapped); each (mm, page) is reported once. `where`
  // names a page ("P0 D[1]"); without it the address is printed.
  void check_droppable(const State& s, const std::function<std::string(MmId, Vpn)>& where, int line);
  // Every swap entry in a VM_DROPPABLE mapping of a live mm, in mm and
  // address order, until `visit(mm, vpn, pte)` returns false. The rule of
  // check_droppable(), shared with the explorer's droppable-never-swapped.
  template <class F>
  static void for_each_swapped_droppable(const State& s, F&& visit) {
    for (MmId m = 0; m < s.mms.size(); ++m) {
      const Mm& mm = s.mms[m];
      if (!mm.live) continue;
      for (const Vma& vma : mm.vmas) {
        if (!(vma.flags & VM_DROPPABLE)) continue;
        for (const Vpn v : mm.pt.populated(vma.start, vma.end)) {
          const Pte pte = mm.pt.get(v);
          if (pte.is_swap() && !visit(m, v, pte)) return;
        }
      }
    }
  }

  const std::vector<std::string>& leak_events() const { return leaks_; }
  const std::vector<std::string>& coherence_events() const { return incoherent_; }
  const std::vector<std::string>& state_reuse_events() const { return reuse_; }
  const std::vector<std::string>& swapped_droppable_events() const { return swapped_; }
  // The events of the check that binds `name` (leaks, lost_coherence, ...).
  const std::vector<std::string>& events(const std::string& bound_name) const;
  const CheckSet& enabled() const { return on_; }

 private:
  struct WriteEvent {
    TaskId writer;
    int line;
    bool shared;
  };
  struct Splice {
    TaskId splicer;
    int line;
  };
  // May `reader` legitimately see token t as of `line`?
  bool visible(TaskId reader, Token t, int line, const WriteEvent** culprit) const;
  // Was `reader` created (through forks) from `writer` after `line`?
  bool descends_after(TaskId reader, TaskId writer, int line) const;

  std::string who(TaskId t) const {
    auto it = names_.find(t);
    return it != names_.end() ? it->second : "task " + std::to_string(t);
  }

  CheckSet on_;
  std::map<TaskId, std::string> names_;
  std::map<TaskId, std::pair<TaskId, int>> parent_;  // child -> (parent, fork line)
  std::map<Token, std::vector<WriteEvent>> writes_;
  std::map<PipeId, std::deque<Splice>> pipes_;
  std::set<std::pair<GupId, size_t>> reported_;      // each lost page once
  std::map<Token, std::pair<TaskId, int>> outputs_;  // getrandom output -> first (task, line)
  std::set<std::pair<MmId, Vpn>> swapped_seen_;      // each swapped droppable page once
  std::vector<std::string> leaks_, incoherent_, reuse_, swapped_;
};

}  // namespace mmsim
