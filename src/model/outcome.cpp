#include "model/outcome.hpp"

#include <array>
#include <utility>

namespace mmsim {
namespace {
constexpr std::array<std::pair<int, std::string_view>, 22> kErrnos{{
    {ENOTTY, "ENOTTY"},
    {EPERM, "EPERM"},   {ENOENT, "ENOENT"}, {ESRCH, "ESRCH"},   {EINTR, "EINTR"},
    {EIO, "EIO"},       {EBADF, "EBADF"},   {EAGAIN, "EAGAIN"}, {ENOMEM, "ENOMEM"},
    {EACCES, "EACCES"}, {EFAULT, "EFAULT"}, {EBUSY, "EBUSY"},   {EEXIST, "EEXIST"},
    {EINVAL, "EINVAL"}, {ENOSPC, "ENOSPC"}, {EOPNOTSUPP, "EOPNOTSUPP"}, {ENODEV, "ENODEV"}, {ENOSYS, "ENOSYS"},
    {ESPIPE, "ESPIPE"}, {EXDEV, "EXDEV"}, {ENXIO, "ENXIO"}, {EFBIG, "EFBIG"},
}};
constexpr std::array<std::pair<int, std::string_view>, 3> kSignals{{
    {SIGSEGV, "SIGSEGV"}, {SIGBUS, "SIGBUS"}, {SIGKILL, "SIGKILL"},
}};
}  // namespace

std::string_view errno_name(int e) {
  for (auto& [n, s] : kErrnos)
    if (n == e) return s;
  return "E?";
}

std::string_view signal_name(int s) {
  for (auto& [n, str] : kSignals)
    if (n == s) return str;
  return "SIG?";
}

std::string Outcome::name() const {
  switch (kind) {
    case Kind::Ok: return "OK";
    case Kind::Errno: return std::string(errno_name(code));
    case Kind::Signal: return std::string(signal_name(code));
    case Kind::Oom: return "OOM";
    case Kind::Userfault: return "USERFAULT";
    case Kind::Retry: return "RETRY";
  }
  return "?";
}

std::optional<Outcome> outcome_from_name(std::string_view name) {
  if (name == "OK") return Outcome::ok();
  if (name == "OOM") return Outcome::oom();
  if (name == "USERFAULT") return Outcome::userfault();
  if (name == "RETRY") return Outcome::retry();
  for (auto& [n, s] : kErrnos)
    if (s == name) return Outcome::err(n);
  for (auto& [n, s] : kSignals)
    if (s == name) return Outcome::sig(n);
  return std::nullopt;
}

}  // namespace mmsim
