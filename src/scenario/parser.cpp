#include "scenario/parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <cctype>
#include <fstream>
#include <sstream>

#include "model/kernel.hpp"
#include "model/objects.hpp"
#include "scenario/lexer.hpp"

namespace mmsim {

std::string Diagnostic::str() const { return fmt::format("{}:{}:{}: {}", file, loc.line, loc.col, message); }

namespace {

// Where a probe looks: one value per page of a range, the process's mm,
// the whole machine (any process may ask), a range of guest_memfd indices,
// or one guest_memfd / VM by name.
enum class Scope : uint8_t { Page, Mm, Global, GmemIndex, Object };
struct ProbeInfo {
  std::string_view word;
  Probe probe;
  Scope scope;
};
constexpr ProbeInfo kProbes[] = {
    {"pfn", Probe::Pfn, Scope::Page},
    {"present", Probe::Present, Scope::Page},
    {"swapped", Probe::Swapped, Scope::Page},
    {"exclusive", Probe::Exclusive, Scope::Page},
    {"softdirty", Probe::SoftDirty, Scope::Page},
    {"file", Probe::File, Scope::Page},
    {"uffd_wp", Probe::UffdWp, Scope::Page},
    {"refcount", Probe::Refcount, Scope::Page},
    {"mapcount", Probe::Mapcount, Scope::Page},
    {"pincount", Probe::Pincount, Scope::Page},
    {"anon_exclusive", Probe::AnonExclusive, Scope::Page},
    {"dirty", Probe::Dirty, Scope::Page},
    {"mlocked", Probe::Mlocked, Scope::Page},
    {"lru_batch", Probe::LruBatch, Scope::Page},
    {"thp", Probe::Thp, Scope::Page},
    {"pmd_mapped", Probe::PmdMapped, Scope::Page},
    {"has_pinned", Probe::HasPinned, Scope::Mm},
    {"rss_anon", Probe::RssAnon, Scope::Mm},
    {"rss_shmem", Probe::RssShmem, Scope::Mm},
    {"locked_vm", Probe::LockedVm, Scope::Mm},
    {"lazyfree", Probe::Lazyfree, Scope::Page},
    {"active", Probe::Active, Scope::Page},
    {"unevictable", Probe::Unevictable, Scope::Page},
    {"swapcache", Probe::Swapcache, Scope::Page},
    {"swapcount", Probe::Swapcount, Scope::Page},
    {"rss_swap", Probe::RssSwap, Scope::Mm},
    {"free_pages", Probe::FreePages, Scope::Global},
    {"free_swap", Probe::FreeSwap, Scope::Global},
    {"mincore", Probe::Mincore, Scope::Page},
    {"rss_file", Probe::RssFile, Scope::Mm},
    {"gmem_private", Probe::GmemPrivate, Scope::GmemIndex},
    {"gmem_present", Probe::GmemPresent, Scope::GmemIndex},
    {"gmem_uptodate", Probe::GmemUptodate, Scope::GmemIndex},
    {"gmem_pfn", Probe::GmemPfn, Scope::GmemIndex},
    {"gmem_refcount", Probe::GmemRefcount, Scope::GmemIndex},
    {"gmem_pages", Probe::GmemPages, Scope::Object},
    {"gmem_huge", Probe::GmemHuge, Scope::Object},
    {"gmem_live", Probe::GmemLive, Scope::Object},
    {"vm_live", Probe::VmLive, Scope::Object},
};

constexpr struct {
  std::string_view word;
  int advice;
} kAdvice[] = {
    {"dontneed", ADV_DONTNEED},     {"dontfork", ADV_DONTFORK},           {"dofork", ADV_DOFORK},
    {"dontdump", ADV_DONTDUMP},     {"dodump", ADV_DODUMP},               {"wipeonfork", ADV_WIPEONFORK},
    {"keeponfork", ADV_KEEPONFORK}, {"populate_read", ADV_POPULATE_READ}, {"populate_write", ADV_POPULATE_WRITE},
    {"hugepage", ADV_HUGEPAGE},     {"nohugepage", ADV_NOHUGEPAGE},       {"collapse", ADV_COLLAPSE},
    {"free", ADV_FREE},             {"cold", ADV_COLD},                   {"pageout", ADV_PAGEOUT},
    {"remove", ADV_REMOVE},
};

constexpr struct {
  std::string_view word;
  unsigned flag;
} kMcl[] = {{"current", MCL_CURRENT_}, {"future", MCL_FUTURE_}, {"onfault", MCL_ONFAULT_}};

constexpr std::string_view kMmapFlags[] = {"anon", "shared", "populate", "locked", "noreserve", "hugetlb",
                                           "droppable", "growsdown", "refill", "file", "gmem", "offset", "exec"};

// Every operation word after 'Pn:' (probes are listed separately).
constexpr std::string_view kOps[] = {"mmap", "munmap", "mprotect", "madvise", "mlock", "munlock", "read", "write",
                                     "fork", "exit", "pin", "gup", "unpin", "put", "vmsplice", "process_vm_read",
                                     "process_vm_write", "clear_refs", "uffd_register", "uffd_writeprotect",
                                     "ksm_merge", "memfd", "tmpfile", "fallocate", "lru_add_drain", "mremap", "mlockall",
                                     "munlockall", "setrlimit", "getrandom", "vm", "close", "check_extension", "gmem",
                                     "file_op", "convert", "memslot", "set_memory_attributes", "proc_mem_read",
                                     "proc_mem_write", "split_pmd_begin", "split_pmd_end", "odirect_write",
                                     "odirect_read"};

struct ParseError {
  int col;
  std::string message;
};

std::string join_words(auto&& range) {
  std::string s;
  for (auto& x : range) {
    if (!s.empty()) s += ", ";
    s += x.word;
  }
  return s;
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t prev = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cur = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1)});
      prev = cur;
    }
  }
  return row[b.size()];
}

// " (did you mean 'write'?)" when one candidate is close.
template <class Range, class Get>
std::string did_you_mean(std::string_view w, const Range& cands, Get get) {
  std::string best;
  size_t bd = 3;
  for (const auto& c : cands) {
    const std::string_view s = get(c);
    const size_t d = edit_distance(w, s);
    if (d < bd) {
      bd = d;
      best = std::string(s);
    }
  }
  return best.empty() ? "" : " — did you mean '" + best + "'?";
}

bool is_task_name(std::string_view w) {
  if (w.size() < 2 || w[0] != 'P') return false;
  for (size_t i = 1; i < w.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(w[i]))) return false;
  return true;
}

bool is_ident(std::string_view w) {
  if (w.empty() || !(std::isalpha(static_cast<unsigned char>(w[0])) || w[0] == '_')) return false;
  for (char c : w)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

class LineParser {
 public:
  LineParser(const std::vector<Tok>& toks, int line) : t_(toks), line_(line) {}

  const Tok& peek() const { return t_[pos_]; }
  bool at_end() const { return peek().kind == Tok::Kind::End; }
  Loc loc() const { return {line_, peek().col}; }

  [[noreturn]] void fail(const std::string& what) const {
    const Tok& t = peek();
    std::string got = t.kind == Tok::Kind::End ? "end of line" : fmt::format("'{}'", t.text);
    throw ParseError{t.col, fmt::format("expected {}, got {}", what, got)};
  }
  bool accept(std::string_view punct) {
    if (peek().kind == Tok::Kind::Punct && peek().text == punct) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool accept_word(std::string_view w) {
    if (peek().kind == Tok::Kind::Word && peek().text == w) {
      ++pos_;
      return true;
    }
    return false;
  }
  void expect(std::string_view punct, std::string_view what) {
    if (!accept(punct)) fail(std::string(what));
  }
  std::string word(std::string_view what) {
    if (peek().kind != Tok::Kind::Word) fail(std::string(what));
    return t_[pos_++].text;
  }
  std::string ident(std::string_view what) {
    if (peek().kind != Tok::Kind::Word || !is_ident(peek().text)) fail(std::string(what));
    return t_[pos_++].text;
  }
  std::string string(std::string_view what) {
    if (peek().kind != Tok::Kind::String) fail(std::string(what));
    return t_[pos_++].text;
  }
  uint64_t number(std::string_view what) {
    if (peek().kind == Tok::Kind::Word)
      if (auto v = parse_literal(peek().text); v && v->kind == Value::Kind::Int) {
        ++pos_;
        return v->i;
      }
    fail(std::string(what));
  }
  Value literal(std::string_view what) {
    if (peek().kind == Tok::Kind::Word)
      if (auto v = parse_literal(peek().text)) {
        ++pos_;
        return *v;
      }
    fail(std::string(what));
  }
  // A byte quantity: an integer (decimal or 0x hex), optionally with a unit
  // suffix p (pages of 4 KiB), K, M, G or T; `neg` allows a leading '-'.
  int64_t quantity(std::string_view what, bool neg = false) {
    if (peek().kind == Tok::Kind::Word)
      if (auto v = parse_quantity(peek().text, neg)) {
        ++pos_;
        return *v;
      }
    fail(std::string(what));
  }
  static std::optional<int64_t> parse_quantity(std::string_view w, bool neg) {
    bool minus = false;
    if (neg && w.size() > 1 && w[0] == '-') minus = true, w.remove_prefix(1);
    int shift = 0;
    if (!w.empty()) switch (w.back()) {
        case 'p': shift = 12; break;
        case 'K': shift = 10; break;
        case 'M': shift = 20; break;
        case 'G': shift = 30; break;
        case 'T': shift = 40; break;
        default: break;
      }
    if (shift) w.remove_suffix(1);
    auto v = parse_literal(w);
    if (!v || v->kind != Value::Kind::Int) return std::nullopt;
    if (shift && v->i > (~0ull >> shift)) return std::nullopt;
    const uint64_t x = v->i << shift;
    return minus ? -int64_t(x) : int64_t(x);
  }
  RangeRef range(std::string_view what) {
    RangeRef r;
    r.loc = loc();
    r.name = ident(what);
    if (accept("[")) {
      r.whole = false;
      r.lo = number("a page index");
      r.hi = r.lo + 1;
      if (accept(":")) r.hi = number("the end of the page range");
      expect("]", "']'");
      if (r.hi <= r.lo) throw ParseError{r.loc.col, fmt::format("empty page range {}[{}:{}]", r.name, r.lo, r.hi)};
    }
    return r;
  }
  int prot() {
    const std::string w = word("a protection (rw, r or none)");
    if (w == "rw") return PROT_READ_ | PROT_WRITE_;
    if (w == "r") return PROT_READ_;
    if (w == "none") return PROT_NONE_;
    --pos_;
    fail("a protection (rw, r or none)");
  }
  // '-> name[, name]' at the end of a step.
  void binds(Step& s) {
    if (!accept("->")) return;
    s.bind_loc = loc();
    do s.binds.push_back(ident("a name to bind")); while (accept(","));
  }
  void end() {
    if (!at_end()) fail("end of line");
  }

 private:
  const std::vector<Tok>& t_;
  size_t pos_ = 0;
  int line_;
};

// The KVM and guest_memfd steps (README "KVM and guest_memfd"). False if `op` is none of them.
bool parse_kvm_op(LineParser& p, Step& s, const std::string& op, Loc op_loc) {
  KvmArgs& k = s.kvm;
  auto opt_flags = [&](std::initializer_list<std::pair<std::string_view, uint64_t>> words, std::string_view what,
                       auto&& extra) {
    while (!p.at_end() && p.peek().kind == Tok::Kind::Word) {
      const Loc wl = p.loc();
      const std::string w = p.word("");
      bool found = false;
      for (auto& [name, bit] : words)
        if (name == w) k.flags |= bit, found = true;
      if (!found && !extra(w))
        throw ParseError{wl.col, fmt::format("unknown word '{}' (expected {})", w, what)};
    }
  };
  if (op == "vm") {
    s.op = Op::Vm;
    k.vm = p.ident("a name for the VM");
    constexpr std::pair<std::string_view, uint32_t> kTypes[] = {
        {"default", KVM_X86_DEFAULT_VM}, {"sw_protected", KVM_X86_SW_PROTECTED_VM}, {"sev", KVM_X86_SEV_VM},
        {"sev_es", KVM_X86_SEV_ES_VM},   {"snp", KVM_X86_SNP_VM},                   {"tdx", KVM_X86_TDX_VM}};
    if (p.accept_word("type")) {
      k.type = uint32_t(p.number("a VM type number"));
    } else if (!p.at_end() && p.peek().kind == Tok::Kind::Word) {
      const Loc tl = p.loc();
      const std::string t = p.word("");
      bool found = false;
      for (auto& [w, v] : kTypes)
        if (w == t) k.type = v, found = true;
      if (!found)
        throw ParseError{tl.col, fmt::format("unknown VM type '{}' (expected default, sw_protected, sev, sev_es, snp, "
                                             "tdx or type N)", t)};
    }
  } else if (op == "close") {
    s.op = Op::Close;
    s.name = p.ident("a VM or guest_memfd name");
  } else if (op == "check_extension") {
    s.op = Op::CheckExtension;
    constexpr std::pair<std::string_view, uint32_t> kCaps[] = {
        {"user_memory2", 231}, {"memory_fault_info", 232}, {"memory_attributes", 233}, {"guest_memfd", 234},
        {"vm_types", 235}, {"pre_fault_memory", 236}, {"guest_memfd_flags", 244},
        {"guest_memfd_memory_attributes", 250}};
    const Loc cl = p.loc();
    std::string w = p.word("a capability name, or a VM name and a capability");
    auto cap_of = [&](const std::string& x) -> std::optional<uint32_t> {
      for (auto& [n, v] : kCaps)
        if (n == x) return v;
      if (auto v = parse_literal(x); v && v->kind == Value::Kind::Int) return uint32_t(v->i);
      return std::nullopt;
    };
    if (auto c = cap_of(w)) {
      k.cap = *c;
    } else {
      if (!is_ident(w)) throw ParseError{cl.col, fmt::format("expected a capability or a VM name, got '{}'", w)};
      k.vm = w;
      const Loc l2 = p.loc();
      const std::string c2 = p.word("a capability (guest_memfd_flags, memory_attributes, ...)");
      auto c2v = cap_of(c2);
      if (!c2v)
        throw ParseError{l2.col, fmt::format("unknown capability '{}' (expected user_memory2, memory_fault_info, "
                                             "memory_attributes, guest_memfd, vm_types, pre_fault_memory, "
                                             "guest_memfd_flags, guest_memfd_memory_attributes or a number)", c2)};
      k.cap = *c2v;
    }
  } else if (op == "gmem") {
    s.op = Op::GmemCreate;
    k.gmem = p.ident("a name for the guest_memfd");
    p.expect("=", "'=' and 'create VM size N'");
    if (!p.accept_word("create")) p.fail("'create'");
    k.vm = p.ident("the VM's name");
    if (!p.accept_word("size")) p.fail("'size' and the size in bytes (or Np pages)");
    k.size = uint64_t(p.quantity("a size in bytes (or Np pages)"));
    opt_flags({{"mmap", GUEST_MEMFD_FLAG_MMAP}, {"init_shared", GUEST_MEMFD_FLAG_INIT_SHARED},
               {"hugetlb", GUEST_MEMFD_FLAG_HUGETLB}},
              "mmap, init_shared, hugetlb or flags N", [&](const std::string& w) {
                if (w != "flags") return false;
                k.flags |= p.number("a flags value");
                return true;
              });
  } else if (op == "file_op") {
    s.op = Op::FileOp;
    k.gmem = p.ident("a guest_memfd name");
    constexpr std::string_view kFileOps[] = {"read", "write", "pread", "pwrite", "lseek", "ftruncate", "fchmod", "fsync",
                                         "ioctl", "splice", "copy_file_range", "add_seals", "flock", "fadvise", "reopen"};
    const Loc l = p.loc();
    const std::string w = p.word("a file operation");
    k.fop = -1;
    for (size_t i = 0; i < std::size(kFileOps); ++i)
      if (kFileOps[i] == w) k.fop = int(i);
    if (k.fop < 0)
      throw ParseError{l.col, fmt::format("unknown file operation '{}' (expected {})", w, fmt::join(kFileOps, ", "))};
  } else if (op == "convert") {
    s.op = Op::Convert;
    s.range = p.range("guest_memfd indices (G, G[3] or G[0:4])");
    k.gmem = s.range.name;
    if (s.range.whole && p.accept_word("offset")) {
      k.bytes = true;
      k.offset = p.quantity("an offset in bytes");
      if (!p.accept_word("size")) p.fail("'size' and a size in bytes");
      k.size = uint64_t(p.quantity("a size in bytes"));
      if (!p.accept_word("attrs")) p.fail("'attrs' and the attributes value");
      k.attrs = p.number("an attributes value");
      while (!p.at_end() && p.peek().kind == Tok::Kind::Word) {
        if (p.accept_word("flags")) k.flags = p.number("a flags value");
        else if (p.accept_word("reserved")) k.reserved = true;
        else p.fail("'flags N', 'reserved' or end of the step");
      }
    } else {
      const Loc wl = p.loc();
      const std::string w = p.word("'private' or 'shared'");
      if (w == "private") k.attrs = KVM_MEMORY_ATTRIBUTE_PRIVATE;
      else if (w != "shared") throw ParseError{wl.col, fmt::format("expected 'private' or 'shared', got '{}'", w)};
    }
  } else if (op == "memslot") {
    s.op = Op::Memslot;
    k.vm = p.ident("the VM's name");
    k.slot = uint32_t(p.number("a slot id"));
    if (!p.accept_word("gpa")) p.fail("'gpa' and a guest physical address");
    k.gpa = uint64_t(p.quantity("a guest physical address"));
    if (!p.accept_word("size")) p.fail("'size' and a size in bytes (0 deletes the slot)");
    k.size = uint64_t(p.quantity("a size in bytes"));
    opt_flags({{"readonly", KVM_MEM_READONLY}, {"log_dirty", KVM_MEM_LOG_DIRTY_PAGES}},
              "gmem X, fd X, offset N, uaddr A|N, readonly, log_dirty, v1 or flags N", [&](const std::string& w) {
                if (w == "gmem" || w == "fd") {
                  k.gmem = p.ident("a guest_memfd or memfd name, or 'badfd'");
                  if (w == "gmem") k.gmem_flag = true;
                } else if (w == "offset") {
                  k.offset = p.quantity("a guest_memfd offset in bytes");
                } else if (w == "uaddr") {
                  if (auto v = LineParser::parse_quantity(p.peek().text, false); v && p.peek().kind == Tok::Kind::Word)
                    k.uaddr = uint64_t(p.quantity(""));
                  else
                    k.uaddr_map = p.ident("a mapping name or an address");
                } else if (w == "v1") {
                  k.v1 = true;
                } else if (w == "flags") {
                  k.flags |= p.number("a flags value");
                } else {
                  return false;
                }
                return true;
              });
  } else if (op == "set_memory_attributes") {
    s.op = Op::SetMemoryAttributes;
    k.vm = p.ident("the VM's name");
    if (!p.accept_word("gpa")) p.fail("'gpa' and a guest physical address");
    k.gpa = uint64_t(p.quantity("a guest physical address"));
    if (!p.accept_word("size")) p.fail("'size' and a size in bytes");
    k.size = uint64_t(p.quantity("a size in bytes"));
    opt_flags({}, "private, shared, attrs N or flags N", [&](const std::string& w) {
      if (w == "private") k.attrs = KVM_MEMORY_ATTRIBUTE_PRIVATE;
      else if (w == "shared") k.attrs = 0;
      else if (w == "attrs") k.attrs = p.number("an attributes value");
      else if (w == "flags") k.flags = p.number("a flags value");
      else return false;
      return true;
    });
  } else {
    return false;
  }
  (void)op_loc;
  return true;
}

// guest V: read GPA -> x[, exit] / guest V: write GPA = TOKEN [-> r[, exit]]
void parse_guest(LineParser& p, Step& s) {
  s.kvm.vm = p.ident("the VM's name");
  p.expect(":", "':' after the VM name");
  const std::string op = p.word("'read' or 'write'");
  if (op == "read") s.op = Op::GuestRead;
  else if (op == "write") s.op = Op::GuestWrite;
  else throw ParseError{p.loc().col - int(op.size()) - 1, fmt::format("expected 'read' or 'write' after 'guest V:', got '{}'", op)};
  s.kvm.gpa = uint64_t(p.quantity("a guest physical address"));
  if (s.op == Op::GuestWrite) {
    p.expect("=", "'=' and a token");
    s.value = p.literal("a token (an integer)");
  }
  p.binds(s);
  p.end();
}

void parse_task_op(LineParser& p, Step& s) {
  const Loc op_loc = p.loc();
  const std::string op = p.word(fmt::format("an operation ({}, or a probe)", fmt::join(kOps, ", ")));
  if (op == "mmap") {
    s.op = Op::Mmap;
    s.name = p.ident("a mapping name");
    s.pages = p.number("the number of pages");
    if (s.pages == 0) throw ParseError{op_loc.col, "mmap of 0 pages"};
    s.prot = p.prot();
    Loc refill_loc;
    while (!p.at_end() && p.peek().kind == Tok::Kind::Word) {
      const Loc fl = p.loc();
      const std::string f = p.word("");
      if (f == "anon") continue;
      if (f == "shared") s.map_flags |= MAPF_SHARED;
      else if (f == "populate") s.map_flags |= MAPF_POPULATE;
      else if (f == "locked") s.map_flags |= MAPF_LOCKED;
      else if (f == "noreserve") s.map_flags |= MAPF_NORESERVE;
      else if (f == "hugetlb") s.map_flags |= MAPF_HUGETLB;
      else if (f == "droppable") s.map_flags |= MAPF_DROPPABLE;
      else if (f == "growsdown") s.map_flags |= MAPF_GROWSDOWN;
      else if (f == "file") s.file = p.ident("a memfd name after 'file'");
      else if (f == "gmem") s.kvm.gmem = p.ident("a guest_memfd name after 'gmem'");
      else if (f == "offset") s.kvm.offset = p.quantity("an offset in bytes (or Np pages) after 'offset'");
      else if (f == "exec") s.prot |= PROT_EXEC_;
      else if (f == "refill") {
        if (s.refill != Refill::None) throw ParseError{fl.col, "'refill' given twice"};
        refill_loc = fl;
        if (p.accept_word("gen")) {
          s.refill = Refill::Generation;
        } else {
          s.value = Value::integer(p.number("a refill token (an integer) or 'gen' (a generation counter) after 'refill'"));
          s.refill = Refill::Token;
        }
      } else
        throw ParseError{fl.col, fmt::format("unknown mmap flag '{}'{} (expected anon, shared, populate, locked, noreserve, "
                                             "hugetlb, droppable, growsdown, refill TOKEN|gen, file NAME, gmem NAME, offset N or exec)",
                                             f, did_you_mean(f, kMmapFlags, [](std::string_view x) { return x; }))};
    }
    if (s.refill != Refill::None && !(s.map_flags & MAPF_DROPPABLE))
      throw ParseError{refill_loc.col, "'refill' needs 'droppable': it declares the ->fault callback of a droppable "
                                       "mapping (expected 'droppable refill TOKEN|gen')"};
    if ((s.map_flags & MAPF_HUGETLB) && (s.map_flags & MAPF_SHARED))
      throw ParseError{op_loc.col, "shared hugetlb mappings are not modelled (only private MAP_HUGETLB)"};
    if ((s.map_flags & MAPF_HUGETLB) && !s.file.empty())
      throw ParseError{op_loc.col, "a memfd mapping cannot also be hugetlb"};
    if (!s.kvm.gmem.empty() && (!s.file.empty() || (s.map_flags & MAPF_HUGETLB)))
      throw ParseError{op_loc.col, "a guest_memfd mapping cannot also be 'file' or 'hugetlb'"};
    if (s.kvm.gmem.empty() && s.kvm.offset) throw ParseError{op_loc.col, "'offset' needs 'gmem NAME'"};
  } else if (op == "mlockall") {
    s.op = Op::Mlockall;
    do {
      const Loc fl = p.loc();
      if (p.at_end() || p.peek().kind != Tok::Kind::Word) p.fail("an mlockall flag (current, future or onfault)");
      const std::string f = p.word("");
      bool found = false;
      for (auto& m : kMcl)
        if (m.word == f) s.mcl |= m.flag, found = true;
      if (!found)
        throw ParseError{fl.col, fmt::format("unknown mlockall flag '{}'{} (expected current, future or onfault)", f,
                                             did_you_mean(f, kMcl, [](auto& x) { return x.word; }))};
    } while (!p.at_end() && p.peek().kind == Tok::Kind::Word);
  } else if (op == "munlockall") {
    s.op = Op::Munlockall;
  } else if (op == "setrlimit") {
    s.op = Op::SetrlimitMemlock;
    if (!p.accept_word("memlock")) p.fail("'memlock' (RLIMIT_MEMLOCK, the only limit modelled)");
    s.pages = p.number("the RLIMIT_MEMLOCK limit in pages");
  } else if (op == "getrandom") {
    s.op = Op::Getrandom;
    s.range = p.range("the state page of a mapping (A[3])");
  } else if (op == "memfd" || op == "tmpfile") {
    // memfd F N [hugetlb]: memfd_create() (MFD_HUGETLB: a hugetlbfs file, one
    // page = one huge page); tmpfile F N: tmpfile() on a disk file system.
    s.op = Op::Memfd;
    s.file_kind = op == "tmpfile" ? uint8_t(FileKind::Regular) : uint8_t(FileKind::Shmem);
    s.name = p.ident(op == "tmpfile" ? "a name for the tmpfile" : "a name for the memfd");
    s.pages = p.number(op == "tmpfile" ? "the tmpfile's size in pages" : "the memfd's size in pages");
    if (s.pages == 0) throw ParseError{op_loc.col, fmt::format("{} of 0 pages", op)};
    if (op == "memfd" && !p.at_end() && p.peek().kind == Tok::Kind::Word) {
      const Loc fl = p.loc();
      const std::string f = p.word("");
      if (f != "hugetlb")
        throw ParseError{fl.col, fmt::format("unknown memfd flag '{}' (expected hugetlb: MFD_HUGETLB)", f)};
      s.file_kind = uint8_t(FileKind::Hugetlb);
    }
  } else if (op == "fallocate") {
    s.op = Op::Fallocate;
    s.range = p.range("a memfd or guest_memfd name (F, G[0:4])");
    s.name = s.range.name;
    if (!s.range.whole || (!p.at_end() && p.peek().kind == Tok::Kind::Word)) {
      // guest_memfd: a page range [punch], or offset/len in bytes with explicit mode words.
      s.op = Op::GmemFallocate;
      s.kvm.gmem = s.name;
      s.kvm.mode = FALLOC_FL_KEEP_SIZE;
      if (s.range.whole && p.accept_word("offset")) {
        s.kvm.bytes = true;
        s.kvm.mode = 0;
        s.kvm.offset = p.quantity("an offset in bytes", true);
        if (!p.accept_word("len")) p.fail("'len' and a length in bytes");
        s.kvm.len = p.quantity("a length in bytes", true);
        constexpr std::pair<std::string_view, uint32_t> kModes[] = {
            {"keep_size", FALLOC_FL_KEEP_SIZE},       {"punch_hole", FALLOC_FL_PUNCH_HOLE},
            {"zero_range", FALLOC_FL_ZERO_RANGE},     {"collapse_range", FALLOC_FL_COLLAPSE_RANGE},
            {"insert_range", FALLOC_FL_INSERT_RANGE}, {"unshare_range", FALLOC_FL_UNSHARE_RANGE}};
        while (!p.at_end() && p.peek().kind == Tok::Kind::Word) {
          const Loc ml = p.loc();
          const std::string m = p.word("");
          bool found = false;
          for (auto& [w, bit] : kModes)
            if (w == m) s.kvm.mode |= bit, found = true;
          if (!found)
            throw ParseError{ml.col, fmt::format("unknown fallocate mode '{}' (expected keep_size, punch_hole, zero_range, "
                                                 "collapse_range, insert_range or unshare_range)", m)};
        }
      } else if (p.accept_word("punch")) {
        s.kvm.mode |= FALLOC_FL_PUNCH_HOLE;
      } else if (!p.at_end() && p.peek().kind == Tok::Kind::Word) {
        p.fail("'punch' or 'offset N len N'");
      }
    }
  } else if (parse_kvm_op(p, s, op, op_loc)) {
    // KVM / guest_memfd
  } else if (op == "munmap" || op == "mlock" || op == "munlock" || op == "ksm_merge") {
    s.op = op == "munmap" ? Op::Munmap : op == "mlock" ? Op::Mlock : op == "munlock" ? Op::Munlock : Op::KsmMerge;
    s.range = p.range("a mapping (A, A[3] or A[0:4])");
  } else if (op == "uffd_writeprotect") {
    s.op = Op::UffdWp;
    s.range = p.range("a mapping (A, A[3] or A[0:4])");
    if (p.accept_word("off")) s.op = Op::UffdUnwp;
  } else if (op == "uffd_register") {
    s.op = Op::UffdRegister;
    s.range = p.range("a mapping (A, A[3] or A[0:4])");
    if (!p.accept_word("wp")) p.fail("'wp' (UFFDIO_REGISTER_MODE_WP)");
  } else if (op == "mremap") {
    s.op = Op::Mremap;
    s.range = p.range("a mapping (A, A[3] or A[0:4])");
    s.name = p.ident("a name for the moved pages");
  } else if (op == "split_pmd_begin" || op == "split_pmd_end") {
    // The PMD split that a partial mprotect/munmap/madvise of a THP starts
    // (__split_huge_pmd()), preempted inside __split_huge_pmd_locked() until
    // split_pmd_end: the PMD containing the range's first page.
    s.op = op == "split_pmd_begin" ? Op::SplitPmdBegin : Op::SplitPmdEnd;
    s.range = p.range("a mapping (A or A[3]): the PMD containing its first page");
  } else if (op == "lru_add_drain") {
    s.op = Op::LruAddDrain;
  } else if (op == "clear_refs") {
    s.op = Op::ClearRefs;
    p.accept_word("softdirty");
  } else if (op == "mprotect") {
    s.op = Op::Mprotect;
    s.range = p.range("a mapping (A, A[3] or A[0:4])");
    s.prot = p.prot();
    if (p.accept_word("exec")) s.prot |= PROT_EXEC_;
  } else if (op == "madvise") {
    s.op = Op::Madvise;
    s.range = p.range("a mapping (A, A[3] or A[0:4])");
    const Loc aloc = p.loc();
    const std::string a = p.word("an advice");
    bool found = false;
    for (auto& x : kAdvice)
      if (x.word == a) {
        s.advice = x.advice;
        found = true;
      }
    if (!found)
      throw ParseError{aloc.col, fmt::format("unknown advice '{}'{} (expected one of: {})", a,
                                             did_you_mean(a, kAdvice, [](auto& x) { return x.word; }), join_words(kAdvice))};
  } else if (op == "read") {
    if (p.accept_word("pipe")) {
      s.op = Op::PipeRead;
      s.name = p.ident("a pipe name");
    } else {
      s.op = Op::Read;
      s.range = p.range("a mapping (A, A[3] or A[0:4]) or 'pipe NAME'");
    }
  } else if (op == "write") {
    s.op = Op::Write;
    s.range = p.range("a mapping (A, A[3] or A[0:4])");
    p.expect("=", "'=' and a token");
    s.value = p.literal("a token (an integer)");
  } else if (op == "fork") {
    s.op = Op::Fork;
    const Loc l = p.loc();
    s.name = p.word("the child's name (P1, P2, ...)");
    if (!is_task_name(s.name)) throw ParseError{l.col, fmt::format("expected a process name like P1, got '{}'", s.name)};
  } else if (op == "exit") {
    s.op = Op::Exit;
  } else if (op == "pin" || op == "gup") {
    s.op = op == "pin" ? Op::Pin : Op::Gup;
    s.name = p.ident("a name for the pinned pages");
    p.expect("=", "'='");
    s.range = p.range("a mapping (A, A[3] or A[0:4])");
    s.foll = op == "pin" ? FOLL_PIN : FOLL_GET;
    while (!p.at_end() && p.peek().kind == Tok::Kind::Word) {
      const Loc fl = p.loc();
      const std::string f = p.word("");
      if (f == "write") s.foll |= FOLL_WRITE;
      else if (f == "longterm" && op == "pin") s.foll |= FOLL_LONGTERM;
      else if (f == "fast") s.foll |= FOLL_FAST;
      else if (f == "exclusive" && op == "pin") s.foll |= FOLL_EXCLUSIVE;
      else if (f == "longterm")
        throw ParseError{fl.col, "FOLL_LONGTERM requires FOLL_PIN: use 'pin', not 'gup'"};
      else
        throw ParseError{fl.col, fmt::format("unknown GUP flag '{}' (expected write, longterm, fast or exclusive)", f)};
    }
  } else if (op == "unpin" || op == "put") {
    s.op = op == "unpin" ? Op::Unpin : Op::Put;
    s.name = p.ident("the name of pinned pages");
    if (op == "unpin" && p.accept_word("dirty")) s.dirty = true;
  } else if (op == "vmsplice") {
    s.op = Op::Vmsplice;
    s.range = p.range("a mapping (A, A[3] or A[0:4])");
    p.expect("->", "'-> pipe NAME'");
    if (!p.accept_word("pipe")) p.fail("'pipe'");
    s.name = p.ident("a pipe name");
  } else if (op == "odirect_write" || op == "odirect_read") {
    // odirect_write A[0:2] -> file F  /  odirect_read A[0:2] <- file F
    const bool w = op == "odirect_write";
    s.op = w ? Op::OdirectWrite : Op::OdirectRead;
    s.range = p.range("a mapping (A, A[3] or A[0:4])");
    p.expect(w ? "->" : "<-", w ? "'-> file NAME'" : "'<- file NAME'");
    if (!p.accept_word("file")) p.fail("'file'");
    s.name = p.ident("a file name");
  } else if (op == "process_vm_read" || op == "process_vm_write" || op == "proc_mem_read" || op == "proc_mem_write") {
    s.op = op == "process_vm_read"  ? Op::ProcessVmRead
           : op == "process_vm_write" ? Op::ProcessVmWrite
           : op == "proc_mem_read"    ? Op::ProcMemRead
                                      : Op::ProcMemWrite;
    const Loc l = p.loc();
    s.name = p.word("the target process (P1, ...)");
    if (!is_task_name(s.name)) throw ParseError{l.col, fmt::format("expected a process name like P1, got '{}'", s.name)};
    s.range = p.range("a mapping of the target (A, A[3] or A[0:4])");
    if (s.op == Op::ProcessVmWrite || s.op == Op::ProcMemWrite) {
      p.expect("=", "'=' and a token");
      s.value = p.literal("a token (an integer)");
    }
  } else {
    bool found = false;
    for (auto& pr : kProbes)
      if (pr.word == op) {
        found = true;
        s.op = Op::Probe;
        s.probe = pr.probe;
        if (pr.scope == Scope::Page) s.range = p.range("a mapping (A, A[3] or A[0:4])");
        if (pr.scope == Scope::GmemIndex) s.range = p.range("guest_memfd indices (G, G[3] or G[0:4])");
        if (pr.scope == Scope::Object) s.name = p.ident(pr.probe == Probe::VmLive ? "a VM name" : "a guest_memfd name");
      }
    if (!found) {
      // The nearest word of either list (ops first on a tie).
      std::string hint;
      size_t best = 3;
      for (auto w : kOps)
        if (const size_t d = edit_distance(op, w); d < best) best = d, hint = std::string(w);
      for (auto& pr : kProbes)
        if (const size_t d = edit_distance(op, pr.word); d < best) best = d, hint = std::string(pr.word);
      throw ParseError{op_loc.col, fmt::format("unknown operation '{}'{} (expected {}, or a probe: {})", op,
                                               hint.empty() ? "" : " — did you mean '" + hint + "'?",
                                               fmt::join(kOps, ", "), join_words(kProbes))};
    }
  }
  p.binds(s);
  p.end();
  if (s.op == Op::Probe && s.binds.empty())
    throw ParseError{op_loc.col, "a probe needs '-> name' to bind what it observes"};
}

void parse_dma(LineParser& p, Step& s) {
  const std::string op = p.word("'read' or 'write'");
  if (op == "read") {
    s.op = Op::DmaRead;
    s.range = p.range("pinned pages (K, K[0] or K[0:2])");
  } else if (op == "write") {
    s.op = Op::DmaWrite;
    s.range = p.range("pinned pages (K, K[0] or K[0:2])");
    p.expect("=", "'=' and a token");
    s.value = p.literal("a token (an integer)");
  } else {
    throw ParseError{p.loc().col - int(op.size()) - 1, fmt::format("expected 'read' or 'write' after dma, got '{}'", op)};
  }
  p.binds(s);
  p.end();
}

// The kernel as the actor: a step with no process prefix (like dma), a pass
// of a kernel thread over every mm. `operand` names what its count bounds.
struct KernelActor {
  std::string_view word;
  Op op;
  std::string_view operand;
};
constexpr KernelActor kKernelActors[] = {
    {"reclaim", Op::Reclaim, "a number of folios to reclaim, '-> name' or end of line"},       // shrink_node()
    {"khugepaged", Op::Khugepaged, "a number of ranges to collapse, '-> name' or end of line"},  // khugepaged_do_scan()
};

const KernelActor* kernel_actor(std::string_view w) {
  for (const KernelActor& k : kKernelActors)
    if (k.word == w) return &k;
  return nullptr;
}

// `reclaim [N] [-> r]`, `khugepaged [N] [-> r]`: an optional count, then binds.
void parse_kernel_op(LineParser& p, Step& s, std::string_view operand) {
  if (!p.at_end() && p.peek().kind == Tok::Kind::Word) s.pages = p.number(operand);
  else if (!p.at_end() && !(p.peek().kind == Tok::Kind::Punct && p.peek().text == "->")) p.fail(std::string(operand));
  p.binds(s);
  p.end();
}

void parse_expect(LineParser& p, Expect& e) {
  if (p.accept("[")) {
    do {
      e.qual_locs.push_back(p.loc());
      std::string q = p.word("a profile name or knob=value");
      if (p.accept("=")) q += "=" + p.word("a policy name");
      e.quals.push_back(q);
    } while (p.accept(","));
    p.expect("]", "']'");
  }
  e.lhs_loc = p.loc();
  e.lhs = p.ident("a bound name");
  if (p.accept("=="))
    e.equal = true;
  else if (p.accept("!="))
    e.equal = false;
  else
    p.fail("'==' or '!='");
  e.rhs.loc = p.loc();
  const std::string w = p.word("a value or a bound name");
  e.rhs.text = w;
  if (auto v = parse_literal(w)) {
    e.rhs.literal = *v;
  } else if (is_ident(w)) {
    e.rhs.is_name = true;
    e.rhs.name = w;
  } else {
    throw ParseError{e.rhs.loc.col, fmt::format("expected a value (integer, true, false, none, OK, an errno or a "
                                                "signal) or a bound name, got '{}'", w)};
  }
  p.end();
}

std::string trim(std::string_view s) {
  size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return std::string(s.substr(a, b - a));
}

std::string strip_comment(std::string_view line) {
  bool in_str = false;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') in_str = !in_str;
    if (line[i] == '#' && !in_str) return trim(line.substr(0, i));
  }
  return trim(line);
}

}  // namespace

std::string_view op_name(Op op) {
  switch (op) {
    case Op::Mmap: return "mmap";
    case Op::Munmap: return "munmap";
    case Op::Mprotect: return "mprotect";
    case Op::Madvise: return "madvise";
    case Op::Mlock: return "mlock";
    case Op::Munlock: return "munlock";
    case Op::Read: return "read";
    case Op::Write: return "write";
    case Op::Fork: return "fork";
    case Op::Exit: return "exit";
    case Op::Pin: return "pin";
    case Op::Gup: return "gup";
    case Op::Unpin: return "unpin";
    case Op::Put: return "put";
    case Op::DmaRead: return "dma read";
    case Op::DmaWrite: return "dma write";
    case Op::Vmsplice: return "vmsplice";
    case Op::PipeRead: return "read pipe";
    case Op::ProcessVmRead: return "process_vm_read";
    case Op::ProcessVmWrite: return "process_vm_write";
    case Op::OdirectWrite: return "odirect_write";
    case Op::OdirectRead: return "odirect_read";
    case Op::ClearRefs: return "clear_refs";
    case Op::UffdRegister: return "uffd_register";
    case Op::UffdWp: return "uffd_writeprotect";
    case Op::UffdUnwp: return "uffd_writeprotect off";
    case Op::KsmMerge: return "ksm_merge";
    case Op::Memfd: return "memfd";  // or tmpfile (Step::file_kind)
    case Op::Fallocate: return "fallocate";
    case Op::LruAddDrain: return "lru_add_drain";
    case Op::SplitPmdBegin: return "split_pmd_begin";
    case Op::SplitPmdEnd: return "split_pmd_end";
    case Op::Mremap: return "mremap";
    case Op::Vm: return "vm";
    case Op::Close: return "close";
    case Op::CheckExtension: return "check_extension";
    case Op::GmemCreate: return "gmem create";
    case Op::GmemFallocate: return "fallocate";
    case Op::FileOp: return "file_op";
    case Op::Convert: return "convert";
    case Op::Memslot: return "memslot";
    case Op::SetMemoryAttributes: return "set_memory_attributes";
    case Op::GuestRead: return "guest read";
    case Op::GuestWrite: return "guest write";
    case Op::ProcMemRead: return "proc_mem_read";
    case Op::ProcMemWrite: return "proc_mem_write";
    case Op::Probe: return "probe";
    case Op::Mlockall: return "mlockall";
    case Op::Munlockall: return "munlockall";
    case Op::SetrlimitMemlock: return "setrlimit memlock";
    case Op::Getrandom: return "getrandom";
    case Op::Reclaim: return "reclaim";
    case Op::Khugepaged: return "khugepaged";
  }
  return "?";
}

std::string_view probe_name(Probe p) {
  for (auto& pr : kProbes)
    if (pr.probe == p) return pr.word;
  return "?";
}

bool probe_per_page(Probe p) {
  for (auto& pr : kProbes)
    if (pr.probe == p) return pr.scope == Scope::Page;
  return false;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  return did_you_mean(word, candidates, [](const std::string& x) { return std::string_view(x); });
}

bool probe_global(Probe p) {
  for (auto& pr : kProbes)
    if (pr.probe == p) return pr.scope == Scope::Global;
  return false;
}

ParseResult parse_scenario(std::string_view text, const std::string& file) {
  ParseResult res;
  Scenario sc;
  sc.file = file;
  {
    // Default name: the file name without directory and extension.
    std::string base = file.substr(file.find_last_of('/') + 1);
    if (base.size() > 3 && base.ends_with(".mm")) base.resize(base.size() - 3);
    sc.name = base;
  }
  std::istringstream in{std::string(text)};
  std::string raw;
  int line = 0;
  std::vector<Tok> toks;
  while (std::getline(in, raw)) {
    ++line;
    int err_col = 0;
    std::string err;
    if (const std::string t = trim(raw); t.starts_with("ref ") || t.starts_with("ref\t")) {
      // Free text (may hold any characters): the rest of the line, less a comment.
      sc.refs.push_back(strip_comment(t.substr(4)));
      continue;
    }
    if (!lex_line(raw, &toks, &err_col, &err)) {
      res.errors.push_back({file, {line, err_col}, err});
      continue;
    }
    if (toks.front().kind == Tok::Kind::End) continue;
    LineParser p(toks, line);
    try {
      const Tok& first = p.peek();
      if (first.kind != Tok::Kind::Word) p.fail("a step ('P0: ...', 'dma ...', 'reclaim', 'khugepaged') or a directive (scenario, doc, ref, config, expect), or a guest access ('guest V: ...')");
      const std::string w = first.text;
      if (w == "scenario") {
        p.word("");
        sc.name = p.word("a scenario name");
        p.end();
      } else if (w == "doc") {
        p.word("");
        sc.doc = p.string("a quoted description");
        p.end();
      } else if (w == "ref") {
        p.word("");
        p.fail("free text after 'ref'");
      } else if (w == "config") {
        p.word("");
        do {
          const Loc kl = p.loc();
          const std::string key = p.ident("a config key");
          p.expect("=", "'='");
          std::string val = p.word("a value");
          // List values (`mthp=2,4:madvise`): ',' and ':' join the words of one value.
          for (;;) {
            if (p.accept(",")) val += ",";
            else if (p.accept(":")) val += ":";
            else break;
            val += p.word("an order or a mode after ',' or ':'");
          }
          if (sc.config.count(key)) throw ParseError{kl.col, fmt::format("config key '{}' given twice", key)};
          sc.config[key] = val;
          sc.config_loc[key] = kl;
        } while (!p.at_end());
      } else if (w == "expect") {
        Expect e;
        e.loc = {line, first.col};
        e.text = strip_comment(raw);
        p.word("");
        parse_expect(p, e);
        sc.expects.push_back(std::move(e));
      } else if (w == "guest") {
        Step s;
        s.loc = {line, first.col};
        s.text = strip_comment(raw);
        s.actor = "guest";
        p.word("");
        parse_guest(p, s);
        sc.steps.push_back(std::move(s));
      } else if (const KernelActor* k = kernel_actor(w)) {
        Step s;
        s.loc = {line, first.col};
        s.text = strip_comment(raw);
        s.actor = "kernel";
        s.op = k->op;
        p.word("");
        parse_kernel_op(p, s, k->operand);
        sc.steps.push_back(std::move(s));
      } else if (w == "dma") {
        Step s;
        s.loc = {line, first.col};
        s.text = strip_comment(raw);
        s.actor = "dma";
        p.word("");
        parse_dma(p, s);
        sc.steps.push_back(std::move(s));
      } else if (is_task_name(w)) {
        Step s;
        s.loc = {line, first.col};
        s.text = strip_comment(raw);
        s.actor = p.word("");
        p.expect(":", "':' after the process name");
        parse_task_op(p, s);
        sc.steps.push_back(std::move(s));
      } else {
        static constexpr std::string_view kFirst[] = {"scenario", "doc", "ref", "config", "expect", "dma", "reclaim", "khugepaged", "guest"};
        throw ParseError{first.col, fmt::format("expected a step ('P0: ...', 'dma ...', 'reclaim', 'khugepaged') or a directive "
                                                "(scenario, doc, ref, config, expect), or a guest access "
                                                "('guest V: ...'), got '{}'{}",
                                                w, did_you_mean(w, kFirst, [](std::string_view x) { return x; }))};
      }
    } catch (const ParseError& e) {
      res.errors.push_back({file, {line, e.col}, e.message});
    }
  }
  if (res.errors.empty()) {
    res.errors = validate_scenario(sc);
    if (res.errors.empty()) res.scenario = std::move(sc);
  }
  return res;
}

ParseResult load_scenario(const std::string& path) {
  std::ifstream f(path);
  if (!f) {
    ParseResult r;
    r.errors.push_back({path, {0, 0}, "cannot open file"});
    return r;
  }
  std::stringstream ss;
  ss << f.rdbuf();
  return parse_scenario(ss.str(), path);
}

}  // namespace mmsim
