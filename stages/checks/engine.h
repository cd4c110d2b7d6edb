// The check engine: runs a rubric's automatic checks against a catalogued
// case and yields one Finding per rubric item.
//
// Reads: the case's documents (with fields, seals, signatures, text), pages
// (readability, printed numbers), case type, procedure and agency.
// Yields: for every item of the rubric, in rubric order, a Finding with
// status pass | deduct | manual | not_applicable; deductions carry a reason
// a reviewer can verify and evidence (page, box, quoted text). Evidence that
// cannot be read makes an item manual, never pass or deduct.
// Stateless and thread-safe.
#pragma once

#include <string>
#include <vector>

#include "models/case.h"
#include "models/rubric.h"

namespace pingcha::checks {

struct Context {
  const Rubric& rubric;
  const Catalogue& catalogue;
  const Calendar& calendar;
};

std::vector<Finding> RunChecks(const Case& c, const Context& ctx);

// One check's outcome, exposed so each kind can be tested on its own.
struct Hit {
  double deduct = 0;
  std::string reason;
  std::vector<Evidence> evidence;
  std::string crop_png;
};
struct Outcome {
  enum class Kind { kPass, kHit, kManual, kNotApplicable } kind = Kind::kPass;
  std::vector<Hit> hits;
  std::string reason;  // for manual / not applicable / pass
};
Outcome RunCheck(const CheckSpec& spec, double item_points, const Case& c, const Context& ctx);

}  // namespace pingcha::checks
