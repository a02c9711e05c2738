// The host runner: the same Scenario executed on the machine's real kernel,
// one worker process per scenario process (see docs/host.md). It gives back a
// RunResult like the model runner, plus why each skipped expectation was skipped.
#pragma once
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "run/runner.hpp"
#include "scenario/ast.hpp"

namespace mmsim::host {

// What the machine offers; printed in the header of every host run.
struct Features {
  std::string kernel;        // uname -r
  bool io_uring = false;
  bool soft_dirty = false;   // a new VMA reads soft-dirty in pagemap
  bool swap = false;         // an active swap device (/proc/swaps)
  bool pfn_visible = false;  // pagemap shows PFNs (CAP_SYS_ADMIN)
  std::vector<std::string> thp_sizes;  // mTHP sizes with their setting
  std::string thp_enabled;
  uint64_t hugetlb_free = 0;
  bool gup_test = false;
  bool kvm = false;
  uint64_t kvm_vm_types = 0;    // KVM_CAP_VM_TYPES
  uint64_t kvm_gmem_flags = 0;  // KVM_CAP_GUEST_MEMFD_FLAGS on /dev/kvm
  bool droppable = false;       // mmap(MAP_DROPPABLE) works (6.11+, 64-bit)
  bool vdso_getrandom = false;  // __vdso_getrandom with a 144-byte state
  std::string str() const;
  nlohmann::json json() const;  // the same, as an object (for --json)
};
Features detect_features();

struct HostOptions {
  uint64_t step_delay_ms = 0;   // sleep between steps (for tests that interrupt a run)
  uint64_t step_timeout_ms = 5000;
  // --allow-system-changes: `config swap=N` gets a temporary N-slot swapfile
  // (swapon for the scenario, swapoff + delete on every exit path). Never default.
  bool allow_system_changes = false;
};

// How a host value is compared with the model's (docs/host.md, "getrandom").
enum class Compare {
  Exact,            // the value itself (PFNs: by their equality pattern)
  GetrandomOutput,  // real vDSO output: only the outcome and the equality pattern among outputs
  StateWord,        // a getrandom state's generation: only zero / non-zero
};

struct HostResult {
  RunResult run;                                   // expects, errors, bindings (host values)
  std::vector<std::string> skip_reasons;           // parallel to run.expects ("" unless Skipped)
  std::map<std::string, std::string> skipped;      // bound name -> why the host could not observe it
  std::map<std::string, int> bind_line;            // bound name -> line of the step that bound it
  std::map<std::string, Compare> compare;          // bound name -> how it compares (Exact unless listed)
};

HostResult run_host_scenario(const Scenario& sc, const std::string& profile,
                             const std::map<std::string, std::string>& policies, const Features& f,
                             const HostOptions& opt);

std::string host_text_report(const HostResult& r);

// A host scenario as one test point: Pass, Fail, or Skip when it has
// expectations, every one of them was skipped and nothing went wrong.
enum class HostOutcome { Pass, Fail, Skip };
HostOutcome host_outcome(const HostResult& r);
std::string host_skip_summary(const HostResult& r);  // the distinct skip reasons, "; "-joined

// `run --host --json`: the shape of json_report() with profile "host",
// "expectations_of" (the profile whose expectations were checked), "kernel",
// "features", status pass|fail|skipped, and a "reason" on each skipped expectation.
nlohmann::json host_json_report(const HostResult& r, const Features& f, uint64_t seed);
// `run --host --tap`: one test point (ok / not ok / ok # SKIP) with a YAML block.
std::string host_tap_report(const HostResult& r, size_t number);

// Install SIGINT/SIGTERM handlers that kill the running scenario's workers
// and make this process the subreaper of orphaned workers.
void install_host_safety();

}  // namespace mmsim::host
