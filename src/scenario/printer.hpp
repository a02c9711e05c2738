// Scenario -> `.mm` text: the inverse of the parser for everything the
// language can say. The explorer writes its counterexamples with it, so a
// printed scenario parses back into the same steps (tests/explore_test.cpp).
#pragma once
#include <string>

#include "scenario/ast.hpp"

namespace mmsim {

// One step as the parser reads it, without comment or newline:
// "P0: write A[0] = 0x100", "dma read K0[0] -> v", "P1: read pipe p0 -> x".
std::string print_step(const Step& s);
// A range operand: "A", "A[3]", "A[0:4]".
std::string print_range(const RangeRef& r);
// One expectation: "expect[linux-5.7] leaks == 0".
std::string print_expect(const Expect& e);
// The whole scenario: name, doc, refs, config, steps, expectations (in that
// order; `header` lines, each starting with '#', come first).
std::string print_scenario(const Scenario& sc, const std::string& header = {});

}  // namespace mmsim
