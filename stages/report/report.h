// Stage "report": the case report JSON (schema pingcha.case-report/1), see
// the contract in README.md ("Outputs").
//
// ToJson() is deterministic: keys in contract order, numbers rounded
// (boxes 4 decimals, confidences 2), no timestamps or absolute paths, so the
// same case gives the same bytes. Write() writes atomically (temporary file
// in the same folder, then rename). FromJson() reads a report back (for
// merge and resume); unknown keys are ignored. Thread-safe.
#pragma once

#include <string>

#include "models/case.h"
#include "models/status.h"

namespace pingcha::report {

inline constexpr const char* kSchema = "pingcha.case-report/1";

std::string ToJson(const Case& c);
Result<Case> FromJson(const std::string& json, const std::string& origin);

// A whole page as read (lines, words, seals, signature areas), for the
// per-page OCR cache. Compact JSON; round-trips exactly enough to skip OCR.
std::string PageToJson(const Page& page);
Result<Page> PageFromJson(const std::string& json);

// Writes `bytes` to `path` atomically; creates parent folders.
Status WriteAtomic(const std::string& path, const std::string& bytes);

}  // namespace pingcha::report
