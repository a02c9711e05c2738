#include "viz/pictures.hpp"

#include <fmt/format.h>

#include <cctype>
#include <filesystem>
#include <fstream>

#include "model/state.hpp"
#include "run/trace.hpp"
#include "viz/dot.hpp"
#include "viz/graphviz.hpp"

namespace mmsim::viz {

PictureRun run_with_pictures(const Scenario& sc, const std::string& profile,
                             const std::map<std::string, std::string>& policies, RunOptions opt) {
  PictureRun out;
  auto chained = std::move(opt.on_step);
  opt.on_step = [&](const StepView& v) {
    PictureTitle t{sc.name, profile, v.index + 1, sc.steps.size(), v.step.loc.line, v.step.text, v.result};
    out.pictures.push_back({v.index, &v.step, v.result, diff_states(v.before, v.after, v.names),
                            state_dot(v.before, v.after, v.names, t)});
    if (chained) chained(v);
  };
  out.result = run_scenario(sc, profile, policies, opt);
  return out;
}

std::string picture_stem(const std::string& scenario, const std::string& profile, size_t step) {
  std::string s = fmt::format("{}-{}-step{:02}", scenario, profile, step);
  for (char& c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) c = '_';
  return s;
}

bool write_pictures(const std::string& dir, const std::string& scenario_label, const std::string& profile,
                    const std::vector<StepPicture>& pictures, const std::string& dot_binary,
                    std::vector<std::string>* written, std::string* error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    *error = fmt::format("{}: cannot create directory: {}", dir, ec.message());
    return false;
  }
  auto put = [&](const fs::path& p, const std::string& text) {
    std::ofstream f(p, std::ios::binary | std::ios::trunc);
    f << text;
    f.close();
    if (!f) {
      *error = fmt::format("{}: cannot write", p.string());
      return false;
    }
    if (written) written->push_back(p.string());
    return true;
  };
  for (const StepPicture& pic : pictures) {
    const std::string stem = picture_stem(scenario_label, profile, pic.index + 1);
    if (!put(fs::path(dir) / (stem + ".dot"), pic.dot)) return false;
    if (dot_binary.empty()) continue;
    std::string err;
    const auto svg = dot_to_svg(dot_binary, pic.dot, &err);
    if (!svg) {
      *error = fmt::format("{}.svg: {}", stem, err);
      return false;
    }
    if (!put(fs::path(dir) / (stem + ".svg"), *svg)) return false;
  }
  return true;
}

}  // namespace mmsim::viz
