#include "run/runner.hpp"

#include <fmt/format.h>

#include <optional>
#include <set>

#include "model/huge_memory.hpp"
#include "model/internal.hpp"
#include "model/kernel.hpp"
#include "run/trace.hpp"
#include "scenario/config.hpp"
#include "scenario/parser.hpp"

namespace mmsim {

std::vector<const Expect*> active_expectations(const Scenario& sc, const std::string& profile,
                                               const std::map<std::string, std::string>& policies) {
  auto matches = [&](const Expect& e) {
    for (const std::string& q : e.quals) {
      if (q == profile) return true;
      if (auto eq = q.find('='); eq != std::string::npos) {
        auto it = policies.find(q.substr(0, eq));
        if (it != policies.end() && it->second == q.substr(eq + 1)) return true;
      }
    }
    return false;
  };
  std::set<std::string> overridden;
  for (const Expect& e : sc.expects)
    if (!e.quals.empty() && matches(e)) overridden.insert(e.lhs);
  std::vector<const Expect*> out;
  for (const Expect& e : sc.expects) {
    if (e.quals.empty() ? !overridden.count(e.lhs) : matches(e)) out.push_back(&e);
  }
  return out;
}

namespace {

struct Mapping {
  Vpn start = 0;
  uint64_t pages = 0;
  uint64_t seq = 0;  // mmap order, for naming addresses in traces
};

class Runner {
 public:
  Runner(const Scenario& sc, const Config& cfg, const PolicySet& ps, const RunOptions& opt, RunResult& res)
      : sc_(sc), st_(cfg), ps_(ps), k_(st_, ps_), opt_(opt), res_(res), mon_(opt.checks) {
    tasks_["P0"] = k_.spawn();
    mon_.name(tasks_["P0"], "P0");
  }

  void run() {
    for (const Step& s : sc_.steps) {
      std::optional<State> before;
      if (opt_.trace || opt_.on_step) before = st_;
      std::string result;
      const bool ok = step(s, &result);
      if (before && opt_.trace) res_.trace.push_back({&s, result, diff_states(*before, st_, namer())});
      if (before && opt_.on_step) opt_.on_step(StepView{size_t(&s - sc_.steps.data()), s, result, *before, st_, namer()});
      if (!ok) return;
      {
        const Namer n = namer();
        mon_.check_coherence(st_, n.gup_names, n.mm_names, s.loc.line);
        mon_.check_droppable(st_, [&](MmId m, Vpn v) { return n.mm(m) + " " + n.addr(m, v); }, s.loc.line);
      }
      if (opt_.check) {
        auto bad = check_invariants(st_, ps_);
        if (!bad.empty()) {
          for (auto& b : bad) res_.errors.push_back(fmt::format("line {}: invariant violated after '{}': {}", s.loc.line, s.text, b));
          return;
        }
      }
    }
    finished_ = true;
  }

  bool finished() const { return finished_; }
  const std::string& skipped() const { return skipped_; }
  const Monitor& monitor() const { return mon_; }
  const std::map<std::string, Value>& bindings() const { return binds_; }
  uint64_t hash() const { return st_.hash(); }

 private:
  Namer namer() const {
    Namer n;
    for (auto& [pname, tid] : tasks_) {
      n.mm_names[st_.tasks[tid].mm] = pname;
      auto it = maps_.find(tid);
      if (it == maps_.end()) continue;
      for (auto& [mname, m] : it->second) n.ranges[st_.tasks[tid].mm].push_back({mname, m.start, m.pages, m.seq});
    }
    for (auto& [name, g] : pins_) n.gup_names[g] = name;
    for (auto& [name, p] : pipes_) n.pipe_names[p] = name;
    for (auto& [name, g] : gmems_) n.gmem_names[g] = name;
    for (auto& [name, v] : vms_) n.vm_names[v] = name;
    return n;
  }

  Vpn resolve(TaskId t, const RangeRef& r, uint64_t* count) {
    const Mapping& m = maps_[t].at(r.name);
    *count = r.whole ? m.pages : r.count();
    return m.start + (r.whole ? 0 : r.lo);
  }

  // Execute one step; false if the scenario must stop.
  bool step(const Step& s, std::string* result) {
    Outcome o = Outcome::ok();
    std::vector<Value> values;
    bool value_op = false;
    std::optional<Value> second;  // convert: error_offset; guest: the memory-fault exit flags
    const TaskId t = (s.actor == "dma" || s.actor == "kernel" || s.actor == "guest") ? kNone : tasks_.at(s.actor);
    // A mapping whose mmap failed (e.g. a guest_memfd mmap refused): there is
    // nothing at that name, as if the program used MAP_FAILED.
    if (t != kNone && !s.range.name.empty() && s.op != Op::Probe && s.op != Op::GmemFallocate && s.op != Op::Convert &&
        s.op != Op::Fallocate) {
      const bool remote = s.op == Op::ProcessVmRead || s.op == Op::ProcessVmWrite || s.op == Op::ProcMemRead ||
                          s.op == Op::ProcMemWrite;
      const TaskId owner = remote ? tasks_.at(s.name) : t;
      if (!maps_[owner].count(s.range.name)) {
        o = (s.op == Op::Read || s.op == Op::Write) ? Outcome::sig(SIGSEGV) : Outcome::err(EFAULT);
        return finish_step(s, o, {}, false, std::nullopt, result);
      }
    }
    uint64_t n = 0;
    switch (s.op) {
      case Op::Memfd: {
        FileId f = kNone;
        o = k_.memfd_create(t, s.pages, &f, FileKind(s.file_kind));
        if (o) files_[t][s.name] = f;
        break;
      }
      case Op::Fallocate:
        if (auto g = gmems_.find(s.name); g != gmems_.end())
          o = k_.gmem_fallocate(t, g->second, FALLOC_FL_KEEP_SIZE, 0, int64_t(st_.gmems[g->second].size));
        else if (files_[t].count(s.name))
          o = k_.fallocate(t, files_[t].at(s.name));
        else
          o = Outcome::err(EBADF);  // the guest_memfd was never created
        break;
      case Op::Mmap: {
        Vpn addr = 0;
        if (!s.kvm.gmem.empty())
          o = gmems_.count(s.kvm.gmem) ? k_.mmap_gmem(t, s.pages, s.prot, s.map_flags, gmems_.at(s.kvm.gmem),
                                                      uint64_t(s.kvm.offset), &addr)
                                       : Outcome::err(EBADF);
        else  // mmap ... droppable refill TOKEN|gen: the ->fault callback, in place
              // before MAP_POPULATE faults anything in (the default is `gen`).
          o = k_.mmap(t, s.pages, s.prot, s.map_flags, &addr, s.file.empty() ? kNone : files_[t].at(s.file),
                      s.refill == Refill::Token ? Token(s.value.i) : kRefillGeneration);
        if (o) maps_[t][s.name] = {addr, s.pages, next_seq_++};
        // A kernel before 6.11 has no MAP_DROPPABLE: mmap() fails with EINVAL.
        // Unless the scenario expects that (binds it), the run cannot say
        // anything under this profile: it is skipped, not failed.
        if (o == Outcome::err(EINVAL) && (s.map_flags & MAPF_DROPPABLE) && s.binds.empty() && ps_.droppable &&
            !ps_.droppable->supported()) {
          *result = o.name();
          skipped_ = "MAP_DROPPABLE needs Linux 6.11+ (mmap gives EINVAL)";
          return false;
        }
        break;
      }
      case Op::Munmap: { Vpn v = resolve(t, s.range, &n); o = k_.munmap(t, v, n); break; }
      case Op::Mprotect: { Vpn v = resolve(t, s.range, &n); o = k_.mprotect(t, v, n, s.prot); break; }
      case Op::Madvise: { Vpn v = resolve(t, s.range, &n); o = k_.madvise(t, v, n, s.advice); break; }
      case Op::Mlock: { Vpn v = resolve(t, s.range, &n); o = k_.mlock(t, v, n); break; }
      case Op::Munlock: { Vpn v = resolve(t, s.range, &n); o = k_.munlock(t, v, n); break; }
      case Op::Read: {
        value_op = true;
        Vpn v = resolve(t, s.range, &n);
        for (uint64_t i = 0; i < n && o; ++i) {
          Token tok = 0;
          o = k_.read(t, v + i, &tok);
          values.push_back(Value::integer(tok));
          if (o) mon_.read(t, tok, s.loc.line);
        }
        break;
      }
      case Op::Write: {
        Vpn v = resolve(t, s.range, &n);
        for (uint64_t i = 0; i < n && o; ++i) {
          o = k_.write(t, v + i, s.value.i);
          if (o) mon_.write(t, s.value.i, s.loc.line, shared_at(t, v + i));
        }
        break;
      }
      case Op::Fork: {
        TaskId child = kNone;
        o = k_.fork(t, &child);
        if (o) {
          tasks_[s.name] = child;
          maps_[child] = maps_[t];
          files_[child] = files_[t];
          mon_.fork(t, child, s.loc.line);
          mon_.name(child, s.name);
        }
        break;
      }
      case Op::Exit: o = k_.exit(t); break;
      case Op::ClearRefs: o = k_.clear_refs(t); break;
      case Op::LruAddDrain: k_.lru_add_drain(); break;
      case Op::SplitPmdBegin: o = k_.split_pmd_begin(t, resolve(t, s.range, &n)); break;
      case Op::SplitPmdEnd: o = k_.split_pmd_end(t, resolve(t, s.range, &n)); break;
      case Op::Mremap: {
        Vpn v = resolve(t, s.range, &n);
        Vpn dest = 0;
        o = k_.mremap(t, v, n, &dest);
        if (o) maps_[t][s.name] = {dest, n, next_seq_++};
        break;
      }
      case Op::Mlockall: o = k_.mlockall(t, s.mcl); break;
      case Op::Munlockall: o = k_.munlockall(t); break;
      case Op::SetrlimitMemlock: o = k_.setrlimit_memlock(t, s.pages); break;
      case Op::Reclaim: {
        value_op = true;
        uint32_t freed = 0;
        o = k_.reclaim(uint32_t(std::min<uint64_t>(s.pages, UINT32_MAX)), &freed);
        values.push_back(Value::integer(freed));
        break;
      }
      case Op::Khugepaged: {
        value_op = true;
        uint32_t collapsed = 0;
        o = k_.khugepaged(uint32_t(std::min<uint64_t>(s.pages, UINT32_MAX)), &collapsed);
        values.push_back(Value::integer(collapsed));
        break;
      }
      case Op::Getrandom: {
        value_op = true;
        Vpn v = resolve(t, s.range, &n);
        Token out = 0;
        o = k_.vdso_getrandom(t, v, &out);
        values.push_back(Value::integer(out));
        if (o) mon_.getrandom(t, out, s.loc.line);
        break;
      }
      case Op::UffdRegister: { Vpn v = resolve(t, s.range, &n); o = k_.uffd_register_wp(t, v, n); break; }
      case Op::UffdWp: { Vpn v = resolve(t, s.range, &n); o = k_.uffd_writeprotect(t, v, n, true); break; }
      case Op::UffdUnwp: { Vpn v = resolve(t, s.range, &n); o = k_.uffd_writeprotect(t, v, n, false); break; }
      case Op::KsmMerge: { Vpn v = resolve(t, s.range, &n); o = k_.ksm_merge(t, v, n); break; }
      case Op::Pin: case Op::Gup: {
        Vpn v = resolve(t, s.range, &n);
        GupId g = kNone;
        o = k_.gup(t, t, v, n, s.foll, &g);
        if (o) pins_[s.name] = g;
        break;
      }
      case Op::Unpin: case Op::Put:
        // A pin whose owner exited was released with it; releasing again is a no-op.
        if (!pins_.count(s.name))
          o = Outcome::err(EINVAL);  // the pin was never taken (it failed)
        else if (st_.gups[pins_.at(s.name)].live)
          o = k_.gup_release(pins_.at(s.name), s.dirty);
        break;
      case Op::DmaRead: case Op::DmaWrite: {
        if (!pins_.count(s.range.name)) {
          o = Outcome::err(EINVAL);  // the pin was never taken (it failed)
          break;
        }
        const GupId g = pins_.at(s.range.name);
        n = s.range.whole ? st_.gups[g].pfns.size() : s.range.count();
        if (!st_.gups[g].live) {
          o = Outcome::err(EINVAL);  // its owner exited: the device mapping is gone
          break;
        }
        value_op = s.op == Op::DmaRead;
        for (uint64_t i = 0; i < n && o; ++i) {
          const uint64_t idx = (s.range.whole ? 0 : s.range.lo) + i;
          if (s.op == Op::DmaWrite) {
            o = k_.dma_write(g, idx, s.value.i);
            // The device writes on behalf of the pin's owner.
            if (o) {
              const Pfn pfn = st_.gups[g].pfns[idx];
              mon_.write(st_.gups[g].owner, s.value.i, s.loc.line,
                         pfn != kZeroPfn && !st_.mem.folio(pfn).test(FOLIO_ANON));
            }
          } else {
            Token tok = 0;
            o = k_.dma_read(g, idx, &tok);
            values.push_back(Value::integer(tok));
          }
        }
        break;
      }
      case Op::Vmsplice: {
        Vpn v = resolve(t, s.range, &n);
        auto it = pipes_.find(s.name);
        if (it == pipes_.end()) it = pipes_.emplace(s.name, k_.pipe_create(t)).first;
        o = k_.vmsplice(t, v, n, it->second);
        if (o) mon_.vmsplice(it->second, t, n, s.loc.line);
        break;
      }
      case Op::OdirectWrite: case Op::OdirectRead: {
        Vpn v = resolve(t, s.range, &n);
        auto it = dio_files_.find(s.name);
        if (it == dio_files_.end()) it = dio_files_.emplace(s.name, k_.dio_file_create()).first;
        if (s.op == Op::OdirectWrite) {
          o = k_.odirect_write(t, v, n, it->second);
        } else {
          o = k_.odirect_read(t, v, n, it->second);
          // An explicit transfer: what the file held now belongs to the reader's memory.
          if (o) {
            const auto& data = k_.state().dio_files[it->second].pages;
            for (uint64_t i = 0; i < n && i < data.size(); ++i) mon_.write(t, data[i], s.loc.line, shared_at(t, v + i));
          }
        }
        break;
      }
      case Op::PipeRead: {
        value_op = true;
        Token tok = 0;
        o = k_.pipe_read(t, pipes_.at(s.name), &tok);
        values.push_back(Value::integer(tok));
        if (o) mon_.pipe_read(pipes_.at(s.name), t, tok, s.loc.line);
        break;
      }
      case Op::ProcessVmRead: case Op::ProcessVmWrite: {
        const TaskId target = tasks_.at(s.name);
        Vpn v = resolve(target, s.range, &n);
        if (s.op == Op::ProcessVmWrite) {
          o = k_.process_vm_writev(t, target, v, s.value.i);
          // An explicit transfer: the token now belongs to the target's memory.
          if (o) mon_.write(target, s.value.i, s.loc.line, shared_at(target, v));
        } else {
          value_op = true;
          Token tok = 0;
          o = k_.process_vm_readv(t, target, v, &tok);
          values.push_back(Value::integer(tok));
        }
        break;
      }
      case Op::ProcMemRead: case Op::ProcMemWrite: {
        const TaskId target = tasks_.at(s.name);
        Vpn v = resolve(target, s.range, &n);
        Token tok = s.value.i;
        o = k_.proc_mem_rw(t, target, v, s.op == Op::ProcMemWrite, &tok);
        if (s.op == Op::ProcMemRead) {
          value_op = true;
          values.push_back(Value::integer(tok));
        } else if (o) {
          mon_.write(target, s.value.i, s.loc.line, shared_at(target, v));  // an explicit transfer
        }
        break;
      }
      case Op::Vm: case Op::Close: case Op::CheckExtension: case Op::GmemCreate: case Op::GmemFallocate:
      case Op::FileOp: case Op::Convert: case Op::Memslot: case Op::SetMemoryAttributes: case Op::GuestRead:
      case Op::GuestWrite:
        o = kvm_step(s, t, &values, &value_op, &second);
        break;
      case Op::Probe:
        value_op = true;
        if (s.probe == Probe::GmemPages || s.probe == Probe::GmemHuge || s.probe == Probe::GmemLive ||
            s.probe == Probe::VmLive) {
          values.push_back(probe_object(s));
        } else if (!s.range.name.empty() && gmem_probe(s.probe)) {
          const uint64_t lo = s.range.whole ? 0 : s.range.lo;
          const uint64_t hi = s.range.whole ? (gmems_.count(s.range.name) ? st_.gmems[gmems_.at(s.range.name)].npages() : 0)
                                            : s.range.hi;
          for (uint64_t i = lo; i < hi; ++i) values.push_back(probe_gmem(s.range.name, i, s.probe));
          if (values.empty()) values.push_back(Value::none());
        } else if (s.range.name.empty()) {
          values.push_back(probe_mm(t, s.probe));
        } else {
          if (!maps_[t].count(s.range.name)) {
            for (size_t i = 0; i < s.binds.size(); ++i) values.push_back(Value::none());  // its mmap failed
            break;
          }
          Vpn v = resolve(t, s.range, &n);
          for (uint64_t i = 0; i < n; ++i) values.push_back(probe_page(t, v + i, s.probe));
        }
        break;
    }

    return finish_step(s, o, values, value_op, second, result);
  }

  // Bind a step's outcome or values; false if the scenario must stop.
  bool finish_step(const Step& s, const Outcome& o, const std::vector<Value>& values, bool value_op,
                   const std::optional<Value>& second, std::string* result) {
    if (!o) {
      *result = o.name();
      if (s.binds.empty()) {
        res_.errors.push_back(fmt::format("line {}: '{}' failed with {} (bind the result with '-> name' to expect a failure)",
                                          s.loc.line, s.text, o.name()));
        return false;
      }
      for (const std::string& b : s.binds) binds_[b] = Value::of(o);
      if (second && s.binds.size() > 1) binds_[s.binds[1]] = *second;
      return true;
    }
    if (value_op) {
      std::string r;
      for (size_t i = 0; i < s.binds.size() && i < values.size(); ++i) {
        binds_[s.binds[i]] = values[i];
        r += fmt::format("{}{} = {}", r.empty() ? "" : ", ", s.binds[i], values[i].str());
      }
      if (s.binds.empty())
        for (const Value& v : values) r += (r.empty() ? "" : ", ") + v.str();
      *result = r;
    } else {
      *result = "OK";
      for (const std::string& b : s.binds) binds_[b] = Value::of(Outcome::ok());
    }
    if (second && s.binds.size() > 1) binds_[s.binds[1]] = *second;
    return true;
  }

  // The KVM and guest_memfd steps. A name whose creation failed is a bad fd.
  Outcome kvm_step(const Step& s, TaskId t, std::vector<Value>* values, bool* value_op, std::optional<Value>* second) {
    const KvmArgs& a = s.kvm;
    auto vm_of = [&](const std::string& n) { return vms_.count(n) ? vms_.at(n) : kNone; };
    auto gmem_of = [&](const std::string& n) { return gmems_.count(n) ? gmems_.at(n) : kNone; };
    switch (s.op) {
      case Op::Vm: {
        VmId v = kNone;
        Outcome o = k_.kvm_create_vm(t, a.type, &v);
        if (o) vms_[a.vm] = v;
        return o;
      }
      case Op::Close:
        if (vms_.count(s.name)) return k_.vm_close(t, vms_.at(s.name));
        if (gmems_.count(s.name)) return k_.gmem_close(t, gmems_.at(s.name));
        return Outcome::err(EBADF);
      case Op::CheckExtension: {
        *value_op = true;
        const VmId vm = a.vm.empty() ? kNone : vm_of(a.vm);
        if (!a.vm.empty() && vm == kNone) return Outcome::err(EBADF);
        uint64_t x = 0;
        Outcome o = k_.kvm_check_extension(t, vm, a.cap, &x);
        values->push_back(Value::integer(x));
        return o;
      }
      case Op::GmemCreate: {
        const VmId vm = vm_of(a.vm);
        if (vm == kNone) return Outcome::err(EBADF);
        GmemId g = kNone;
        Outcome o = k_.kvm_create_guest_memfd(t, vm, a.size, a.flags, &g);
        if (o) gmems_[a.gmem] = g;
        return o;
      }
      case Op::GmemFallocate: {
        const GmemId g = gmem_of(a.gmem);
        if (g == kNone) return Outcome::err(EBADF);
        if (a.bytes) return k_.gmem_fallocate(t, g, a.mode, a.offset, a.len);
        const uint64_t lo = s.range.whole ? 0 : s.range.lo;
        const uint64_t hi = s.range.whole ? st_.gmems[g].npages() : s.range.hi;
        return k_.gmem_fallocate(t, g, a.mode, int64_t(lo << kPageShift), int64_t((hi - lo) << kPageShift));
      }
      case Op::FileOp: {
        const GmemId g = gmem_of(a.gmem);
        if (g == kNone) return Outcome::err(EBADF);
        return k_.gmem_file_op(t, g, GmemFileOp(a.fop));
      }
      case Op::Convert: {
        const GmemId g = gmem_of(a.gmem);
        if (g == kNone) return Outcome::err(EBADF);
        GmemAttributes req{.gmem = g, .attributes = a.attrs, .flags = a.flags, .reserved = a.reserved};
        if (a.bytes) {
          req.offset = uint64_t(a.offset);
          req.size = a.size;
        } else {
          req.offset = (s.range.whole ? 0 : s.range.lo) << kPageShift;
          req.size = s.range.whole ? st_.gmems[g].size : s.range.count() << kPageShift;
        }
        uint64_t error_offset = 0;
        Outcome o = k_.gmem_set_attributes(t, req, &error_offset);
        // error_offset is written back only on failure (EAGAIN).
        *second = o.kind == Outcome::Kind::Errno && o.code == EAGAIN ? Value::integer(error_offset) : Value::none();
        return o;
      }
      case Op::Memslot: {
        const VmId vm = vm_of(a.vm);
        if (vm == kNone) return Outcome::err(EBADF);
        MemoryRegion r{.slot = a.slot, .flags = uint32_t(a.flags), .gpa = a.gpa, .size = a.size, .uaddr = a.uaddr,
                       .offset = uint64_t(a.offset), .v1 = a.v1};
        if (a.gmem_flag) r.flags |= KVM_MEM_GUEST_MEMFD;
        if (!a.uaddr_map.empty())  // MAP_FAILED if that mmap failed
          r.uaddr = maps_[t].count(a.uaddr_map) ? maps_[t].at(a.uaddr_map).start << kPageShift : ~0ull;
        if (a.gmem.empty()) r.fd = MemoryRegion::Fd::None;
        else if (gmems_.count(a.gmem)) r.fd = MemoryRegion::Fd::Gmem, r.gmem = gmems_.at(a.gmem);
        else if (files_[t].count(a.gmem)) r.fd = MemoryRegion::Fd::NotGmem;
        else r.fd = MemoryRegion::Fd::Bad;
        return k_.kvm_set_user_memory_region(t, vm, r);
      }
      case Op::SetMemoryAttributes: {
        const VmId vm = vm_of(a.vm);
        if (vm == kNone) return Outcome::err(EBADF);
        return k_.kvm_set_memory_attributes(t, vm, a.gpa, a.size, a.attrs, a.flags);
      }
      case Op::GuestRead: case Op::GuestWrite: {
        const VmId vm = vm_of(a.vm);
        if (vm == kNone) return Outcome::err(ESRCH);
        Token tok = s.op == Op::GuestWrite ? s.value.i : 0;
        uint64_t exit = Kernel::kNoExit;
        Outcome o = k_.guest_access(vm, a.gpa, s.op == Op::GuestWrite, &tok, &exit);
        *second = exit == Kernel::kNoExit ? Value::none() : Value::integer(exit);
        if (s.op == Op::GuestRead) {
          *value_op = true;
          values->push_back(Value::integer(tok));
        } else if (o) {
          // The guest writes for the VMM (its memory is shared with it).
          mon_.write(st_.vms[vm].owner, s.value.i, s.loc.line, true);
        }
        return o;
      }
      default: return Outcome::err(EINVAL);
    }
  }

  static bool gmem_probe(Probe p) {
    return p == Probe::GmemPrivate || p == Probe::GmemPresent || p == Probe::GmemUptodate || p == Probe::GmemPfn ||
           p == Probe::GmemRefcount;
  }

  Value probe_gmem(const std::string& name, uint64_t idx, Probe p) const {
    if (!gmems_.count(name)) return Value::none();
    const GmemId g = gmems_.at(name);
    const GmemFile& f = st_.gmems[g];
    if (!f.live || idx >= f.npages()) return Value::none();
    const GmemPage* gp = detail::gmem_find(f, idx);
    switch (p) {
      case Probe::GmemPrivate: return Value::boolean(!k_.gmem_index_shared(g, idx));
      case Probe::GmemPresent: return Value::boolean(gp != nullptr);
      case Probe::GmemUptodate: return Value::boolean(gp && (gp->flags & GMEM_UPTODATE));
      case Probe::GmemPfn: return gp ? Value::pfn(gp->pfn) : Value::none();
      case Probe::GmemRefcount: return gp ? Value::integer(uint64_t(k_.folio(gp->pfn).refcount)) : Value::none();
      default: return Value::none();
    }
  }

  Value probe_object(const Step& s) const {
    if (s.probe == Probe::VmLive) return vms_.count(s.name) ? Value::boolean(st_.vms[vms_.at(s.name)].live) : Value::none();
    if (!gmems_.count(s.name)) return Value::none();
    const GmemFile& f = st_.gmems[gmems_.at(s.name)];
    switch (s.probe) {
      case Probe::GmemLive: return Value::boolean(f.live);
      case Probe::GmemPages: return Value::integer(f.pages.size());
      case Probe::GmemHuge: {
        // Huge folios in the page cache: what survives of the huge pages (HVO kept).
        uint64_t n = 0;
        Pfn last = kNoPfn;
        for (const GmemPage& gp : f.pages) {
          const Pfn h = st_.mem.head(gp.pfn);
          if (st_.mem.folios[h].large() && h != last) ++n;
          last = h;
        }
        return Value::integer(n);
      }
      default: return Value::none();
    }
  }

  bool shared_at(TaskId t, Vpn v) const {
    const Vma* vma = k_.mm_of(t).vma_at(v);
    return vma && vma->is_shared();
  }

  Value probe_page(TaskId t, Vpn v, Probe p) const {
    if (p == Probe::Mincore) {
      const auto m = k_.mincore(t, v);
      return m ? Value::boolean(*m) : Value::none();
    }
    const PagemapEntry pm = k_.pagemap(t, v);
    switch (p) {
      case Probe::Pfn: return pm.present ? Value::pfn(pm.pfn) : Value::none();
      case Probe::Present: return Value::boolean(pm.present);
      case Probe::Swapped: return Value::boolean(pm.swap);
      case Probe::Exclusive: return Value::boolean(pm.exclusive);
      case Probe::SoftDirty: return Value::boolean(pm.soft_dirty);
      case Probe::File: return Value::boolean(pm.file);
      case Probe::UffdWp: return Value::boolean(pm.uffd_wp);
      default: break;
    }
    if (p == Probe::Swapcount) {
      // A swap entry: its slot's swap_count(); a present page: see below.
      const Pte pte = st_.mms[st_.tasks[t].mm].pt.get(v);
      if (pte.is_swap()) return Value::integer(k_.swap_count(uint32_t(pte.val)));
    }
    if (p == Probe::PmdMapped && pm.present && pm.pfn >= detail::kHugeZeroPfn) return Value::boolean(true);  // huge zero PMD
    const auto pfn = k_.mapped_page(t, v);
    if (!pfn) return Value::none();  // nothing (or only the zero page) mapped
    const Folio& f = k_.folio(*pfn);
    switch (p) {
      case Probe::Refcount: return Value::integer(uint64_t(f.refcount));
      // folio_precise_page_mapcount(): PTE mappings of the page plus PMD mappings of its folio.
      case Probe::Mapcount: return Value::integer(uint64_t(k_.page(*pfn).mapcount + f.entire_mapcount));
      case Probe::Pincount:
        // folio_maybe_dma_pinned() view: pincount for large folios, refcount/bias for small.
        // An exclusive pin (gmem-pin=exclusive) counts as one pin.
        if (k_.folio_exclusive_pinned(*pfn))
          return Value::integer(1 + uint64_t(f.large() ? f.pincount - kGupPinExclusiveBias
                                                      : (f.refcount - kGupPinExclusiveBias) / kGupPinCountingBias));
        return Value::integer(uint64_t(f.large() ? f.pincount : f.refcount / kGupPinCountingBias));
      case Probe::AnonExclusive:
        if (!ps_.cow->tracks_anon_exclusive() || !f.test(FOLIO_ANON)) return Value::none();
        return Value::boolean(k_.page_anon_exclusive(*pfn));
      case Probe::Dirty: return Value::boolean(f.test(FOLIO_DIRTY) || st_.mms[st_.tasks[t].mm].pt.get(v).dirty());
      case Probe::Mlocked: return Value::boolean(f.test(FOLIO_MLOCKED));
      case Probe::Lazyfree: return Value::boolean(k_.folio_lazyfree(*pfn));
      // PG_active; none when the folio is on no LRU list (isolated, in the LRU add batch).
      case Probe::Active: return f.test(FOLIO_LRU) ? Value::boolean(f.test(FOLIO_ACTIVE)) : Value::none();
      case Probe::Unevictable: return Value::boolean(f.test(FOLIO_UNEVICTABLE));
      case Probe::Swapcache: return Value::boolean(f.test(FOLIO_SWAPCACHE));
      case Probe::Swapcount:
        return f.test(FOLIO_SWAPCACHE) ? Value::integer(k_.swap_count(f.swap)) : Value::none();
      case Probe::LruBatch: return Value::boolean(f.test(FOLIO_LRU_BATCH));
      case Probe::Thp: return Value::boolean(f.large());  // /proc/kpageflags KPF_THP
      case Probe::PmdMapped: {
        bool pmd = false;
        detail::effective_pte(st_, st_.mms[st_.tasks[t].mm], v, &pmd);
        return Value::boolean(pmd);
      }
      default: return Value::none();
    }
  }

  Value probe_mm(TaskId t, Probe p) const {
    const Mm& mm = k_.mm_of(t);
    switch (p) {
      case Probe::HasPinned:
        if (!ps_.cow->tracks_has_pinned()) return Value::none();
        return Value::boolean(mm.test(MMF_HAS_PINNED));
      case Probe::RssAnon: return Value::integer(uint64_t(mm.rss.anon));
      case Probe::RssShmem: return Value::integer(uint64_t(mm.rss.shmem));
      case Probe::RssFile: return Value::integer(uint64_t(mm.rss.file));
      case Probe::LockedVm: return Value::integer(uint64_t(mm.rss.locked_vm));
      case Probe::RssSwap: return Value::integer(uint64_t(mm.rss.swapents));
      case Probe::FreePages: return Value::integer(st_.mem.nr_free);
      case Probe::FreeSwap: {
        uint64_t n = 0;
        for (const SwapSlot& slot : st_.swap) n += !slot.used();
        return Value::integer(n);
      }
      default: return Value::none();
    }
  }

  const Scenario& sc_;
  State st_;
  PolicySet ps_;
  Kernel k_;
  RunOptions opt_;
  RunResult& res_;
  bool finished_ = false;
  std::string skipped_;  // why this (scenario, profile) cannot run, if it cannot
  std::map<std::string, TaskId> tasks_;
  std::map<TaskId, std::map<std::string, Mapping>> maps_;
  std::map<TaskId, std::map<std::string, FileId>> files_;
  std::map<std::string, GupId> pins_;
  std::map<std::string, PipeId> pipes_;
  std::map<std::string, uint32_t> dio_files_;  // O_DIRECT files by name
  std::map<std::string, VmId> vms_;      // KVM VMs by name
  std::map<std::string, GmemId> gmems_;  // guest_memfd files by name
  std::map<std::string, Value> binds_;
  uint64_t next_seq_ = 0;
  Monitor mon_;
};

}  // namespace

RunResult run_scenario(const Scenario& sc, const std::string& profile,
                       const std::map<std::string, std::string>& policies, const RunOptions& opt) {
  RunResult res;
  res.scenario = &sc;
  res.profile = profile;
  res.policies = policies;
  Config cfg;
  std::string err;
  auto ps = make_policy_set(policies, &err);
  if (!ps || !config_from_scenario(sc.config, &cfg, &err)) {
    res.errors.push_back(err);
    return res;
  }
  if (cfg.mthp_set && !ps->mthp->anon_orders()) {
    // cow.c's thp_supported_orders() finds no hugepages-<size>kB directory
    // before 6.8: the per-size variants are not run. Nothing can be said
    // under this profile.
    res.skipped = "per-size THP (config mthp=) needs Linux 6.8+ (no transparent_hugepage/hugepages-<size>kB/enabled)";
    for (const Expect* e : active_expectations(sc, profile, policies))
      res.expects.push_back({e, ExpectResult::Status::Skipped, {}, {}});
    res.passed = false;
    return res;
  }
  Runner r(sc, cfg, *ps, opt, res);
  r.run();
  res.state_hash = r.hash();
  res.bindings = r.bindings();
  res.leaks = r.monitor().leak_events();
  res.lost_coherence = r.monitor().coherence_events();
  res.state_reuse = r.monitor().state_reuse_events();
  res.swapped_droppable = r.monitor().swapped_droppable_events();
  res.skipped = r.skipped();
  const auto active = active_expectations(sc, profile, policies);
  if (!res.skipped.empty()) {
    // Nothing can be said under this profile: every expectation is skipped.
    for (const Expect* e : active) res.expects.push_back({e, ExpectResult::Status::Skipped, {}, {}});
    res.passed = false;
    return res;
  }
  auto expected_by_scenario = [&](const char* name) {
    for (const Expect* e : active)
      if (e->lhs == name) return true;
    return false;
  };
  // A check's events fail the run unless the scenario states how many it expects.
  if (r.finished())
    for (const CheckInfo& k : kChecks)
      if (!expected_by_scenario(k.bound)) {
        const auto& ev = r.monitor().events(k.bound);
        res.errors.insert(res.errors.end(), ev.begin(), ev.end());
      }
  bool all = r.finished() && res.errors.empty();
  for (const Expect* e : active) {
    ExpectResult er{e, ExpectResult::Status::NotRun, {}, {}};
    const CheckInfo* lhs_check = check_binding(e->lhs);
    if (lhs_check && !(opt.checks.*lhs_check->on)) {
      er.status = ExpectResult::Status::Skipped;
      res.expects.push_back(er);
      continue;
    }
    if (r.finished()) {
      auto get = [&](const std::string& name, Value* v) {
        if (check_binding(name)) return *v = Value::integer(r.monitor().events(name).size()), true;
        auto it = r.bindings().find(name);
        if (it == r.bindings().end()) return false;
        *v = it->second;
        return true;
      };
      const bool have_lhs = get(e->lhs, &er.actual);
      const bool have_rhs = e->rhs.is_name ? get(e->rhs.name, &er.expected) : (er.expected = e->rhs.literal, true);
      if (have_lhs && have_rhs) {
        const bool eq = values_equal(er.actual, er.expected);
        er.status = eq == e->equal ? ExpectResult::Status::Pass : ExpectResult::Status::Fail;
      }
    }
    if (er.status == ExpectResult::Status::Fail || er.status == ExpectResult::Status::NotRun) all = false;
    res.expects.push_back(er);
  }
  res.passed = all;
  return res;
}

}  // namespace mmsim
