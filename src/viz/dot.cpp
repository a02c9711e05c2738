#include "viz/dot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "model/huge_memory.hpp"

namespace mmsim::viz {
namespace {

// A picture is built twice, from the state before and after the step, as the
// same kind of scene; comparing the two scenes node by node and row by row
// gives the highlighting. What differs is exactly what the labels show.

enum class Mark { Same, New, Changed, Gone };

const char* class_of(Mark m) {
  switch (m) {
    case Mark::Same: return "same";
    case Mark::New: return "new";
    case Mark::Changed: return "changed";
    case Mark::Gone: return "gone";
  }
  return "same";
}

constexpr const char* kNewBg = "#c6efc6";      // green: appeared in this step
constexpr const char* kChangedBg = "#ffe08a";  // yellow: changed in this step
constexpr const char* kHotBorder = "#d62728";
constexpr const char* kPlainBorder = "#666666";
constexpr const char* kGoneColor = "#999999";
constexpr size_t kMaxRows = 48;  // entries shown per VMA or folio before "… N more"

struct Row {
  std::string key;        // identifies the row across the two scenes
  std::string text;
  std::string port;       // HTML cell port, for edges into or out of this row
  std::string gone_text;  // shown (highlighted) when the row disappears; empty: not shown
  uint64_t order = 0;     // rows are shown sorted by this (stable)
  bool bold = false;
  Mark mark = Mark::Same;
  std::string was;        // a changed row: the fields it had before the step
};

struct Node {
  std::string id;
  std::string cluster;   // task cluster id, or "" at top level
  std::string title;     // short name for the dashed "gone" node: "folio pfn 3"
  std::string gone_word; // "freed", "released", "unmapped", "exited", "closed"
  std::vector<Row> rows;
  Mark mark = Mark::Same;
};

struct Edge {
  std::string key;  // identifies the edge across the two scenes
  std::string from, to;  // "node:port:compass"
  std::string attrs;     // extra attributes (dir=back, style, label)
  Mark mark = Mark::Same;
};

struct Cluster {
  std::string id;
  std::string label;
};

struct Scene {
  std::vector<Cluster> clusters;
  std::vector<Node> nodes;
  std::map<std::string, size_t> index;  // node id -> position
  std::vector<Edge> edges;

  Node& add(Node n) {
    index[n.id] = nodes.size();
    nodes.push_back(std::move(n));
    return nodes.back();
  }
  const Node* find(const std::string& id) const {
    auto it = index.find(id);
    return it == index.end() ? nullptr : &nodes[it->second];
  }
};

std::string html(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// A DOT double-quoted string; "\l" ends a left-justified line.
std::string quoted_lines(const std::vector<std::string>& lines) {
  std::string out = "\"";
  for (const std::string& l : lines) {
    for (char c : l) {
      if (c == '"' || c == '\\') out += '\\';
      if (c == '\n') { out += "\\l"; continue; }
      out += c;
    }
    out += "\\l";
  }
  return out + "\"";
}

bool is_head(const State& s, Pfn p) { return p != kZeroPfn && p < s.mem.pages.size() && s.mem.pages[p].head == p; }

std::string folio_id(Pfn head) { return fmt::format("folio{}", head); }

// The node:port an edge to page `pfn` ends at: the folio, or its subpage row.
std::string page_target(const State& s, Pfn pfn) {
  if (pfn == kZeroPfn) return "zero";
  if (pfn >= s.mem.pages.size() || s.mem.pages[pfn].head == kNone) return "";
  const Pfn head = s.mem.pages[pfn].head;
  return s.mem.folios[head].large() ? fmt::format("{}:s{}", folio_id(head), pfn) : folio_id(head);
}

std::string foll_string(uint32_t foll) {
  std::vector<std::string> f;
  if (foll & FOLL_PIN) f.push_back("FOLL_PIN");
  if (foll & FOLL_GET) f.push_back("FOLL_GET");
  if (foll & FOLL_WRITE) f.push_back("FOLL_WRITE");
  if (foll & FOLL_LONGTERM) f.push_back("FOLL_LONGTERM");
  if (foll & FOLL_FORCE) f.push_back("FOLL_FORCE");
  if (foll & FOLL_FAST) f.push_back("fast");
  return fmt::format("{}", fmt::join(f, "|"));
}

std::string pipe_name(const Namer& n, PipeId p) {
  auto it = n.pipe_names.find(p);
  return it != n.pipe_names.end() ? it->second : fmt::format("{}", p);
}

std::string gup_name(const Namer& n, GupId g) {
  auto it = n.gup_names.find(g);
  return it != n.gup_names.end() ? it->second : fmt::format("gup{}", g);
}

// The list a folio is on (folio_lru_list()) or the LRU add batch; nullptr if
// none. The same words as --trace.
const char* lru_list(const Folio& f) {
  if (f.test(FOLIO_LRU_BATCH)) return "lru_batch";
  if (!f.test(FOLIO_LRU)) return nullptr;
  if (f.test(FOLIO_UNEVICTABLE)) return "unevictable";
  const bool active = f.test(FOLIO_ACTIVE);
  if (f.file_lru()) return active ? "active_file" : "inactive_file";
  return active ? "active_anon" : "inactive_anon";
}

// ---- the scene of one state ------------------------------------------------

void add_tasks(const State& s, const Namer& n, Scene& sc) {
  for (TaskId t = 0; t < s.tasks.size(); ++t) {
    const Task& task = s.tasks[t];
    if (!task.live || task.mm >= s.mms.size() || !s.mms[task.mm].live) continue;
    const MmId m = task.mm;
    const Mm& mm = s.mms[m];
    const std::string name = n.mm(m);
    const std::string cl = fmt::format("cluster_task{}", t);
    sc.clusters.push_back({cl, fmt::format("{} (task {}, mm {})", name, t, m)});

    Node tn{fmt::format("task{}", t), cl, name, "exited", {}};
    tn.rows.push_back({"hdr", fmt::format("{}  mm {}", name, m), "", "", 0, true});
    tn.rows.push_back({"rss", fmt::format("rss anon {}  shmem {}  swapents {}", mm.rss.anon, mm.rss.shmem, mm.rss.swapents), "", "", 1});
    if (mm.rss.locked_vm) tn.rows.push_back({"locked", fmt::format("locked_vm {}", mm.rss.locked_vm), "", "", 2});
    if (mm.test(MMF_HAS_PINNED)) tn.rows.push_back({"flags", "MMF_HAS_PINNED", "", "", 3});
    std::vector<std::string> fds;
    for (PipeId p : task.pipes) fds.push_back(fmt::format("pipe {}", pipe_name(n, p)));
    for (FileId f : task.files) fds.push_back(fmt::format("memfd (shmem file {})", f));
    if (!fds.empty()) tn.rows.push_back({"fds", fmt::format("fds: {}", fmt::join(fds, ", ")), "", "", 4});
    sc.add(std::move(tn));

    // VMAs with their PTE and PMD rows.
    std::map<size_t, size_t> node_of_vma;  // vma index -> scene node
    for (size_t i = 0; i < mm.vmas.size(); ++i) {
      const Vma& v = mm.vmas[i];
      Node vn{fmt::format("vma{}_{}", m, v.start), cl, fmt::format("vma {}", n.range(m, v.start, v.end)), "unmapped", {}};
      vn.rows.push_back({"hdr", fmt::format("vma {}  {}", n.range(m, v.start, v.end), vm_flags_string(v.flags)), "", "", 0, true});
      std::string where = fmt::format("{:#x}-{:#x}", v.start << kPageShift, v.end << kPageShift);
      if (v.test(VM_HUGETLB)) where += "  hugetlb";
      if (v.file != kNone) where += fmt::format("  shmem file {} pgoff {}", v.file, v.pgoff);
      else if (v.anon_vma != kNone) where += fmt::format("  anon_vma {}", v.anon_vma);
      vn.rows.push_back({"where", where, "", "", 0});
      node_of_vma[i] = sc.nodes.size();
      sc.add(std::move(vn));
      sc.edges.push_back({fmt::format("task{}->vma{}_{}", t, m, v.start), fmt::format("task{}", t),
                          fmt::format("vma{}_{}", m, v.start), "arrowhead=none, color=\"#999999\""});
    }
    // Page-table entries outside every VMA would be a model bug; show them anyway.
    auto node_for = [&](Vpn v) -> Node& {
      for (size_t i = 0; i < mm.vmas.size(); ++i)
        if (mm.vmas[i].contains(v)) return sc.nodes[node_of_vma[i]];
      const std::string id = fmt::format("vma{}_orphan", m);
      if (!sc.find(id)) {
        Node o{id, cl, "entries outside every VMA", "gone", {}};
        o.rows.push_back({"hdr", "entries outside every VMA", "", "", 0, true});
        sc.add(std::move(o));
      }
      return sc.nodes[sc.index.at(id)];
    };
    const uint32_t nr = 1u << s.config.thp_order;
    for (const PteSlot& p : mm.pmds) {
      Node& vn = node_for(p.vpn);
      const std::string port = fmt::format("m{}", p.vpn);
      const std::string text = fmt::format("{}  pmd {}", n.range(m, p.vpn, p.vpn + nr), pte_string(p.pte));
      vn.rows.push_back({fmt::format("pmd{}", p.vpn), text, port,
                         fmt::format("{}  pmd none (was {})", n.range(m, p.vpn, p.vpn + nr), pte_string(p.pte)), p.vpn + 1});
      if (p.pte.is_present()) {
        const std::string to = page_target(s, p.pte.pfn());
        if (!to.empty())
          sc.edges.push_back({fmt::format("{}:{}->{}", vn.id, port, p.pte.pfn()), fmt::format("{}:{}:e", vn.id, port),
                              fmt::format("{}:w", to), "penwidth=2"});
      }
    }
    for (const PteSlot& p : mm.pt.slots()) {
      Node& vn = node_for(p.vpn);
      const std::string port = fmt::format("v{}", p.vpn);
      vn.rows.push_back({fmt::format("pte{}", p.vpn), fmt::format("{}  {}", n.addr(m, p.vpn), pte_string(p.pte)), port,
                         fmt::format("{}  none (was {})", n.addr(m, p.vpn), pte_string(p.pte)), p.vpn + 1});
      if (p.pte.is_present()) {
        const std::string to = page_target(s, p.pte.pfn());
        if (!to.empty())
          sc.edges.push_back({fmt::format("{}:{}->{}", vn.id, port, p.pte.pfn()), fmt::format("{}:{}:e", vn.id, port),
                              fmt::format("{}:w", to), p.pte.pfn() == kZeroPfn ? "style=dashed" : ""});
      } else if (p.pte.is_swap() && p.pte.val < s.swap.size()) {
        // A swap entry refers to a slot of the swap device, not to a page.
        sc.edges.push_back({fmt::format("{}:{}->swap{}", vn.id, port, p.pte.val), fmt::format("{}:{}:e", vn.id, port),
                            fmt::format("swap:w{}:w", p.pte.val), "style=dashed, constraint=false"});
      }
    }
  }
}

void add_folios(const State& s, Scene& sc) {
  bool zero_used = false;
  for (const Edge& e : sc.edges)
    if (e.to.rfind("zero", 0) == 0) zero_used = true;
  for (const GupRef& g : s.gups)
    if (g.live && std::find(g.pfns.begin(), g.pfns.end(), kZeroPfn) != g.pfns.end()) zero_used = true;
  if (zero_used) {
    Node z{"zero", "", "zero page", "unused", {}};
    z.rows.push_back({"hdr", "zero page  pfn 0", "", "", 0, true});
    sc.add(std::move(z));
  }
  for (Pfn pfn = 1; pfn < s.mem.pages.size(); ++pfn) {
    if (!is_head(s, pfn)) continue;
    const Folio& f = s.mem.folios[pfn];
    const Page& p = s.mem.pages[pfn];
    Node fn{folio_id(pfn), "", fmt::format("folio pfn {}", pfn), "freed", {}};
    std::string kind = f.test(FOLIO_ZERO) ? "zero"
                       : f.test(FOLIO_KSM) ? "ksm"
                       : f.test(FOLIO_ANON) ? "anon"
                       : f.test(FOLIO_SHMEM) ? "shmem"
                                             : "file";
    if (f.test(FOLIO_HUGETLB)) kind += " hugetlb";
    if (f.large()) kind += fmt::format("  order {}", int(f.order));
    fn.rows.push_back({"hdr", fmt::format("folio pfn {}  {}", pfn, kind), "", "", 0, true});
    // pincount as the pincount probe reads it: folio_maybe_dma_pinned()'s view.
    const int32_t pins = f.large() ? f.pincount : f.refcount / kGupPinCountingBias;
    if (f.large()) {
      fn.rows.push_back({"counts", fmt::format("refcount {}  pincount {}", f.refcount, pins), "", "", 1});
      fn.rows.push_back({"maps", fmt::format("entire_mapcount {}  large_mapcount {}", f.entire_mapcount, f.large_mapcount), "", "", 2});
    } else {
      fn.rows.push_back({"counts", fmt::format("refcount {}  mapcount {}  pincount {}", f.refcount, p.mapcount, pins), "", "", 1});
    }
    // The flags in --trace's words (run/trace.cpp).
    std::vector<std::string> flags;
    if (!f.large() && f.test(FOLIO_ANON) && (p.flags & PAGE_ANON_EXCLUSIVE)) flags.push_back("anon_exclusive");
    if (const char* lru = lru_list(f)) flags.push_back(lru);
    if (f.test(FOLIO_ANON) && !f.test(FOLIO_SWAPBACKED) && !f.test(FOLIO_HUGETLB)) flags.push_back("lazyfree");
    if (f.test(FOLIO_DIRTY)) flags.push_back("dirty");
    if (f.test(FOLIO_MLOCKED)) flags.push_back("mlocked");
    if (f.mlock_count) flags.push_back(fmt::format("mlock_count {}", f.mlock_count));
    if (f.test(FOLIO_SWAPCACHE)) flags.push_back(fmt::format("swapcache slot {}", f.swap));
    if (f.test(FOLIO_WRITEBACK)) flags.push_back("writeback");
    if (!flags.empty()) fn.rows.push_back({"flags", fmt::format("{}", fmt::join(flags, "  ")), "", "", 3});
    if (f.mapping != kNone)
      fn.rows.push_back({"mapping",
                         f.test(FOLIO_ANON) ? fmt::format("mapping anon_vma {}", f.mapping)
                                            : fmt::format("mapping shmem file {} index {}", f.mapping, f.index),
                         "", "", 4});
    if (!f.large()) {
      fn.rows.push_back({"data", fmt::format("data {:#x}", p.data), "", "", 5});
    } else {
      for (Pfn sub = pfn; sub < pfn + f.nr_pages() && sub < s.mem.pages.size(); ++sub) {
        const Page& sp = s.mem.pages[sub];
        std::string t = fmt::format("pfn {}  mapcount {}", sub, sp.mapcount);
        if (f.test(FOLIO_ANON) && (sp.flags & PAGE_ANON_EXCLUSIVE)) t += "  anon_exclusive";
        t += fmt::format("  data {:#x}", sp.data);
        fn.rows.push_back({fmt::format("s{}", sub), t, fmt::format("s{}", sub), "", 6 + sub});
      }
    }
    sc.add(std::move(fn));
  }
}

// Holders that are not page tables: pins and gets, pipes, shmem page caches, the LRU add batch.
void add_holders(const State& s, const Namer& n, Scene& sc) {
  for (GupId g = 0; g < s.gups.size(); ++g) {
    const GupRef& r = s.gups[g];
    if (!r.live) continue;
    const std::string name = gup_name(n, g);
    const bool pin = r.foll & FOLL_PIN;
    Node gn{fmt::format("gup{}", g), "", fmt::format("{} {}", pin ? "pin" : "gup", name), "released", {}};
    gn.rows.push_back({"hdr", fmt::format("{} {}", pin ? "pin" : "gup", name), "", "", 0, true});
    gn.rows.push_back({"foll", foll_string(r.foll), "", "", 1});
    gn.rows.push_back({"at", fmt::format("by {} at {}", n.mm(r.mm), n.range(r.mm, r.vpn, r.vpn + r.pfns.size())), "", "", 2});
    const bool mm_live = r.mm < s.mms.size() && s.mms[r.mm].live;
    for (size_t i = 0; i < r.pfns.size(); ++i) {
      const Pfn pfn = r.pfns[i];
      const std::string to = page_target(s, pfn);
      if (to.empty()) continue;
      std::string attrs = "dir=back";
      if (pfn == kZeroPfn) attrs += ", style=dotted, label=\"no ref\"";
      // pin-coherent: the owner's page table maps another page at this address.
      if (mm_live) {
        const Pte e = detail::effective_pte(s, s.mms[r.mm], r.vpn + i);
        if (e.is_present() && e.pfn() != pfn)
          attrs += fmt::format(", color=\"#ff7f0e\", fontcolor=\"#ff7f0e\", penwidth=2, label=\"stale: pte maps pfn {}\"", e.pfn());
      }
      sc.edges.push_back({fmt::format("gup{}#{}->{}", g, i, pfn), fmt::format("{}:e", to), fmt::format("gup{}:w", g), attrs});
    }
    sc.add(std::move(gn));
  }
  for (PipeId p = 0; p < s.pipes.size(); ++p) {
    const Pipe& pi = s.pipes[p];
    if (pi.users <= 0 && pi.bufs.empty()) continue;
    const std::string name = pipe_name(n, p);
    Node pn{fmt::format("pipe{}", p), "", fmt::format("pipe {}", name), "closed", {}};
    pn.rows.push_back({"hdr", fmt::format("pipe {}", name), "", "", 0, true});
    pn.rows.push_back({"users", fmt::format("users {}  bufs {}/{}", pi.users, pi.bufs.size(), kPipeDefBuffers), "", "", 1});
    for (size_t i = 0; i < pi.bufs.size(); ++i) {
      const std::string to = page_target(s, pi.bufs[i]);
      if (!to.empty())
        sc.edges.push_back({fmt::format("pipe{}#{}->{}", p, i, pi.bufs[i]), fmt::format("{}:e", to), fmt::format("pipe{}:w", p),
                            fmt::format("dir=back, label=\"buf {}\"", i)});
    }
    sc.add(std::move(pn));
  }
  for (FileId f = 0; f < s.files.size(); ++f) {
    const ShmemFile& sf = s.files[f];
    size_t cached = 0;
    for (Pfn p : sf.pages) cached += p != kNoPfn;
    if (sf.users <= 0 && cached == 0) continue;
    Node fn{fmt::format("file{}", f), "", fmt::format("shmem file {}", f), "closed", {}};
    fn.rows.push_back({"hdr", fmt::format("shmem file {}", f), "", "", 0, true});
    fn.rows.push_back({"users", fmt::format("users {}  page cache {}/{}", sf.users, cached, sf.pages.size()), "", "", 1});
    for (size_t i = 0; i < sf.pages.size(); ++i) {
      if (sf.pages[i] == kNoPfn) continue;
      const std::string to = page_target(s, sf.pages[i]);
      if (!to.empty())
        sc.edges.push_back({fmt::format("file{}#{}->{}", f, i, sf.pages[i]), fmt::format("{}:e", to), fmt::format("file{}:w", f),
                            fmt::format("dir=back, style=dashed, label=\"index {}\"", i)});
    }
    sc.add(std::move(fn));
  }
  // The swap device: the slots in use, their swap_map count, swap cache and contents.
  size_t used = 0;
  for (const SwapSlot& sl : s.swap) used += sl.used();
  if (used) {
    Node sn{"swap", "", "swap device", "no slot in use", {}};
    sn.rows.push_back({"hdr", "swap device", "", "", 0, true});
    sn.rows.push_back({"n", fmt::format("{} of {} slots in use", used, s.swap.size()), "", "", 1});
    for (size_t i = 0; i < s.swap.size(); ++i) {
      const SwapSlot& sl = s.swap[i];
      if (!sl.used()) continue;
      std::string t = fmt::format("slot {}  count {}", i, sl.count);
      if (sl.cache != kNoPfn) t += fmt::format("  cache pfn {}", sl.cache);
      t += fmt::format("  data {:#x}", sl.data);
      sn.rows.push_back({fmt::format("w{}", i), t, fmt::format("w{}", i), fmt::format("slot {}  free", i), 2 + i});
      if (sl.cache != kNoPfn) {
        const std::string to = page_target(s, sl.cache);
        if (!to.empty())
          sc.edges.push_back({fmt::format("swapcache{}->{}", i, sl.cache), fmt::format("{}:e", to), fmt::format("swap:w{}:w", i),
                              "dir=back, style=dashed, label=\"swap cache\""});
      }
    }
    sc.add(std::move(sn));
  }
  if (!s.lru_add.empty()) {
    Node ln{"lru", "", "LRU add batch", "drained", {}};
    ln.rows.push_back({"hdr", "LRU add batch", "", "", 0, true});
    ln.rows.push_back({"n", fmt::format("{} folios", s.lru_add.size()), "", "", 1});
    for (size_t i = 0; i < s.lru_add.size(); ++i) {
      const std::string to = page_target(s, s.lru_add[i]);
      if (!to.empty())
        sc.edges.push_back({fmt::format("lru#{}->{}", i, s.lru_add[i]), fmt::format("{}:e", to), "lru:w", "dir=back, style=dashed"});
    }
    sc.add(std::move(ln));
  }
}

Scene build_scene(const State& s, const Namer& n) {
  Scene sc;
  add_tasks(s, n, sc);
  add_folios(s, sc);
  add_holders(s, n, sc);
  return sc;
}

// The fields of `old` from the first one that differs from `now` (fields are
// separated by two spaces): "A[0]  pfn 1 ro" vs "A[0]  pfn 2 rw" -> "pfn 1 ro".
std::string was_fields(const std::string& old, const std::string& now) {
  size_t i = 0;
  while (i < old.size() && i < now.size() && old[i] == now[i]) ++i;
  const size_t sep = old.rfind("  ", i);
  return sep == std::string::npos || sep + 2 > i ? old : old.substr(sep + 2);
}

// Mark `after` against `before`; returns the nodes that disappeared.
std::vector<Node> compare(const Scene& before, Scene& after) {
  for (Node& nd : after.nodes) {
    const Node* old = before.find(nd.id);
    if (!old) {
      nd.mark = Mark::New;
      continue;
    }
    std::map<std::string, const Row*> old_rows;
    for (const Row& r : old->rows) old_rows[r.key] = &r;
    bool changed = false;
    std::set<std::string> seen;
    for (Row& r : nd.rows) {
      seen.insert(r.key);
      auto it = old_rows.find(r.key);
      if (it == old_rows.end()) r.mark = Mark::New, changed = true;
      else if (it->second->text != r.text) r.mark = Mark::Changed, r.was = was_fields(it->second->text, r.text), changed = true;
    }
    for (const Row& r : old->rows) {
      if (seen.count(r.key)) continue;
      changed = true;
      if (r.gone_text.empty()) continue;
      Row g = r;
      g.text = r.gone_text;
      g.port.clear();
      g.mark = Mark::Changed;
      nd.rows.push_back(g);
    }
    std::stable_sort(nd.rows.begin(), nd.rows.end(), [](const Row& a, const Row& b) { return a.order < b.order; });
    if (changed) nd.mark = Mark::Changed;
  }
  std::set<std::string> old_edges;
  for (const Edge& e : before.edges) old_edges.insert(e.key);
  for (Edge& e : after.edges)
    if (!old_edges.count(e.key)) e.mark = Mark::New;
  std::vector<Node> gone;
  for (const Node& nd : before.nodes)
    if (!after.find(nd.id)) {
      Node g = nd;
      g.mark = Mark::Gone;
      gone.push_back(std::move(g));
    }
  return gone;
}

std::string render_node(const Node& nd) {
  if (nd.mark == Mark::Gone)
    return fmt::format("{} [shape=box, style=dashed, color=\"{}\", fontcolor=\"{}\", class=\"gone\", label={}];\n", nd.id,
                       kGoneColor, kGoneColor, quoted_lines({nd.title, nd.gone_word}));
  const bool hot = nd.mark != Mark::Same;
  std::string t = fmt::format("<<TABLE BORDER=\"{}\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"2\" COLOR=\"{}\"{}>",
                              hot ? 2 : 1, hot ? kHotBorder : kPlainBorder,
                              nd.mark == Mark::New ? fmt::format(" BGCOLOR=\"{}\"", kNewBg) : std::string());
  size_t shown = 0, hidden = 0;
  for (const Row& r : nd.rows) {
    if (shown >= kMaxRows) {
      ++hidden;
      continue;
    }
    ++shown;
    std::string attrs;
    if (!r.port.empty()) attrs += fmt::format(" PORT=\"{}\"", r.port);
    if (nd.mark == Mark::Changed && r.mark == Mark::New) attrs += fmt::format(" BGCOLOR=\"{}\"", kNewBg);
    if (nd.mark == Mark::Changed && r.mark == Mark::Changed) attrs += fmt::format(" BGCOLOR=\"{}\"", kChangedBg);
    std::string text = r.bold ? "<B>" + html(r.text) + "</B>" : html(r.text);
    if (nd.mark == Mark::Changed && !r.was.empty())
      text += fmt::format("<BR ALIGN=\"LEFT\"/><FONT POINT-SIZE=\"8\" COLOR=\"#7a5c00\">was: {}</FONT>", html(r.was));
    t += fmt::format("<TR><TD ALIGN=\"LEFT\"{}>{}</TD></TR>", attrs, text);
  }
  if (hidden) t += fmt::format("<TR><TD ALIGN=\"LEFT\">… {} more</TD></TR>", hidden);
  t += "</TABLE>>";
  return fmt::format("{} [id=\"{}\", class=\"{}\", label={}];\n", nd.id, nd.id, class_of(nd.mark), t);
}

}  // namespace

std::string state_dot(const State& before, const State& after, const Namer& names, const PictureTitle& title) {
  const Scene old = build_scene(before, names);
  Scene now = build_scene(after, names);
  const std::vector<Node> gone = compare(old, now);

  std::string out = "digraph mmsim {\n";
  const std::string caption = quoted_lines({
      fmt::format("{} · {} · step {}/{}", title.scenario, title.profile, title.step, title.steps),
      fmt::format("line {}: {}  →  {}", title.line, title.text, title.result),
      "green: new in this step · yellow/red border: changed · dashed: gone",
  });
  out += fmt::format(
      "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=11, labelloc=t, labeljust=l, nodesep=0.2, ranksep=0.6, "
      "label={}];\n",
      caption);
  out += "  node [shape=plaintext, fontname=\"Helvetica\", fontsize=10];\n";
  out += "  edge [arrowsize=0.6, fontname=\"Helvetica\", fontsize=9, color=\"#444444\"];\n";

  // Clusters: one per live process, holding its task node, VMAs and the VMAs it just lost.
  std::set<std::string> cluster_ids;
  for (const Cluster& c : now.clusters) cluster_ids.insert(c.id);
  for (const Cluster& c : now.clusters) {
    out += fmt::format("  subgraph {} {{\n    label={}; style=rounded; color=\"#888888\";\n", c.id, quoted_lines({c.label}));
    for (const Node& nd : now.nodes)
      if (nd.cluster == c.id) out += "    " + render_node(nd);
    for (const Node& nd : gone)
      if (nd.cluster == c.id) out += "    " + render_node(nd);
    out += "  }\n";
  }
  for (const Node& nd : now.nodes)
    if (!cluster_ids.count(nd.cluster)) out += "  " + render_node(nd);
  for (const Node& nd : gone)
    if (!cluster_ids.count(nd.cluster)) out += "  " + render_node(nd);
  // Folios in one column, between the page tables and the other holders.
  std::string folios;
  for (const Node& nd : now.nodes)
    if (nd.id.rfind("folio", 0) == 0 || nd.id == "zero") folios += " " + nd.id + ";";
  for (const Node& nd : gone)
    if (nd.id.rfind("folio", 0) == 0) folios += " " + nd.id + ";";
  if (!folios.empty()) out += fmt::format("  {{ rank=same;{} }}\n", folios);
  for (const Edge& e : now.edges) {
    std::string attrs = e.attrs;
    if (e.mark == Mark::New) attrs += fmt::format("{}color=\"{}\", penwidth=2", attrs.empty() ? "" : ", ", kHotBorder);
    // A later color= wins in Graphviz; keep the stale colour over the "new" one.
    if (e.attrs.find("stale") != std::string::npos && e.mark == Mark::New) attrs += ", color=\"#ff7f0e\"";
    out += fmt::format("  {} -> {} [class=\"{}\"{}{}];\n", e.from, e.to, class_of(e.mark), attrs.empty() ? "" : ", ", attrs);
  }
  out += "}\n";
  return out;
}

}  // namespace mmsim::viz
