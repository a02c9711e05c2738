// Helpers the explorer's tests share.
#pragma once
#include <gtest/gtest.h>

#include <string>

#include "explore/context.hpp"
#include "explore/explore.hpp"
#include "policy/registry.hpp"
#include "scenario/parser.hpp"

namespace mmsim::explore::testing {

// A search's options: a profile's policies, an alphabet, a bound.
inline Options options(const std::string& profile, const std::string& ops, uint32_t procs, uint32_t depth) {
  Options o;
  o.profile = profile;
  o.choices = find_profile(profile)->choices;
  std::string err;
  o.ps = *make_policy_set(o.choices, &err);
  EXPECT_TRUE(parse_ops(ops, &o.ops, &err)) << err;
  o.bounds.procs = procs;
  o.depth = depth;
  return o;
}

// The node a scenario's steps lead to from the search's root, every step valid
// and breaking nothing.
inline Node node_after(Context& c, const std::string& text) {
  std::string err;
  ParseResult pr = parse_scenario(text, "steps.mm");
  EXPECT_TRUE(pr.scenario) << (pr.errors.empty() ? "" : pr.errors.front().str());
  Node n = c.root;
  if (!pr.scenario) return n;
  for (const Step& s : pr.scenario->steps) {
    Action a;
    EXPECT_TRUE(from_step(s, n, c.names, &a, &err)) << err;
    Violation v;
    bool valid = false;
    apply(c.cx, n, a, &v, &valid);
    EXPECT_TRUE(valid && !v.inv) << s.text << ": " << v.message;
  }
  return n;
}

}  // namespace mmsim::explore::testing
