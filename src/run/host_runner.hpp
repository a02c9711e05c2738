// The host runner: the same Scenario executed on the machine's real kernel,
// one worker process per scenario process (see docs/host.md). It gives back a
// RunResult like the model runner, plus why each skipped expectation was skipped.
#pragma once
#include <cstdint>
#include <map>
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
  std::string str() const;
};
Features detect_features();

struct HostOptions {
  uint64_t step_delay_ms = 0;   // sleep between steps (for tests that interrupt a run)
  uint64_t step_timeout_ms = 5000;
};

struct HostResult {
  RunResult run;                                   // expects, errors, bindings (host values)
  std::vector<std::string> skip_reasons;           // parallel to run.expects ("" unless Skipped)
  std::map<std::string, std::string> skipped;      // bound name -> why the host could not observe it
  std::map<std::string, int> bind_line;            // bound name -> line of the step that bound it
};

HostResult run_host_scenario(const Scenario& sc, const std::string& profile,
                             const std::map<std::string, std::string>& policies, const Features& f,
                             const HostOptions& opt);

std::string host_text_report(const HostResult& r);

// Install SIGINT/SIGTERM handlers that kill the running scenario's workers
// and make this process the subreaper of orphaned workers.
void install_host_safety();

}  // namespace mmsim::host
