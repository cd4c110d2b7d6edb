// A case file under review, and what the review concluded: the value every
// stage reads and fills, and from which the case report and workbooks are
// written. Value type; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "models/document.h"
#include "models/page.h"

namespace pingcha {

struct Evidence {
  int page = 0;
  BBox bbox;
  std::string text;
};

struct Finding {
  std::string item;          // rubric item id
  std::string status;        // pass | deduct | manual | not_applicable
  double points = 0;
  double deducted = 0;       // never above points
  std::string reason;
  std::vector<Evidence> evidence;
  std::string crop_png;      // evidence image (seal/signature), relative to OUT
};

struct Score {
  double max = 100, deducted = 0, score = 100;
  std::string grade;
  bool veto = false;
  int manual_pending = 0;
};

struct CaseError {
  std::string code;     // not_a_pdf | encrypted | damaged | no_pages | too_large | timeout | unreadable ...
  std::string message;
};

struct Source {
  std::string path;     // relative to the archive root, '/' separated
  std::string sha256;
  int pages = 0;
};

struct Provenance {
  std::string pingcha, tesseract, leptonica, poppler, ocr_model, rubric, catalogue;
};

struct Case {
  std::string case_id;
  Source source;
  std::string status = "ok";          // ok | error
  std::optional<CaseError> error;
  std::string case_type;              // penalty | license | coercion | levy | inspection | confirmation
  std::string case_type_from;         // manifest | path | detected
  std::string procedure = "ordinary"; // ordinary | simple
  std::string agency;
  std::string agency_from;            // manifest | path | detected
  std::vector<Page> pages;
  std::vector<Document> documents;
  std::vector<Finding> findings;
  Score score;
  Provenance provenance;
  std::vector<std::string> warnings;  // page-level problems, for the run log
};

}  // namespace pingcha
