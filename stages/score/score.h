// Stage "score": totals a case's findings under its rubric.
//
// score = max − Σ deductions (floored at 0), where an item never deducts more
// than its points and a category never more than its weight; a veto hit
// sets veto and the veto grade (zero_score) or bars the top band
// (not_excellent); manual items are counted in manual_pending. Pure; thread-safe.
#pragma once

#include <vector>

#include "models/case.h"
#include "models/rubric.h"

namespace pingcha::score {

Score Compute(const std::vector<Finding>& findings, const Rubric& rubric);

// Grade for a score from the rubric's bands (highest band whose min ≤ score).
std::string GradeFor(double score, const Rubric& rubric);

}  // namespace pingcha::score
