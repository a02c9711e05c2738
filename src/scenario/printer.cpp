#include "scenario/printer.hpp"

#include <fmt/format.h>

#include "model/kernel.hpp"
#include "model/objects.hpp"
#include "scenario/parser.hpp"

namespace mmsim {
namespace {

std::string prot_word(int prot) {
  if ((prot & PROT_READ_) && (prot & PROT_WRITE_)) return "rw";
  if (prot & PROT_READ_) return "r";
  return "none";
}

std::string advice_word(int advice) {
  switch (advice) {
    case ADV_DONTNEED: return "dontneed";
    case ADV_DONTFORK: return "dontfork";
    case ADV_DOFORK: return "dofork";
    case ADV_HUGEPAGE: return "hugepage";
    case ADV_NOHUGEPAGE: return "nohugepage";
    case ADV_DONTDUMP: return "dontdump";
    case ADV_DODUMP: return "dodump";
    case ADV_WIPEONFORK: return "wipeonfork";
    case ADV_KEEPONFORK: return "keeponfork";
    case ADV_POPULATE_READ: return "populate_read";
    case ADV_POPULATE_WRITE: return "populate_write";
    case ADV_COLLAPSE: return "collapse";
    case ADV_FREE: return "free";
    case ADV_COLD: return "cold";
    case ADV_PAGEOUT: return "pageout";
  }
  return fmt::format("advice{}", advice);
}

std::string binds(const Step& s) {
  if (s.binds.empty()) return "";
  return " -> " + fmt::format("{}", fmt::join(s.binds, ", "));
}

}  // namespace

std::string print_range(const RangeRef& r) {
  if (r.whole) return r.name;
  if (r.hi == r.lo + 1) return fmt::format("{}[{}]", r.name, r.lo);
  return fmt::format("{}[{}:{}]", r.name, r.lo, r.hi);
}

std::string print_step(const Step& s) {
  if (s.actor == "kernel") return fmt::format("reclaim{}{}", s.pages ? fmt::format(" {}", s.pages) : "", binds(s));
  if (s.actor == "dma") {
    if (s.op == Op::DmaWrite) return fmt::format("dma write {} = {}{}", print_range(s.range), s.value.str(), binds(s));
    return fmt::format("dma read {}{}", print_range(s.range), binds(s));
  }
  std::string body;
  switch (s.op) {
    case Op::Mmap: {
      body = fmt::format("mmap {} {} {}", s.name, s.pages, prot_word(s.prot));
      if (s.map_flags & MAPF_SHARED) body += " shared";
      if (s.map_flags & MAPF_POPULATE) body += " populate";
      if (s.map_flags & MAPF_LOCKED) body += " locked";
      if (s.map_flags & MAPF_NORESERVE) body += " noreserve";
      if (s.map_flags & MAPF_HUGETLB) body += " hugetlb";
      if (s.map_flags & MAPF_DROPPABLE) body += " droppable";
      if (s.map_flags & MAPF_GROWSDOWN) body += " growsdown";
      if (s.refill == Refill::Generation) body += " refill gen";
      if (s.refill == Refill::Token) body += " refill " + s.value.str();
      if (!s.file.empty()) body += " file " + s.file;
      break;
    }
    case Op::Memfd: body = fmt::format("memfd {} {}", s.name, s.pages); break;
    case Op::Fallocate: body = fmt::format("fallocate {}", s.name); break;
    case Op::Munmap: body = "munmap " + print_range(s.range); break;
    case Op::Mlock: body = "mlock " + print_range(s.range); break;
    case Op::Munlock: body = "munlock " + print_range(s.range); break;
    case Op::KsmMerge: body = "ksm_merge " + print_range(s.range); break;
    case Op::Mprotect: body = fmt::format("mprotect {} {}", print_range(s.range), prot_word(s.prot)); break;
    case Op::Madvise: body = fmt::format("madvise {} {}", print_range(s.range), advice_word(s.advice)); break;
    case Op::Read: body = "read " + print_range(s.range); break;
    case Op::PipeRead: body = "read pipe " + s.name; break;
    case Op::Write: body = fmt::format("write {} = {}", print_range(s.range), s.value.str()); break;
    case Op::Fork: body = "fork " + s.name; break;
    case Op::Exit: body = "exit"; break;
    case Op::Pin: case Op::Gup: {
      body = fmt::format("{} {} = {}", s.op == Op::Pin ? "pin" : "gup", s.name, print_range(s.range));
      if (s.foll & FOLL_WRITE) body += " write";
      if (s.foll & FOLL_LONGTERM) body += " longterm";
      if (s.foll & FOLL_FAST) body += " fast";
      break;
    }
    case Op::Unpin: body = "unpin " + s.name + (s.dirty ? " dirty" : ""); break;
    case Op::Put: body = "put " + s.name; break;
    case Op::Vmsplice: body = fmt::format("vmsplice {} -> pipe {}", print_range(s.range), s.name); break;
    case Op::ProcessVmRead: body = fmt::format("process_vm_read {} {}", s.name, print_range(s.range)); break;
    case Op::ProcessVmWrite:
      body = fmt::format("process_vm_write {} {} = {}", s.name, print_range(s.range), s.value.str());
      break;
    case Op::ClearRefs: body = "clear_refs"; break;
    case Op::UffdRegister: body = fmt::format("uffd_register {} wp", print_range(s.range)); break;
    case Op::UffdWp: body = "uffd_writeprotect " + print_range(s.range); break;
    case Op::UffdUnwp: body = fmt::format("uffd_writeprotect {} off", print_range(s.range)); break;
    case Op::LruAddDrain: body = "lru_add_drain"; break;
    case Op::Mremap: body = fmt::format("mremap {} {}", print_range(s.range), s.name); break;
    case Op::DmaRead: case Op::DmaWrite: break;  // actor "dma", above
    case Op::Reclaim: break;                     // actor "kernel", above
    case Op::Mlockall:
      body = "mlockall";
      if (s.mcl & MCL_CURRENT_) body += " current";
      if (s.mcl & MCL_FUTURE_) body += " future";
      if (s.mcl & MCL_ONFAULT_) body += " onfault";
      break;
    case Op::Munlockall: body = "munlockall"; break;
    case Op::SetrlimitMemlock: body = fmt::format("setrlimit memlock {}", s.pages); break;
    case Op::Getrandom: body = "getrandom " + print_range(s.range); break;
    case Op::Probe:
      body = std::string(probe_name(s.probe));
      if (!s.range.name.empty()) body += " " + print_range(s.range);
      break;
    default:  // steps the explorer never writes: the keyword and the range, if any
      body = std::string(op_name(s.op));
      if (!s.range.name.empty()) body += " " + print_range(s.range);
      break;
  }
  return fmt::format("{}: {}{}", s.actor, body, binds(s));
}

std::string print_expect(const Expect& e) {
  std::string q = e.quals.empty() ? "" : fmt::format("[{}]", fmt::join(e.quals, ","));
  const std::string rhs = e.rhs.is_name ? e.rhs.name : !e.rhs.text.empty() ? e.rhs.text : e.rhs.literal.str();
  return fmt::format("expect{} {} {} {}", q, e.lhs, e.equal ? "==" : "!=", rhs);
}

std::string print_scenario(const Scenario& sc, const std::string& header) {
  std::string out = header;
  if (!out.empty() && out.back() != '\n') out += '\n';
  if (!sc.name.empty()) out += "scenario " + sc.name + "\n";
  if (!sc.doc.empty()) out += "doc \"" + sc.doc + "\"\n";
  for (const std::string& r : sc.refs) out += "ref " + r + "\n";
  if (!sc.config.empty()) {
    out += "config";
    for (auto& [k, v] : sc.config) out += " " + k + "=" + v;
    out += "\n";
  }
  out += "\n";
  for (const Step& s : sc.steps) out += print_step(s) + "\n";
  if (!sc.expects.empty()) out += "\n";
  for (const Expect& e : sc.expects) out += print_expect(e) + "\n";
  return out;
}

}  // namespace mmsim
