#include "run/checks.hpp"

#include <fmt/format.h>

#include <sstream>

#include "model/huge_memory.hpp"

namespace mmsim {

bool parse_checks(const std::string& list, CheckSet* out, std::string* error) {
  CheckSet c = CheckSet::none();
  std::stringstream ss(list);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item == "all") {
      c = CheckSet{};
      continue;
    }
    if (item == "none") {
      c = CheckSet::none();
      continue;
    }
    bool found = false;
    for (const CheckInfo& k : kChecks)
      if (item == k.check) c.*k.on = found = true;
    if (!found) {
      std::string known;
      for (const CheckInfo& k : kChecks) known += fmt::format("{}, ", k.check);
      *error = fmt::format("unknown check '{}' (known: {}all, none)", item, known);
      return false;
    }
  }
  *out = c;
  return true;
}

const CheckInfo* check_binding(const std::string& name) {
  for (const CheckInfo& k : kChecks)
    if (name == k.bound) return &k;
  return nullptr;
}

const std::vector<std::string>& Monitor::events(const std::string& bound_name) const {
  static const std::vector<std::string> none;
  if (bound_name == kLeakName) return leaks_;
  if (bound_name == kIncoherentName) return incoherent_;
  if (bound_name == kStateReuseName) return reuse_;
  if (bound_name == kSwappedDroppableName) return swapped_;
  return none;
}

void Monitor::getrandom(TaskId t, Token out, int line) {
  if (!on_.no_state_reuse) return;
  auto [it, fresh] = outputs_.try_emplace(out, t, line);
  if (fresh) return;
  const auto [first, first_line] = it->second;
  reuse_.push_back(fmt::format("line {}: state reuse: {} got getrandom output {:#x}, already produced for {} at line {}",
                               line, who(t), out, first == t ? "it" : who(first), first_line));
}

void Monitor::check_droppable(const State& s, const std::function<std::string(MmId, Vpn)>& where, int line) {
  if (!on_.droppable_never_swapped) return;
  for_each_swapped_droppable(s, [&](MmId m, Vpn v, const Pte& pte) {
    if (swapped_seen_.insert({m, v}).second)
      swapped_.push_back(fmt::format("line {}: swapped droppable: {} holds swap entry {} in a VM_DROPPABLE mapping",
                                     line, where ? where(m, v) : fmt::format("mm{} {:#x}", m, v << kPageShift),
                                     pte.val));
    return true;
  });
}

void Monitor::fork(TaskId parent, TaskId child, int line) { parent_[child] = {parent, line}; }

void Monitor::write(TaskId writer, Token t, int line, bool shared) {
  writes_[t].push_back({writer, line, shared});
}

void Monitor::vmsplice(PipeId p, TaskId splicer, uint64_t pages, int line) {
  for (uint64_t i = 0; i < pages; ++i) pipes_[p].push_back({splicer, line});
}

bool Monitor::descends_after(TaskId reader, TaskId writer, int line) const {
  // Walk up from the reader; the hop that leaves `writer` must be a fork
  // after the write (the child inherited memory that already held it).
  TaskId t = reader;
  for (auto it = parent_.find(t); it != parent_.end(); it = parent_.find(t)) {
    if (it->second.first == writer) return it->second.second > line;
    t = it->second.first;
  }
  return false;
}

bool Monitor::visible(TaskId reader, Token t, int line, const WriteEvent** culprit) const {
  auto it = writes_.find(t);
  if (it == writes_.end()) return true;  // never written by anyone: zero fill or initial data
  const WriteEvent* last_bad = nullptr;
  for (const WriteEvent& w : it->second) {
    if (w.line > line) continue;
    if (w.shared || w.writer == reader || descends_after(reader, w.writer, w.line)) return true;
    last_bad = &w;
  }
  if (!last_bad) return true;  // only written later than this read (impossible) or not at all
  *culprit = last_bad;
  return false;
}

void Monitor::read(TaskId reader, Token t, int line) {
  if (!on_.no_leak) return;
  const WriteEvent* w = nullptr;
  if (visible(reader, t, line, &w))
    return;
  leaks_.push_back(fmt::format("line {}: leak: {} read {:#x}, written by {} at line {} after they diverged", line,
                               who(reader), t, who(w->writer), w->line));
}

void Monitor::pipe_read(PipeId p, TaskId reader, Token t, int line) {
  auto& q = pipes_[p];
  if (q.empty()) return;
  const Splice sp = q.front();
  q.pop_front();
  if (!on_.no_leak) return;
  const WriteEvent* w = nullptr;
  if (visible(reader, t, line, &w)) return;
  // vmsplice() hands over pages by reference: the pipe legitimately carries
  // whatever its splicer can see in them (the splicer's own later writes
  // included). A leak is a token the splicer itself could not see — another
  // process's write after they diverged (CVE-2020-29374 and its mirrors).
  const WriteEvent* w2 = nullptr;
  if (visible(sp.splicer, t, line, &w2)) return;
  leaks_.push_back(fmt::format("line {}: leak: {} read {:#x} from a pipe filled at line {}, written by {} at line {} "
                               "after the splice",
                               line, who(reader), t, sp.line, who(w->writer), w->line));
}

namespace {
// The pfn pin g's page i disagrees with in its mm, or kNoPfn when it is
// coherent (or there is nothing to be coherent with: the range is unmapped).
Pfn incoherent_with(const State& s, const GupRef& ref, size_t i) {
  const Mm& mm = s.mms[ref.mm];
  const Vpn v = ref.vpn + i;
  if (!mm.vma_at(v)) return kNoPfn;
  const Pte pte = detail::effective_pte(s, mm, v);  // a PTE or a PMD-mapped THP
  return !pte.is_present() || pte.pfn() == ref.pfns[i] ? kNoPfn : pte.pfn();
}
bool checked(const State& s, const GupRef& ref) {
  return ref.live && ref.owner < s.tasks.size() && s.tasks[ref.owner].live;
}
}  // namespace

bool Monitor::all_coherent(const State& s) {
  for (const GupRef& ref : s.gups)
    if (checked(s, ref))
      for (size_t i = 0; i < ref.pfns.size(); ++i)
        if (incoherent_with(s, ref, i) != kNoPfn) return false;
  return true;
}

void Monitor::check_coherence(const State& s, const std::map<GupId, std::string>& names,
                              const std::map<MmId, std::string>& procs, int line) {
  if (!on_.pin_coherent) return;
  for (GupId g = 0; g < s.gups.size(); ++g) {
    const GupRef& ref = s.gups[g];
    if (!checked(s, ref)) continue;
    for (size_t i = 0; i < ref.pfns.size(); ++i) {
      const Pfn now = incoherent_with(s, ref, i);
      if (now == kNoPfn) continue;
      if (!reported_.insert({g, i}).second) continue;
      auto n = names.find(g);
      auto pn = procs.find(ref.mm);
      incoherent_.push_back(fmt::format("line {}: lost coherence: {}[{}] holds pfn {} but {} maps pfn {} there", line,
                                        n != names.end() ? n->second : fmt::format("gup{}", g), i, ref.pfns[i],
                                        pn != procs.end() ? pn->second : fmt::format("mm{}", ref.mm), now));
    }
  }
}

}  // namespace mmsim
