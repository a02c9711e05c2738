// Pictures and reports (src/viz): one DOT picture per step with the changed
// parts highlighted, deterministic bytes, and the HTML report with and
// without Graphviz.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "policy/profile.hpp"
#include "scenario/parser.hpp"
#include "viz/dot.hpp"
#include "viz/graphviz.hpp"
#include "viz/pictures.hpp"
#include "viz/report.hpp"

namespace mmsim {
namespace {

namespace fs = std::filesystem;

// P0 writes, forks, the child writes (a COW copy), both read their PFNs, the child exits.
constexpr const char* kForkWrite = R"(scenario viz-fork-write
config memory=16
P0: mmap A 1 rw
P0: write A[0] = 0xaa
P0: fork P1
P1: write A[0] = 0xbb
P0: pfn A[0] -> p0
P1: pfn A[0] -> p1
P1: exit
expect p0 != p1
expect leaks == 0
)";

Scenario parse(const std::string& text, const std::string& file = "viz-fork-write.mm") {
  ParseResult pr = parse_scenario(text, file);
  EXPECT_TRUE(pr.errors.empty()) << (pr.errors.empty() ? "" : pr.errors[0].str());
  return *pr.scenario;
}

viz::PictureRun run(const Scenario& sc) {
  const Profile* p = find_profile(kDefaultProfile);
  return viz::run_with_pictures(sc, p->name, p->choices, RunOptions{});
}

// The class of node `id` in DOT source: new, changed, same, gone; "" if absent.
std::string node_class(const std::string& dot, const std::string& id) {
  std::smatch m;
  const std::regex re("\\n\\s*" + id + " \\[[^\\n]*?class=\"(\\w+)\"");
  return std::regex_search(dot, m, re) ? m[1].str() : "";
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct TempDir {
  fs::path path;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "mmsim-viz-XXXXXX").string();
    path = ::mkdtemp(t.data()) ? fs::path(t) : fs::path();
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

TEST(VizPictures, OnePicturePerStep) {
  const Scenario sc = parse(kForkWrite);
  const viz::PictureRun r = run(sc);
  EXPECT_TRUE(r.result.passed);
  ASSERT_EQ(r.pictures.size(), sc.steps.size());
  for (size_t i = 0; i < r.pictures.size(); ++i) {
    EXPECT_EQ(r.pictures[i].index, i);
    EXPECT_EQ(r.pictures[i].dot.rfind("digraph mmsim {", 0), 0u);
    EXPECT_NE(r.pictures[i].dot.find(fmt::format("step {}/{}", i + 1, sc.steps.size())), std::string::npos);
  }
}

TEST(VizPictures, ChangedFolioHighlightedOnlyInItsStep) {
  const Scenario sc = parse(kForkWrite);
  const viz::PictureRun r = run(sc);
  ASSERT_EQ(r.pictures.size(), 7u);
  // The child's COW copy: the page its pfn probe saw.
  const Value p1 = r.result.bindings.at("p1"), p0 = r.result.bindings.at("p0");
  ASSERT_EQ(p1.kind, Value::Kind::Pfn);
  const std::string copy = fmt::format("folio{}", p1.i), orig = fmt::format("folio{}", p0.i);
  // mmap: no folio yet; write: the original appears; fork: it is shared (mapcount 2).
  EXPECT_EQ(node_class(r.pictures[0].dot, orig), "");
  EXPECT_EQ(node_class(r.pictures[1].dot, orig), "new");
  EXPECT_EQ(node_class(r.pictures[2].dot, orig), "changed");
  EXPECT_EQ(node_class(r.pictures[2].dot, copy), "");
  // P1's write: the copy is new, the original loses a mapping; nothing else.
  const std::string& w = r.pictures[3].dot;
  EXPECT_EQ(node_class(w, copy), "new");
  EXPECT_EQ(node_class(w, orig), "changed");
  EXPECT_NE(w.find("was: refcount 2  mapcount 2  pincount 0"), std::string::npos) << w;
  EXPECT_EQ(node_class(w, "task0"), "same");
  EXPECT_EQ(node_class(w, "task1"), "same");
  EXPECT_NE(w.find(fmt::format("-> {}:w [class=\"new\"", copy)), std::string::npos) << w;
  EXPECT_NE(w.find(fmt::format("BGCOLOR=\"#ffe08a\">A[0]  pfn {} rw D SD", p1.i)), std::string::npos) << w;
  // The probes change nothing: no node is highlighted.
  for (size_t i : {4u, 5u}) {
    EXPECT_EQ(node_class(r.pictures[i].dot, copy), "same") << i;
    EXPECT_EQ(node_class(r.pictures[i].dot, orig), "same") << i;
    EXPECT_EQ(r.pictures[i].dot.find("class=\"new\""), std::string::npos) << i;
    EXPECT_EQ(r.pictures[i].dot.find("class=\"changed\""), std::string::npos) << i;
    EXPECT_TRUE(r.pictures[i].changes.empty()) << i;
  }
  // P1 exits: its process and its copy are drawn dashed as gone.
  const std::string& x = r.pictures[6].dot;
  EXPECT_EQ(node_class(x, "task1"), "gone");
  EXPECT_EQ(node_class(x, copy), "gone");
  EXPECT_NE(x.find("freed"), std::string::npos);
  EXPECT_EQ(node_class(x, orig), "same");  // P0's page is not touched by the exit
}

TEST(VizPictures, TraceVocabulary) {
  const Scenario sc = parse(kForkWrite);
  const viz::PictureRun r = run(sc);
  // The per-step changes are the --trace lines, and the picture names PTEs the same way.
  const Profile* p = find_profile(kDefaultProfile);
  RunOptions t;
  t.trace = true;
  const RunResult tr = run_scenario(sc, p->name, p->choices, t);
  ASSERT_EQ(tr.trace.size(), r.pictures.size());
  for (size_t i = 0; i < tr.trace.size(); ++i) EXPECT_EQ(tr.trace[i].changes, r.pictures[i].changes) << i;
  EXPECT_NE(r.pictures[3].dot.find("A[0]  pfn"), std::string::npos);
  EXPECT_NE(r.pictures[3].dot.find("anon_exclusive"), std::string::npos);
}

TEST(VizPictures, PinsPipesAndStalePins) {
  // A R/O pin taken while the page is exclusive, then clear_refs under a
  // profile that write-protects it and a write that copies: the pin is stale.
  const Scenario sc = parse(R"(scenario viz-pin
config memory=16
P0: mmap A 1 rw
P0: write A[0] = 1
P0: pin k = A[0] longterm
P0: vmsplice A[0] -> pipe p
P0: clear_refs
P0: write A[0] = 2
expect[linux-5.9] lost_coherence == 1
expect lost_coherence == 0
)", "viz-pin.mm");
  const Profile* p = find_profile("linux-5.9");
  const viz::PictureRun r = viz::run_with_pictures(sc, p->name, p->choices, RunOptions{});
  ASSERT_EQ(r.pictures.size(), 6u);
  EXPECT_EQ(node_class(r.pictures[2].dot, "gup0"), "new");
  EXPECT_NE(r.pictures[2].dot.find("pin k"), std::string::npos);
  EXPECT_NE(r.pictures[2].dot.find("FOLL_PIN"), std::string::npos);
  EXPECT_EQ(node_class(r.pictures[3].dot, "pipe0"), "new");
  EXPECT_NE(r.pictures[3].dot.find("label=\"buf 0\""), std::string::npos);
  EXPECT_EQ(r.pictures[4].dot.find("stale"), std::string::npos);
  EXPECT_NE(r.pictures[5].dot.find("stale: pte maps pfn"), std::string::npos) << r.pictures[5].dot;
  EXPECT_EQ(r.result.lost_coherence.size(), 1u);
}

TEST(VizPictures, SwapEntriesAndSwapCache) {
  // pageout writes the page to a swap slot: the PTE becomes a swap entry that
  // points at the slot; the read fault swaps it in and keeps it in the swap cache.
  const Scenario sc = parse(R"(scenario viz-swap
config memory=16 swap=4
P0: mmap A 1 rw
P0: write A[0] = 0xaa
P0: madvise A pageout
P0: read A[0] -> x
expect x == 0xaa
)", "viz-swap.mm");
  const viz::PictureRun r = run(sc);
  ASSERT_TRUE(r.result.passed);
  ASSERT_EQ(r.pictures.size(), 4u);
  EXPECT_EQ(node_class(r.pictures[1].dot, "swap"), "");
  const std::string& out = r.pictures[2].dot;  // pageout
  EXPECT_EQ(node_class(out, "swap"), "new") << out;
  EXPECT_EQ(node_class(out, "folio1"), "gone") << out;
  EXPECT_NE(out.find("slot 0  count 1"), std::string::npos) << out;
  EXPECT_NE(out.find("-> swap:w0:w [class=\"new\""), std::string::npos) << out;
  const std::string& in = r.pictures[3].dot;  // swap-in
  EXPECT_EQ(node_class(in, "swap"), "changed") << in;
  EXPECT_NE(in.find("swapcache slot 0"), std::string::npos) << in;
  EXPECT_NE(in.find("label=\"swap cache\""), std::string::npos) << in;
}

TEST(VizPictures, DeterministicBytes) {
  const Scenario sc = parse(kForkWrite);
  const viz::PictureRun a = run(sc), b = run(parse(kForkWrite));
  ASSERT_EQ(a.pictures.size(), b.pictures.size());
  for (size_t i = 0; i < a.pictures.size(); ++i) EXPECT_EQ(a.pictures[i].dot, b.pictures[i].dot) << i;

  // Files: same names, same bytes, in two directories (SVG too when dot is here).
  const std::string dot = viz::find_dot().value_or("");
  TempDir d1, d2;
  std::vector<std::string> w1, w2;
  std::string err;
  ASSERT_TRUE(viz::write_pictures(d1.path.string(), sc.name, "linux-6.18", a.pictures, dot, &w1, &err)) << err;
  ASSERT_TRUE(viz::write_pictures(d2.path.string(), sc.name, "linux-6.18", b.pictures, dot, &w2, &err)) << err;
  ASSERT_EQ(w1.size(), a.pictures.size() * (dot.empty() ? 1 : 2));
  ASSERT_EQ(w1.size(), w2.size());
  EXPECT_TRUE(fs::exists(d1.path / "viz-fork-write-linux-6.18-step01.dot"));
  EXPECT_TRUE(fs::exists(d1.path / "viz-fork-write-linux-6.18-step07.dot"));
  EXPECT_FALSE(fs::exists(d1.path / "viz-fork-write-linux-6.18-step08.dot"));
  for (size_t i = 0; i < w1.size(); ++i) {
    EXPECT_EQ(fs::path(w1[i]).filename(), fs::path(w2[i]).filename());
    EXPECT_EQ(slurp(w1[i]), slurp(w2[i])) << w1[i];
  }
  EXPECT_EQ(viz::picture_stem("a b/c", "linux-6.18", 3), "a_b_c-linux-6.18-step03");
  EXPECT_EQ(viz::picture_stem("x", "p", 123), "x-p-step123");
}

// docs/pictures.md shows these two pictures; they must be what mmsim draws today.
TEST(VizPictures, DocsExampleIsCurrent) {
  ParseResult pr = load_scenario(MMSIM_SOURCE_DIR "/scenarios/cow/vmsplice-leak.mm");
  ASSERT_TRUE(pr.scenario);
  for (const char* profile : {"linux-5.7", "linux-6.18"}) {
    const Profile* p = find_profile(profile);
    const viz::PictureRun r = viz::run_with_pictures(*pr.scenario, p->name, p->choices, RunOptions{});
    ASSERT_GE(r.pictures.size(), 9u);
    const std::string stem = viz::picture_stem("vmsplice-leak", profile, 9);
    EXPECT_TRUE(r.pictures[8].dot == slurp(fs::path(MMSIM_SOURCE_DIR) / "docs/img" / (stem + ".dot")))
        << "docs/img is out of date: build/mmsim run --profile " << profile
        << " --dot /tmp/p scenarios/cow/vmsplice-leak.mm && cp /tmp/p/" << stem << ".{dot,svg} docs/img/";
  }
}

std::string with_failing_expect() { return std::string(kForkWrite) + "expect p0 == p1\n"; }

TEST(VizReport, EveryStepAndExpectationWithoutGraphviz) {
  const Scenario sc = parse(with_failing_expect());
  const viz::PictureRun r = run(sc);
  ASSERT_FALSE(r.result.passed);
  viz::ReportOptions opt;
  opt.seed = 7;
  opt.dot_binary = "/nonexistent/bin/dot";
  viz::ReportInfo info;
  const std::string html = viz::render_report(sc, r.result, r.pictures, opt, &info);
  EXPECT_FALSE(info.svg);
  EXPECT_EQ(info.skipped.rfind(viz::kGraphvizMissing, 0), 0u) << info.skipped;
  EXPECT_NE(html.find("skipped: graphviz not installed"), std::string::npos);
  EXPECT_EQ(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  // Header: profile, policies, seed, the command that reproduces the run.
  EXPECT_NE(html.find("linux-6.18"), std::string::npos);
  EXPECT_NE(html.find("cow=anon-exclusive"), std::string::npos);
  EXPECT_NE(html.find("<tr><th>seed</th><td>7</td></tr>"), std::string::npos);
  EXPECT_NE(html.find("mmsim report --profile linux-6.18 --seed 7 viz-fork-write.mm"), std::string::npos);
  EXPECT_NE(html.find("FAIL</span>"), std::string::npos);
  // Every step, with its result and (without dot) its DOT source.
  for (size_t i = 0; i < sc.steps.size(); ++i) {
    EXPECT_NE(html.find(fmt::format("id=\"step-{:02}\"", i + 1)), std::string::npos) << i;
    std::string text = sc.steps[i].text;
    for (size_t pos; (pos = text.find('>')) != std::string::npos;) text.replace(pos, 1, "&gt;");
    EXPECT_NE(html.find("<code>" + text + "</code> →"), std::string::npos) << text;
  }
  EXPECT_NE(html.find("→ <span class=\"result\">p0 = pfn:"), std::string::npos);
  EXPECT_NE(html.find("digraph mmsim {"), std::string::npos);
  // Every expectation with its status.
  ASSERT_EQ(r.result.expects.size(), 3u);
  EXPECT_NE(html.find("<code>expect p0 != p1</code>"), std::string::npos);
  EXPECT_NE(html.find("<code>expect leaks == 0</code>"), std::string::npos);
  EXPECT_NE(html.find("<code>expect p0 == p1</code>"), std::string::npos);
  const std::regex status_cell("class=\"status (pass|fail)\"");
  std::vector<std::string> statuses;
  for (std::sregex_iterator it(html.begin(), html.end(), status_cell), end; it != end; ++it) statuses.push_back((*it)[1]);
  EXPECT_EQ(statuses, (std::vector<std::string>{"pass", "pass", "fail"}));
  // Self-contained: nothing loaded from elsewhere.
  EXPECT_EQ(html.find("<script src"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);
}

TEST(VizReport, StepsAfterAnUnboundFailureAreNotRun) {
  // The write to a read-only mapping fails with SIGSEGV and binds nothing: the
  // scenario stops there; that step has its picture, the next one has none.
  const Scenario sc = parse(R"(scenario viz-stop
config memory=16
P0: mmap A 1 r
P0: write A[0] = 1
P0: read A[0] -> x
expect x == 0
)", "viz-stop.mm");
  const viz::PictureRun r = run(sc);
  EXPECT_FALSE(r.result.passed);
  ASSERT_EQ(r.pictures.size(), 2u);
  EXPECT_EQ(r.pictures[1].result, "SIGSEGV");
  viz::ReportOptions opt;
  opt.dot_binary = "/nonexistent/bin/dot";
  const std::string html = viz::render_report(sc, r.result, r.pictures, opt);
  EXPECT_NE(html.find("→ <span class=\"result\">SIGSEGV</span>"), std::string::npos);
  EXPECT_NE(html.find("<div class=\"step not-run\" id=\"step-03\">"), std::string::npos);
  EXPECT_NE(html.find("class=\"status not-run\""), std::string::npos);
  EXPECT_NE(html.find("class=\"error\""), std::string::npos);
}

TEST(VizReport, MissingGraphvizOnPath) {
  const Scenario sc = parse(kForkWrite);
  const viz::PictureRun r = run(sc);
  const char* old = std::getenv("PATH");
  const std::string saved = old ? old : "";
  ::setenv("PATH", "/nonexistent-mmsim-dir", 1);
  EXPECT_FALSE(viz::find_dot().has_value());
  viz::ReportInfo info;
  const std::string html = viz::render_report(sc, r.result, r.pictures, viz::ReportOptions{}, &info);
  ::setenv("PATH", saved.c_str(), 1);
  EXPECT_FALSE(info.svg);
  EXPECT_NE(info.skipped.find("no 'dot' on PATH"), std::string::npos) << info.skipped;
  EXPECT_NE(html.find("id=\"graphviz-skipped\""), std::string::npos);
  EXPECT_NE(html.find("PASS</span>"), std::string::npos);
}

TEST(VizReport, ReportCommandWritesPage) {
  TempDir d;
  const fs::path mm = d.path / "viz-fork-write.mm", out = d.path / "report.html";
  std::ofstream(mm) << kForkWrite;
  viz::ReportArgs a;
  a.path = mm.string();
  a.out = out.string();
  a.dot_binary = "/nonexistent/bin/dot";
  EXPECT_EQ(viz::report_command(a), 0);
  const std::string html = slurp(out);
  EXPECT_NE(html.find("skipped: graphviz not installed"), std::string::npos);
  EXPECT_NE(html.find("id=\"step-07\""), std::string::npos);
  // Bad input: exit 2, nothing written.
  viz::ReportArgs bad = a;
  bad.profile = "linux-0.01";
  bad.out = (d.path / "bad.html").string();
  EXPECT_EQ(viz::report_command(bad), 2);
  EXPECT_FALSE(fs::exists(bad.out));
  // A failing expectation: exit 1.
  std::ofstream(mm) << with_failing_expect();
  EXPECT_EQ(viz::report_command(a), 1);
}

TEST(VizReport, InlinesSvgWithGraphviz) {
  const auto dot = viz::find_dot();
  if (!dot) GTEST_SKIP() << viz::kGraphvizMissing;
  const Scenario sc = parse(kForkWrite);
  const viz::PictureRun r = run(sc);
  viz::ReportInfo info;
  const std::string html = viz::render_report(sc, r.result, r.pictures, viz::ReportOptions{}, &info);
  EXPECT_TRUE(info.svg);
  EXPECT_TRUE(info.problems.empty());
  size_t svgs = 0;
  for (size_t pos = 0; (pos = html.find("<svg", pos)) != std::string::npos; ++pos) ++svgs;
  EXPECT_EQ(svgs, sc.steps.size());
  EXPECT_EQ(html.find("<?xml"), std::string::npos);
  EXPECT_EQ(html.find("<!DOCTYPE svg"), std::string::npos);
  EXPECT_NE(html.find("id=\"s04-folio"), std::string::npos);      // ids unique per picture
  EXPECT_NE(html.find("class=\"node new\""), std::string::npos);  // the highlight survives into SVG
  // The page renders the same bytes again (deterministic SVG from dot).
  EXPECT_EQ(html, viz::render_report(sc, r.result, r.pictures, viz::ReportOptions{}));
  // The re-running overload draws the same pictures.
  EXPECT_EQ(html, viz::render_report(sc, r.result, viz::ReportOptions{}));
}

}  // namespace
}  // namespace mmsim
