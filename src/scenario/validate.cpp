// Static checks: every name refers to something that exists at that point,
// ranges are in bounds, processes are alive, qualifiers name real profiles.
#include <fmt/format.h>

#include <map>
#include <set>

#include "model/objects.hpp"
#include "policy/profile.hpp"
#include "run/checks.hpp"
#include "scenario/config.hpp"
#include "scenario/parser.hpp"

namespace mmsim {
namespace {

struct VTask {
  bool live = true;
  std::map<std::string, uint64_t> maps;  // name -> pages
  std::set<std::string> pipes;
  std::set<std::string> files;  // memfds (fds are inherited by fork)
  std::set<std::string> vms;    // KVM VM fds
  std::set<std::string> gmems;  // guest_memfd fds
};
struct VPin {
  uint64_t pages = 0;
  bool get = false;
  bool released = false;
  int line = 0;
};

bool value_op(const Step& s) {
  return s.op == Op::Read || s.op == Op::DmaRead || s.op == Op::ProcessVmRead || s.op == Op::Getrandom ||
         s.op == Op::CheckExtension || s.op == Op::ProcMemRead ||
         (s.op == Op::Probe && !s.range.name.empty());
}

}  // namespace

std::vector<Diagnostic> validate_scenario(const Scenario& sc) {
  std::vector<Diagnostic> errs;
  auto err = [&](Loc l, std::string msg) { errs.push_back({sc.file, l, std::move(msg)}); };

  bool config_ok = true;
  for (const auto& [key, val] : sc.config)
    if (std::string e; !config_from_scenario({{key, val}}, nullptr, &e)) {
      err(sc.config_loc.at(key), e);
      config_ok = false;
    }
  // Keys that constrain each other (mthp orders against thp_order).
  if (std::string e; config_ok && !config_from_scenario(sc.config, nullptr, &e))
    err(sc.config_loc.count("mthp") ? sc.config_loc.at("mthp") : sc.config_loc.begin()->second, e);

  std::map<std::string, VTask> tasks{{"P0", {}}};
  std::map<std::string, VPin> pins;
  std::set<std::string> pipes;
  std::map<std::string, uint64_t> dio_pages;  // O_DIRECT file sizes so far
  std::map<std::string, int> bound;
  // KVM objects are named once per scenario; a guest_memfd's size in pages
  // (0 when it is too large to probe whole or not a whole number of pages).
  std::set<std::string> vm_names;
  std::map<std::string, uint64_t> gmem_pages;
  auto new_kvm_name = [&](Loc l, const std::string& n) {
    if (vm_names.count(n) || gmem_pages.count(n)) err(l, fmt::format("'{}' already names a VM or guest_memfd", n));
  };
  auto check_gmem_range = [&](const RangeRef& r) -> uint64_t {
    auto it = gmem_pages.find(r.name);
    if (it == gmem_pages.end()) {
      err(r.loc, fmt::format("no guest_memfd named '{}' (create it with 'P0: gmem {} = create V size N')", r.name, r.name));
      return 0;
    }
    if (r.whole) {
      if (it->second == 0 || it->second > 4096) {
        err(r.loc, fmt::format("guest_memfd '{}' is too large to take whole: give an index range ({}[0:4])", r.name, r.name));
        return 0;
      }
      return it->second;
    }
    if (it->second && r.hi > it->second)
      err(r.loc, fmt::format("{}[{}:{}] is beyond the guest_memfd's {} pages", r.name, r.lo, r.hi, it->second));
    return r.count();
  };

  auto check_range = [&](const RangeRef& r, const std::map<std::string, uint64_t>& maps, std::string_view owner) {
    auto it = maps.find(r.name);
    if (it == maps.end()) {
      err(r.loc, fmt::format("{} has no mapping named '{}' (mmap it first)", owner, r.name));
      return uint64_t(0);
    }
    if (!r.whole && r.hi > it->second) {
      err(r.loc, fmt::format("page {} is beyond the mapping's {} pages",
                             r.count() == 1 ? fmt::format("{}[{}]", r.name, r.lo) : fmt::format("{}[{}:{}]", r.name, r.lo, r.hi),
                             it->second));
      return uint64_t(0);
    }
    return r.whole ? it->second : r.count();
  };

  // Processes inside a preempted PMD split (split_pmd_begin): the mapping and line.
  std::map<std::string, std::pair<std::string, Loc>> in_split;
  for (const Step& s : sc.steps) {
    uint64_t npages = 0;
    if (auto sp = in_split.find(s.actor); sp != in_split.end()) {
      const auto& [map, where] = sp->second;
      const int line = where.line;
      if (s.op == Op::SplitPmdEnd && s.range.name == map) {
        in_split.erase(sp);
      } else if (s.op != Op::Probe) {
        err(s.loc, fmt::format("{} is inside the PMD split of {} begun at line {}: expected '{}: split_pmd_end {}' "
                               "(only probes may come first)", s.actor, map, line, s.actor, map));
      }
    } else if (s.op == Op::SplitPmdEnd) {
      err(s.loc, fmt::format("{} has no PMD split of {} in progress (begin it with '{}: split_pmd_begin {}')", s.actor,
                             s.range.name, s.actor, s.range.name));
    } else if (s.op == Op::SplitPmdBegin) {
      in_split[s.actor] = {s.range.name, s.loc};
    }
    if (s.actor == "guest") {
      if (!vm_names.count(s.kvm.vm))
        err(s.loc, fmt::format("no VM named '{}' (create it with 'P0: vm {}')", s.kvm.vm, s.kvm.vm));
      if (s.op == Op::GuestRead && s.binds.empty()) err(s.loc, "a guest read needs '-> name' to bind what it reads");
    } else if (s.actor == "kernel") {
      // reclaim: a kernel actor, no process, nothing to resolve.
    } else if (s.actor == "dma") {
      auto it = pins.find(s.range.name);
      if (it == pins.end()) {
        err(s.range.loc, fmt::format("no pinned pages named '{}' (take them with 'P0: pin {} = A ...')", s.range.name,
                                     s.range.name));
        continue;
      }
      if (it->second.released) err(s.range.loc, fmt::format("'{}' was released at line {}", s.range.name, it->second.line));
      npages = s.range.whole ? it->second.pages : s.range.count();
      if (!s.range.whole && s.range.hi > it->second.pages)
        err(s.range.loc, fmt::format("{}[{}:{}] is beyond the {} pinned pages", s.range.name, s.range.lo, s.range.hi,
                                     it->second.pages));
    } else {
      auto ti = tasks.find(s.actor);
      if (ti == tasks.end()) {
        err(s.loc, fmt::format("process {} does not exist (create it with 'P0: fork {}')", s.actor, s.actor));
        continue;
      }
      if (!ti->second.live) {
        err(s.loc, fmt::format("process {} has exited", s.actor));
        continue;
      }
      VTask& t = ti->second;
      switch (s.op) {
        case Op::Mmap:
          if (t.maps.count(s.name)) err(s.loc, fmt::format("{} already has a mapping named '{}'", s.actor, s.name));
          if (!s.kvm.gmem.empty() && !t.gmems.count(s.kvm.gmem))
            err(s.loc, fmt::format("{} holds no guest_memfd named '{}'", s.actor, s.kvm.gmem));
          if (!s.file.empty() && !t.files.count(s.file))
            err(s.loc, fmt::format("{} has no memfd named '{}' (create it with '{}: memfd {} N')", s.actor, s.file,
                                   s.actor, s.file));
          t.maps[s.name] = s.pages;
          break;
        case Op::Mremap:
          npages = check_range(s.range, t.maps, s.actor);
          if (t.maps.count(s.name) || t.files.count(s.name))
            err(s.loc, fmt::format("{} already has something named '{}'", s.actor, s.name));
          t.maps[s.name] = npages;
          break;
        case Op::Memfd:
          if (t.files.count(s.name) || t.maps.count(s.name))
            err(s.loc, fmt::format("{} already has something named '{}'", s.actor, s.name));
          t.files.insert(s.name);
          break;
        case Op::Fallocate:
          if (!t.files.count(s.name) && !t.gmems.count(s.name))
            err(s.loc, fmt::format("{} has no memfd or guest_memfd named '{}'", s.actor, s.name));
          break;
        case Op::Vm:
          new_kvm_name(s.loc, s.kvm.vm);
          vm_names.insert(s.kvm.vm);
          t.vms.insert(s.kvm.vm);
          break;
        case Op::Close:
          if (t.vms.count(s.name)) t.vms.erase(s.name);
          else if (t.gmems.count(s.name)) t.gmems.erase(s.name);
          else err(s.loc, fmt::format("{} holds no VM or guest_memfd fd named '{}'", s.actor, s.name));
          break;
        case Op::CheckExtension: case Op::Memslot: case Op::SetMemoryAttributes:
          if (!s.kvm.vm.empty() && !t.vms.count(s.kvm.vm))
            err(s.loc, fmt::format("{} holds no VM fd named '{}'", s.actor, s.kvm.vm));
          if (s.op == Op::Memslot && !s.kvm.gmem.empty() && s.kvm.gmem != "badfd" && !t.gmems.count(s.kvm.gmem) &&
              !t.files.count(s.kvm.gmem))
            err(s.loc, fmt::format("{} holds no guest_memfd or memfd named '{}' (or say 'badfd')", s.actor, s.kvm.gmem));
          if (s.op == Op::Memslot && !s.kvm.uaddr_map.empty() && !t.maps.count(s.kvm.uaddr_map))
            err(s.loc, fmt::format("{} has no mapping named '{}'", s.actor, s.kvm.uaddr_map));
          break;
        case Op::GmemCreate: {
          if (!t.vms.count(s.kvm.vm)) err(s.loc, fmt::format("{} holds no VM fd named '{}'", s.actor, s.kvm.vm));
          new_kvm_name(s.loc, s.kvm.gmem);
          const uint64_t sz = s.kvm.size;
          gmem_pages[s.kvm.gmem] = (sz % 4096 == 0 && sz / 4096 <= (1ull << 32)) ? sz / 4096 : 0;
          t.gmems.insert(s.kvm.gmem);
          break;
        }
        case Op::GmemFallocate: case Op::Convert:
          if (!t.gmems.count(s.kvm.gmem)) {
            err(s.loc, fmt::format("{} holds no guest_memfd named '{}'", s.actor, s.kvm.gmem));
            break;
          }
          if (!s.kvm.bytes) check_gmem_range(s.range);
          break;
        case Op::FileOp:
          if (!t.gmems.count(s.kvm.gmem)) err(s.loc, fmt::format("{} holds no guest_memfd named '{}'", s.actor, s.kvm.gmem));
          break;
        case Op::GuestRead: case Op::GuestWrite:
          break;
        case Op::Munmap: case Op::Mprotect: case Op::Madvise: case Op::Mlock: case Op::Munlock:
        case Op::Read: case Op::Write: case Op::Vmsplice: case Op::OdirectWrite: case Op::OdirectRead:
        case Op::UffdRegister: case Op::UffdWp: case Op::UffdUnwp: case Op::KsmMerge:
          npages = check_range(s.range, t.maps, s.actor);
          break;
        case Op::Probe:
          switch (s.probe) {
            case Probe::GmemPrivate: case Probe::GmemPresent: case Probe::GmemUptodate: case Probe::GmemPfn:
            case Probe::GmemRefcount:
              npages = check_gmem_range(s.range);
              break;
            case Probe::GmemPages: case Probe::GmemHuge: case Probe::GmemLive:
              if (!gmem_pages.count(s.name)) err(s.loc, fmt::format("no guest_memfd named '{}'", s.name));
              break;
            case Probe::VmLive:
              if (!vm_names.count(s.name)) err(s.loc, fmt::format("no VM named '{}'", s.name));
              break;
            default:
              if (!s.range.name.empty()) npages = check_range(s.range, t.maps, s.actor);
          }
          break;
        case Op::Getrandom:
          npages = check_range(s.range, t.maps, s.actor);
          if (npages > 1) {
            err(s.range.loc, fmt::format("getrandom uses one state page: name one page ({}[0]), not {}", s.range.name,
                                         npages));
            npages = 0;  // one error is enough
          }
          break;
        case Op::Mlockall: case Op::Munlockall: case Op::SetrlimitMemlock: case Op::Reclaim: case Op::Khugepaged:
          break;
        case Op::Fork:
          if (tasks.count(s.name)) {
            err(s.loc, fmt::format("process {} already exists", s.name));
            break;
          }
          tasks[s.name] = VTask{true, t.maps, t.pipes, t.files, t.vms, t.gmems};
          break;
        case Op::Exit:
          t.live = false;
          break;
        case Op::Pin: case Op::Gup:
          if (pins.count(s.name)) {
            err(s.loc, fmt::format("'{}' is already defined at line {}", s.name, pins[s.name].line));
            break;
          }
          npages = check_range(s.range, t.maps, s.actor);
          pins[s.name] = VPin{npages, s.op == Op::Gup, false, s.loc.line};
          break;
        case Op::Unpin: case Op::Put: {
          auto it = pins.find(s.name);
          if (it == pins.end()) {
            err(s.loc, fmt::format("no pinned pages named '{}'", s.name));
            break;
          }
          if (it->second.released) err(s.loc, fmt::format("'{}' was already released at line {}", s.name, it->second.line));
          if (s.op == Op::Unpin && it->second.get)
            err(s.loc, fmt::format("'{}' was taken with 'gup' (FOLL_GET): release it with 'put'", s.name));
          if (s.op == Op::Put && !it->second.get)
            err(s.loc, fmt::format("'{}' was taken with 'pin' (FOLL_PIN): release it with 'unpin'", s.name));
          it->second.released = true;
          it->second.line = s.loc.line;
          break;
        }
        case Op::PipeRead:
          if (!pipes.count(s.name))
            err(s.loc, fmt::format("no pipe named '{}' (vmsplice into it first)", s.name));
          else if (!t.pipes.count(s.name))
            err(s.loc, fmt::format("{} does not hold pipe '{}' (pipes are inherited by fork)", s.actor, s.name));
          break;
        case Op::ProcessVmRead: case Op::ProcessVmWrite: case Op::ProcMemRead: case Op::ProcMemWrite: {
          auto target = tasks.find(s.name);
          if (target == tasks.end()) {
            err(s.loc, fmt::format("process {} does not exist", s.name));
            break;
          }
          npages = check_range(s.range, target->second.maps, s.name);
          if (npages > 1) err(s.range.loc, fmt::format("{} takes one page", op_name(s.op)));
          break;
        }
        case Op::DmaRead: case Op::DmaWrite: case Op::ClearRefs: case Op::LruAddDrain:
          break;
        case Op::SplitPmdBegin: case Op::SplitPmdEnd:
          npages = check_range(s.range, t.maps, s.actor);
          if (!s.range.whole && s.range.count() > 1)
            err(s.range.loc, fmt::format("{} takes a mapping or one page (the PMD containing it)", op_name(s.op)));
          break;
      }
      // O_DIRECT files grow with odirect_write; a read must stay inside (past the
      // end, file systems differ: ext4/xfs zero-fill the buffer, no GUP).
      if (s.op == Op::OdirectWrite) dio_pages[s.name] = std::max(dio_pages[s.name], npages);
      if (s.op == Op::OdirectRead && npages > dio_pages[s.name])
        err(s.loc, fmt::format("odirect_read of {} page(s) from file '{}', which has {} (written by odirect_write "
                               "so far)", npages, s.name, dio_pages[s.name]));
      if (s.op == Op::Vmsplice) {
        if (pipes.count(s.name) && !t.pipes.count(s.name))
          err(s.loc, fmt::format("{} does not hold pipe '{}' (pipes are inherited by fork)", s.actor, s.name));
        pipes.insert(s.name);
        t.pipes.insert(s.name);
      }
    }
    // Bindings: immutable, one value per page for value-producing ops.
    if (!s.binds.empty()) {
      if (s.op == Op::Convert || s.op == Op::GuestRead || s.op == Op::GuestWrite) {
        // convert: the result and error_offset; guest: the value (or errno) and the memory-fault exit flags.
        if (s.binds.size() > 2) err(s.bind_loc, fmt::format("{} binds one or two names", op_name(s.op)));
      } else if (value_op(s)) {
        if (npages && s.binds.size() != npages)
          err(s.bind_loc, fmt::format("{} covers {} pages: bind {} names", op_name(s.op), npages, npages));
      } else if (s.binds.size() != 1) {
        err(s.bind_loc, "bind exactly one name");
      }
    }
    for (const std::string& b : s.binds) {
      if (const CheckInfo* k = check_binding(b)) {
        err(s.bind_loc, fmt::format("'{}' is the name the {} check binds; choose another name", b, k->check));
        continue;
      }
      if (bound.count(b))
        err(s.bind_loc, fmt::format("'{}' is already bound at line {}", b, bound[b]));
      else
        bound[b] = s.loc.line;
    }
  }

  // A scenario may stop while a process is still inside its split (an
  // explorer counterexample can): nothing after it needs the process.

  std::set<std::string> known_quals;
  for (const Profile& p : profiles()) known_quals.insert(p.name);
  // Names an expectation may use: what the steps bound, and what the checks bind.
  std::vector<std::string> names;
  for (auto& [b, line] : bound) names.push_back(b);
  for (const CheckInfo& k : kChecks) names.push_back(k.bound);
  for (const Expect& e : sc.expects) {
    if (!check_binding(e.lhs) && !bound.count(e.lhs))
      err(e.lhs_loc, fmt::format("'{}' is not bound by any step{} (bind it with '-> {}')", e.lhs,
                                 did_you_mean(e.lhs, names), e.lhs));
    if (e.rhs.is_name && !bound.count(e.rhs.name) && !check_binding(e.rhs.name))
      err(e.rhs.loc, fmt::format("'{}' is not bound by any step{}", e.rhs.name, did_you_mean(e.rhs.name, names)));
    for (size_t qi = 0; qi < e.quals.size(); ++qi) {
      const std::string& q = e.quals[qi];
      const Loc ql = qi < e.qual_locs.size() ? e.qual_locs[qi] : e.loc;
      if (auto eq = q.find('='); eq != std::string::npos) {
        const std::string knob = q.substr(0, eq), val = q.substr(eq + 1);
        auto k = policy_knobs().find(knob);
        if (k == policy_knobs().end()) {
          err(ql, fmt::format("unknown policy knob '{}' in qualifier", knob));
        } else if (std::find(k->second.begin(), k->second.end(), val) == k->second.end()) {
          err(ql, fmt::format("unknown policy '{}' for knob '{}' (known: {})", val, knob, fmt::join(k->second, ", ")));
        }
      } else if (!known_quals.count(q)) {
        err(ql, fmt::format("unknown profile '{}' in qualifier (known profiles: {})", q, fmt::join(known_quals, ", ")));
      }
    }
  }
  return errs;
}

}  // namespace mmsim
