// Loads the review standard from rubrics/ (TOML): rubric files, the
// document-type catalogue and the working-day calendar. Validates on load:
// every error names the file and line, e.g.
//   rubrics/penalty.toml:42: unknown check 'seel_present'
// Stateless and thread-safe.
#pragma once

#include <string>

#include "models/rubric.h"
#include "models/status.h"

namespace pingcha::checks {

Result<Rubric> LoadRubric(const std::string& path);
// The same from text; `path` only names it in messages.
Result<Rubric> ParseRubric(const std::string& text, const std::string& path);
// Validates references from a rubric's checks to document types.
Status ValidateAgainst(const Rubric& rubric, const Catalogue& catalogue);
Result<Catalogue> LoadCatalogue(const std::string& path);
Result<Calendar> LoadCalendar(const std::string& path);

// Check kinds the engine knows (the closed set of rubrics/README.md).
bool IsKnownCheckKind(const std::string& kind);

}  // namespace pingcha::checks
