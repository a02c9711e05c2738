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
    case ADV_REMOVE: return "remove";
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
  const KvmArgs& k = s.kvm;
  if (s.actor == "guest") {
    if (s.op == Op::GuestWrite) return fmt::format("guest {}: write {:#x} = {}{}", k.vm, k.gpa, s.value.str(), binds(s));
    return fmt::format("guest {}: read {:#x}{}", k.vm, k.gpa, binds(s));
  }
  if (s.actor == "kernel")
    return fmt::format("{}{}{}", s.op == Op::Khugepaged ? "khugepaged" : "reclaim",
                       s.pages ? fmt::format(" {}", s.pages) : "", binds(s));
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
      if (!k.gmem.empty()) body += " gmem " + k.gmem;
      if (k.offset) body += fmt::format(" offset {:#x}", uint64_t(k.offset));
      if (s.prot & PROT_EXEC_) body += " exec";
      break;
    }
    case Op::Vm: body = fmt::format("vm {} type {}", k.vm, k.type); break;
    case Op::Close: body = "close " + s.name; break;
    case Op::CheckExtension: body = fmt::format("check_extension {}{}", k.vm.empty() ? "" : k.vm + " ", k.cap); break;
    case Op::GmemCreate: body = fmt::format("gmem {} = create {} size {:#x} flags {:#x}", k.gmem, k.vm, k.size, k.flags); break;
    case Op::GmemFallocate: {
      if (k.bytes) {
        body = fmt::format("fallocate {} offset {} len {}", k.gmem, k.offset, k.len);
        constexpr std::pair<uint32_t, const char*> kModes[] = {
            {FALLOC_FL_KEEP_SIZE, "keep_size"},       {FALLOC_FL_PUNCH_HOLE, "punch_hole"},
            {FALLOC_FL_ZERO_RANGE, "zero_range"},     {FALLOC_FL_COLLAPSE_RANGE, "collapse_range"},
            {FALLOC_FL_INSERT_RANGE, "insert_range"}, {FALLOC_FL_UNSHARE_RANGE, "unshare_range"}};
        for (auto& [bit, w] : kModes)
          if (k.mode & bit) body += std::string(" ") + w;
      } else {
        body = "fallocate " + print_range(s.range);
        if (k.mode & FALLOC_FL_PUNCH_HOLE) body += " punch";
      }
      break;
    }
    case Op::FileOp: {
      constexpr const char* kFileOps[] = {"read", "write", "pread", "pwrite", "lseek", "ftruncate", "fchmod", "fsync",
                                          "ioctl", "splice", "copy_file_range", "add_seals", "flock", "fadvise", "reopen"};
      body = fmt::format("file_op {} {}", k.gmem, k.fop >= 0 && k.fop < 15 ? kFileOps[k.fop] : "?");
      break;
    }
    case Op::Convert:
      if (k.bytes) {
        body = fmt::format("convert {} offset {} size {} attrs {}", k.gmem, k.offset, k.size, k.attrs);
        if (k.flags) body += fmt::format(" flags {}", k.flags);
        if (k.reserved) body += " reserved";
      } else {
        body = fmt::format("convert {} {}", print_range(s.range), k.attrs ? "private" : "shared");
      }
      break;
    case Op::Memslot:
      body = fmt::format("memslot {} {} gpa {:#x} size {:#x}", k.vm, k.slot, k.gpa, k.size);
      if (!k.gmem.empty()) body += (k.gmem_flag ? " gmem " : " fd ") + k.gmem;
      if (k.offset) body += fmt::format(" offset {:#x}", uint64_t(k.offset));
      if (!k.uaddr_map.empty()) body += " uaddr " + k.uaddr_map;
      else if (k.uaddr) body += fmt::format(" uaddr {:#x}", k.uaddr);
      if (k.flags) body += fmt::format(" flags {}", k.flags);
      if (k.v1) body += " v1";
      break;
    case Op::SetMemoryAttributes:
      body = fmt::format("set_memory_attributes {} gpa {:#x} size {:#x} attrs {}", k.vm, k.gpa, k.size, k.attrs);
      if (k.flags) body += fmt::format(" flags {}", k.flags);
      break;
    case Op::ProcMemRead: body = fmt::format("proc_mem_read {} {}", s.name, print_range(s.range)); break;
    case Op::ProcMemWrite:
      body = fmt::format("proc_mem_write {} {} = {}", s.name, print_range(s.range), s.value.str());
      break;
    case Op::Memfd:
      body = fmt::format("{} {} {}{}", s.file_kind == uint8_t(FileKind::Regular) ? "tmpfile" : "memfd", s.name, s.pages,
                         s.file_kind == uint8_t(FileKind::Hugetlb) ? " hugetlb" : "");
      break;
    case Op::Fallocate: body = fmt::format("fallocate {}", s.name); break;
    case Op::Munmap: body = "munmap " + print_range(s.range); break;
    case Op::Mlock: body = "mlock " + print_range(s.range); break;
    case Op::Munlock: body = "munlock " + print_range(s.range); break;
    case Op::KsmMerge: body = "ksm_merge " + print_range(s.range); break;
    case Op::Mprotect:
      body = fmt::format("mprotect {} {}{}", print_range(s.range), prot_word(s.prot), (s.prot & PROT_EXEC_) ? " exec" : "");
      break;
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
      if (s.foll & FOLL_EXCLUSIVE) body += " exclusive";
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
    case Op::OdirectWrite: body = fmt::format("odirect_write {} -> file {}", print_range(s.range), s.name); break;
    case Op::OdirectRead: body = fmt::format("odirect_read {} <- file {}", print_range(s.range), s.name); break;
    case Op::UffdRegister: body = fmt::format("uffd_register {} wp", print_range(s.range)); break;
    case Op::UffdWp: body = "uffd_writeprotect " + print_range(s.range); break;
    case Op::UffdUnwp: body = fmt::format("uffd_writeprotect {} off", print_range(s.range)); break;
    case Op::LruAddDrain: body = "lru_add_drain"; break;
    case Op::SplitPmdBegin: body = "split_pmd_begin " + print_range(s.range); break;
    case Op::SplitPmdEnd: body = "split_pmd_end " + print_range(s.range); break;
    case Op::Mremap: body = fmt::format("mremap {} {}", print_range(s.range), s.name); break;
    case Op::DmaRead: case Op::DmaWrite: break;  // actor "dma", above
    case Op::Reclaim: case Op::Khugepaged: break;  // actor "kernel", above
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
      else if (!s.name.empty()) body += " " + s.name;  // gmem_pages G, vm_live V, ...
      break;
    default:  // steps the explorer never writes: the keyword and the range, if any
      body = std::string(op_name(s.op));
      // append(), not `" " + ...`: GCC 12's -Wrestrict false positive (PR 105329) on the temporary
      if (!s.range.name.empty()) body.append(" ").append(print_range(s.range));
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
