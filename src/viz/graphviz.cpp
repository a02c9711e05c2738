#include "viz/graphviz.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

extern char** environ;

namespace mmsim::viz {
namespace {

bool executable(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A temporary file that removes itself.
struct TempFile {
  std::string path;
  TempFile() {
    const char* dir = std::getenv("TMPDIR");
    std::string tmpl = fmt::format("{}/mmsim-dot-XXXXXX", dir && *dir ? dir : "/tmp");
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    const int fd = ::mkstemp(buf.data());
    if (fd >= 0) {
      ::close(fd);
      path = buf.data();
    }
  }
  ~TempFile() {
    if (!path.empty()) ::unlink(path.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
};

// Run argv with stdin/stdout/stderr redirected to files; the exit status, or -1.
int run(const std::vector<std::string>& argv, const std::string& in, const std::string& out, const std::string& err) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, in.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_TRUNC, 0);
  posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_TRUNC, 0);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0].c_str(), &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return -1;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

}  // namespace

std::optional<std::string> find_dot(const std::string& hint) {
  const std::string name = hint.empty() ? "dot" : hint;
  if (name.find('/') != std::string::npos) return executable(name) ? std::optional(name) : std::nullopt;
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  for (std::string d; std::getline(dirs, d, ':');) {
    const std::string cand = (d.empty() ? "." : d) + "/" + name;
    if (executable(cand)) return cand;
  }
  return std::nullopt;
}

std::optional<std::string> dot_to_svg(const std::string& dot_binary, const std::string& dot_source, std::string* error) {
  TempFile in, out, err;
  if (in.path.empty() || out.path.empty() || err.path.empty()) {
    *error = "cannot create a temporary file for dot";
    return std::nullopt;
  }
  {
    std::ofstream f(in.path, std::ios::binary);
    f << dot_source;
  }
  const int rc = run({dot_binary, "-Tsvg"}, in.path, out.path, err.path);
  if (rc != 0) {
    std::string msg = slurp(err.path);
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    *error = rc < 0 ? fmt::format("cannot run {}", dot_binary) : fmt::format("{} exited with status {}: {}", dot_binary, rc, msg);
    return std::nullopt;
  }
  return slurp(out.path);
}

std::string dot_version(const std::string& dot_binary) {
  TempFile in, out, err;
  if (in.path.empty() || run({dot_binary, "-V"}, in.path, out.path, err.path) != 0) return "";
  std::string v = slurp(err.path) + slurp(out.path);
  while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.pop_back();
  return v;
}

}  // namespace mmsim::viz
