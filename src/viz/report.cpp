#include "viz/report.hpp"

#include <fmt/format.h>

#include <fstream>
#include <set>

#include "policy/profile.hpp"
#include "run/report.hpp"
#include "scenario/parser.hpp"
#include "viz/graphviz.hpp"

namespace mmsim::viz {
namespace {

std::string esc(std::string_view s) {
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

const char* status_word(ExpectResult::Status s) {
  switch (s) {
    case ExpectResult::Status::Pass: return "pass";
    case ExpectResult::Status::Fail: return "fail";
    case ExpectResult::Status::NotRun: return "not-run";
    case ExpectResult::Status::Skipped: return "skipped";
  }
  return "?";
}

std::string checks_word(const CheckSet& c) {
  std::vector<std::string> on;
  if (c.no_leak) on.push_back("no-leak");
  if (c.pin_coherent) on.push_back("pin-coherent");
  if (c.no_state_reuse) on.push_back("no-state-reuse");
  if (c.droppable_never_swapped) on.push_back("droppable-never-swapped");
  if (on.size() == 4) return "all";
  if (on.empty()) return "none";
  return fmt::format("{}", fmt::join(on, ","));
}

// A shell word, quoted only when it needs to be.
std::string shell_word(const std::string& w) {
  if (!w.empty() && w.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+") == std::string::npos)
    return w;
  std::string out = "'";
  for (char c : w) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string reproduce_command(const Scenario& sc, const RunResult& r, const ReportOptions& opt) {
  std::string cmd = fmt::format("mmsim report --profile {}", shell_word(r.profile));
  const Profile* p = find_profile(r.profile);
  for (auto& [k, v] : r.policies) {
    if (p) {
      auto it = p->choices.find(k);
      if (it != p->choices.end() && it->second == v) continue;
    }
    cmd += " --policy " + shell_word(k + "=" + v);
  }
  if (opt.run.check) cmd += " --check";
  if (const std::string c = checks_word(opt.run.checks); c != "all") cmd += " --checks " + c;
  if (opt.seed) cmd += fmt::format(" --seed {}", opt.seed);
  return cmd + " " + shell_word(sc.file);
}

// dot's SVG without the XML prolog, its element ids made unique on the page.
std::string inline_svg(const std::string& svg, size_t step) {
  size_t start = svg.find("<svg");
  std::string body = start == std::string::npos ? svg : svg.substr(start);
  std::string out;
  const std::string needle = " id=\"";
  for (size_t pos = 0;;) {
    const size_t hit = body.find(needle, pos);
    if (hit == std::string::npos) {
      out += body.substr(pos);
      break;
    }
    out += body.substr(pos, hit - pos) + needle + fmt::format("s{:02}-", step);
    pos = hit + needle.size();
  }
  return out;
}

constexpr const char* kStyle = R"(
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 1.5em auto; max-width: 1200px; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; margin-bottom: .2em; } h2 { border-bottom: 1px solid #ccc; margin-top: 1.6em; }
h3 { font-size: 1.05em; margin: 0 0 .4em; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; }
table { border-collapse: collapse; } th, td { text-align: left; padding: .2em .7em .2em 0; vertical-align: top; }
table.grid td, table.grid th { border-bottom: 1px solid #e4e4e4; padding: .25em .8em .25em .3em; }
.badge { font-size: .75em; padding: .15em .5em; border-radius: .3em; color: #fff; vertical-align: middle; }
.pass { background: #2e7d32; } .fail { background: #c62828; } .not-run { background: #8d6e00; } .skipped { background: #777; }
td.status { font-weight: bold; } td.status.pass { color: #2e7d32; background: none; } td.status.fail { color: #c62828; background: none; }
td.status.not-run { color: #8d6e00; background: none; } td.status.skipped { color: #777; background: none; }
.notice { border-left: 4px solid #c62828; background: #fdecea; padding: .5em .8em; }
.step { border: 1px solid #ddd; border-radius: .4em; padding: .7em 1em; margin: 1em 0; }
.step.failed { border-color: #c62828; }
.result { font-weight: bold; } ul.changes { margin: .3em 0 .6em; padding-left: 1.3em; } ul.changes li { font-family: ui-monospace, monospace; font-size: 13px; }
figure { margin: .5em 0; overflow-x: auto; } figure svg { max-width: 100%; height: auto; }
details pre { background: #f6f6f6; padding: .6em; overflow-x: auto; }
nav ol { columns: 2; font-size: 13px; } .muted { color: #777; }
)";

}  // namespace

std::string render_report(const Scenario& sc, const RunResult& r, const std::vector<StepPicture>& pictures,
                          const ReportOptions& opt, ReportInfo* info) {
  ReportInfo local;
  ReportInfo& inf = info ? *info : local;
  inf = ReportInfo{};
  const std::optional<std::string> dot = find_dot(opt.dot_binary);
  std::string dot_ver;
  if (!dot) {
    inf.skipped = opt.dot_binary.empty() || opt.dot_binary.find('/') == std::string::npos
                      ? fmt::format("{} (no '{}' on PATH; install the Debian package graphviz, e.g. scripts/deps)",
                                    kGraphvizMissing, opt.dot_binary.empty() ? "dot" : opt.dot_binary)
                      : fmt::format("{} ({} is not an executable file)", kGraphvizMissing, opt.dot_binary);
  } else {
    dot_ver = dot_version(*dot);
    inf.svg = true;
  }
  // A run can also be skipped (MAP_DROPPABLE on a kernel before 6.11).
  const std::string status = !r.skipped.empty() ? "skipped" : r.passed ? "pass" : "fail";
  const std::string verdict = !r.skipped.empty() ? "SKIP" : r.passed ? "PASS" : "FAIL";
  const std::string command = opt.command.empty() ? reproduce_command(sc, r, opt) : opt.command;

  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += fmt::format("<title>mmsim report: {} [{}] {}</title>\n", esc(sc.name), esc(r.profile), verdict);
  h += fmt::format("<style>{}</style>\n</head>\n<body>\n", kStyle);
  h += fmt::format("<header>\n<h1>{} <span class=\"badge {}\">{}</span></h1>\n", esc(sc.name), status, verdict);
  if (!r.skipped.empty()) h += fmt::format("<p class=\"notice\">skipped: {}</p>\n", esc(r.skipped));
  if (!sc.doc.empty()) h += fmt::format("<p>{}</p>\n", esc(sc.doc));
  h += "<table class=\"meta\">\n";
  auto meta = [&](const std::string& k, const std::string& v_html) {
    h += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", esc(k), v_html);
  };
  meta("scenario file", fmt::format("<code>{}</code>", esc(sc.file)));
  meta("profile", esc(r.profile));
  meta("policies", fmt::format("<code>{}</code>", esc(policies_string(r.policies))));
  meta("seed", fmt::format("{}", opt.seed));
  meta("checks", fmt::format("{}; --check {}", checks_word(opt.run.checks), opt.run.check ? "on" : "off"));
  meta("reproduce", fmt::format("<code>{}</code>", esc(command)));
  for (const std::string& ref : sc.refs) meta("ref", esc(ref));
  meta("pictures", inf.svg ? fmt::format("SVG by Graphviz ({})", esc(dot_ver.empty() ? *dot : dot_ver))
                           : fmt::format("<strong>{}</strong>", esc(inf.skipped)));
  meta("final state hash", fmt::format("<code>{:016x}</code>", r.state_hash));
  h += "</table>\n</header>\n";
  if (!inf.svg)
    h += fmt::format("<p class=\"notice\" id=\"graphviz-skipped\">{}. The DOT source of every picture is included below; "
                     "<code>dot -Tsvg</code> renders it.</p>\n",
                     esc(inf.skipped));

  // Expectations and problems first: what a reader wants to know.
  h += "<section id=\"expectations\">\n<h2>Expectations</h2>\n";
  if (r.expects.empty()) h += "<p class=\"muted\">No expectation applies under this profile.</p>\n";
  else {
    h += "<table class=\"grid\">\n<tr><th>line</th><th>expectation</th><th>expected</th><th>actual</th><th>status</th></tr>\n";
    for (const ExpectResult& e : r.expects) {
      const bool evaluated = e.status == ExpectResult::Status::Pass || e.status == ExpectResult::Status::Fail;
      h += fmt::format("<tr class=\"expect\"><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td class=\"status {}\">{}</td></tr>\n",
                       e.expect->loc.line, esc(e.expect->text),
                       evaluated ? fmt::format("{} {}", e.expect->equal ? "==" : "!=", esc(e.expected.str())) : "",
                       evaluated ? esc(e.actual.str()) : "", status_word(e.status), status_word(e.status));
    }
    h += "</table>\n";
  }
  h += "</section>\n";
  if (!r.errors.empty() || !r.leaks.empty() || !r.lost_coherence.empty()) {
    h += "<section id=\"problems\">\n<h2>Errors and check events</h2>\n<ul>\n";
    for (const std::string& e : r.errors) h += fmt::format("<li class=\"error\">{}</li>\n", esc(e));
    for (const std::string& e : r.leaks) h += fmt::format("<li>check no-leak: {}</li>\n", esc(e));
    for (const std::string& e : r.lost_coherence) h += fmt::format("<li>check pin-coherent: {}</li>\n", esc(e));
    h += "</ul>\n</section>\n";
  }

  // The steps.
  h += fmt::format("<section id=\"steps\">\n<h2>Steps</h2>\n<nav><ol>\n");
  for (size_t i = 0; i < sc.steps.size(); ++i)
    h += fmt::format("<li><a href=\"#step-{:02}\"><code>{}</code></a></li>\n", i + 1, esc(sc.steps[i].text));
  h += "</ol></nav>\n";
  std::set<size_t> ran;
  for (const StepPicture& p : pictures) ran.insert(p.index);
  size_t next = 0;
  for (size_t i = 0; i < sc.steps.size(); ++i) {
    const Step& s = sc.steps[i];
    const StepPicture* pic = next < pictures.size() && pictures[next].index == i ? &pictures[next++] : nullptr;
    h += fmt::format("<div class=\"step{}\" id=\"step-{:02}\">\n", pic ? "" : " not-run", i + 1);
    h += fmt::format("<h3>Step {} · line {} · <code>{}</code> → <span class=\"result\">{}</span></h3>\n", i + 1, s.loc.line,
                     esc(s.text), pic ? esc(pic->result) : "not run");
    if (!pic) {
      h += "<p class=\"muted\">Not run: the scenario stopped at an earlier step.</p>\n</div>\n";
      continue;
    }
    if (pic->changes.empty())
      h += "<p class=\"muted\">No change to the state.</p>\n";
    else {
      h += "<ul class=\"changes\">\n";
      for (const std::string& c : pic->changes) h += fmt::format("<li>{}</li>\n", esc(c));
      h += "</ul>\n";
    }
    bool drawn = false;
    if (inf.svg) {
      std::string err;
      if (auto svg = dot_to_svg(*dot, pic->dot, &err)) {
        h += fmt::format("<figure>\n{}</figure>\n", inline_svg(*svg, i + 1));
        drawn = true;
      } else {
        inf.problems.push_back(fmt::format("step {}: {}", i + 1, err));
        h += fmt::format("<p class=\"notice\">picture failed: {}</p>\n", esc(err));
      }
    }
    h += fmt::format("<details{}><summary>DOT source</summary><pre>{}</pre></details>\n", drawn ? "" : " open", esc(pic->dot));
    h += "</div>\n";
  }
  h += "</section>\n";
  h += fmt::format("<footer class=\"muted\"><p>mmsim {} report · {} steps, {} run · {} expectations</p></footer>\n</body>\n</html>\n",
                   esc(opt.version), sc.steps.size(), ran.size(), r.expects.size());
  return h;
}

std::string render_report(const Scenario& sc, const RunResult& r, const ReportOptions& opt, ReportInfo* info) {
  const PictureRun pr = run_with_pictures(sc, r.profile, r.policies, opt.run);
  return render_report(sc, r, pr.pictures, opt, info);
}

int report_command(const ReportArgs& a) {
  const Profile* p = find_profile(a.profile);
  if (!p) {
    std::vector<std::string> names;
    for (const Profile& q : profiles()) names.push_back(q.name);
    fmt::print(stderr, "mmsim: unknown profile '{}' (known profiles: {})\n", a.profile, fmt::join(names, ", "));
    return 2;
  }
  auto choices = p->choices;
  for (const std::string& o : a.policy_overrides) {
    auto eq = o.find('=');
    if (eq == std::string::npos) {
      fmt::print(stderr, "mmsim: --policy {}: expected knob=value (e.g. cow=anon-exclusive)\n", o);
      return 2;
    }
    choices[o.substr(0, eq)] = o.substr(eq + 1);
  }
  std::string err;
  if (!make_policy_set(choices, &err)) {
    fmt::print(stderr, "mmsim: --policy: {}\n", err);
    return 2;
  }
  ReportOptions opt;
  opt.seed = a.seed;
  opt.dot_binary = a.dot_binary;
  opt.version = a.version;
  opt.run.check = a.check;
  if (!parse_checks(a.checks, &opt.run.checks, &err)) {
    fmt::print(stderr, "mmsim: --checks: {}\n", err);
    return 2;
  }
  ParseResult pr = load_scenario(a.path);
  for (const Diagnostic& d : pr.errors) fmt::print(stderr, "{}\n", d.str());
  if (!pr.scenario) {
    fmt::print(stderr, "mmsim: bad input, nothing was run\n");
    return 2;
  }
  const Scenario& sc = *pr.scenario;
  const PictureRun run = run_with_pictures(sc, p->name, choices, opt.run);
  ReportInfo info;
  const std::string page = render_report(sc, run.result, run.pictures, opt, &info);
  if (!info.svg) fmt::print(stderr, "mmsim report: {}\n", info.skipped);
  for (const std::string& e : info.problems) fmt::print(stderr, "mmsim report: picture failed: {}\n", e);
  if (a.out.empty()) {
    fmt::print("{}", page);
  } else {
    std::ofstream f(a.out, std::ios::binary | std::ios::trunc);
    f << page;
    f.close();
    if (!f) {
      fmt::print(stderr, "mmsim: {}: cannot write\n", a.out);
      return 2;
    }
    fmt::print(stderr, "mmsim report: wrote {} ({}, {}; {} of {} steps run{})\n", a.out, sc.name, p->name,
               run.pictures.size(), sc.steps.size(), info.svg ? ", pictures inlined as SVG" : "");
  }
  return run.result.passed || !run.result.skipped.empty() ? 0 : 1;
}

}  // namespace mmsim::viz
