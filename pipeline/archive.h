// The archive: which case files a batch reviews, and what the folder layout
// and the optional manifest.csv say about each (agency, case type).
//
// Layout: ARCHIVE/<agency>/[<year>/]<case>.pdf or <case>/ (page images).
// case_id = path relative to ARCHIVE without extension, '/' → '__' (a
// manifest may give ids). Cases are returned in path order. Manifest paths
// that leave the archive (absolute, '..') are refused. Thread-compatible.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "models/status.h"

namespace pingcha {

struct CaseInput {
  std::string path;        // absolute or as given (the bytes of the file name)
  std::string rel_path;    // relative to the archive, '/' separated, valid UTF-8 (EscapeNonUtf8)
  std::string case_id;
  std::string agency, agency_from;        // "" when unknown
  std::string case_type, case_type_from;  // "" when unknown
  std::string procedure;                  // "" when unknown
  std::string input_sha;                  // filled by the batch before review
};

Result<std::vector<CaseInput>> DiscoverArchive(const std::string& root);

// One case given directly (pingcha case FILE): the archive root is `root`
// when given, else guessed from the layout (<root>/<agency>/[<year>/]FILE).
Result<CaseInput> SingleCase(const std::string& file, const std::string& root);

// manifest.csv text → rows by normalised relative path. Refuses paths that
// leave the archive; errors name `origin` and the line.
struct ManifestRow {
  std::string case_id, agency, case_type, procedure;
};
Result<std::map<std::string, ManifestRow>> ParseManifest(const std::string& text, const std::string& origin);

// A file name as valid UTF-8 for reports and workbooks: each byte that is
// not part of a well-formed UTF-8 sequence becomes "%XX" ("caf\xE9" → "caf%E9").
std::string EscapeNonUtf8(const std::string& s);

// `msg` with every occurrence of the absolute path `abs` replaced by the
// archive-relative `rel`: reports never carry the machine's paths.
std::string Relativise(std::string msg, const std::string& abs, const std::string& rel);

// "a/b/c.pdf" → "a__b__c".
std::string CaseIdFor(const std::string& rel_path);
// Case type named by a folder (行政处罚 → penalty …), or "".
std::string CaseTypeFromFolder(const std::string& name);

}  // namespace pingcha
