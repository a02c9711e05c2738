// The result of an operation as a process would see it: success, an errno
// from a system call, a signal from a faulting access, or a fault that could
// not complete because memory ran out (VM_FAULT_OOM). These are the same atoms
// that scenarios bind and compare (SerenityOS PageFaultResponse / herd Fault()).
#pragma once
#include <cerrno>
#include <csignal>
#include <optional>
#include <string>
#include <string_view>

namespace mmsim {

struct Outcome {
  enum class Kind : uint8_t { Ok, Errno, Signal, Oom, Userfault, Retry };
  Kind kind = Kind::Ok;
  int code = 0;  // errno or signal number

  static constexpr Outcome ok() { return {}; }
  static constexpr Outcome err(int e) { return {Kind::Errno, e}; }
  static constexpr Outcome sig(int s) { return {Kind::Signal, s}; }
  static constexpr Outcome oom() { return {Kind::Oom, 0}; }
  // handle_userfault(): the access was stopped and handed to the userfaultfd
  // monitor (a uffd-wp write); it completes once the monitor resolves it.
  static constexpr Outcome userfault() { return {Kind::Userfault, 0}; }
  // A droppable fault that could not get memory: VM_FAULT_OOM is cleared
  // (handle_mm_fault()), no signal; the access retries until memory turns up.
  static constexpr Outcome retry() { return {Kind::Retry, 0}; }
  constexpr bool is_ok() const { return kind == Kind::Ok; }
  constexpr explicit operator bool() const { return is_ok(); }
  friend constexpr bool operator==(const Outcome&, const Outcome&) = default;

  std::string name() const;  // "OK", "EFAULT", "SIGSEGV", "OOM", "USERFAULT", "RETRY"
};

// Name <-> number for the atoms scenarios use.
std::optional<Outcome> outcome_from_name(std::string_view name);
std::string_view errno_name(int e);
std::string_view signal_name(int s);

}  // namespace mmsim
