// A document (文书) found in a case file, with the fields read from it.
//
// Page numbers are 1-based positions in the file. Every Field keeps the page,
// box and text it came from so a finding can show its evidence.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/geometry.h"

namespace pingcha {

// A value read from the text, with where it was read.
struct Field {
  std::string value;   // normalised value (e.g. ISO date "2021-03-05")
  int page = 0;
  BBox box;
  std::string text;    // the text as read (quoted in evidence)
};

struct Seal {
  int page = 0;
  BBox bbox;
  std::string shape = "round";             // round | oval | rect
  std::optional<std::string> owner;        // ring text, null when unread
  std::optional<bool> is_agency_seal;      // null when owner unread
  double confidence = 0;
  std::string crop_png;                    // relative to OUT; may be empty
};

struct Officer {
  std::string name;
  std::optional<std::string> certificate;  // 执法证号
  int page = 0;
  BBox box;
  std::string text;
};

struct Document {
  std::string type = "unknown";   // doc-type id or "unknown"
  std::string title;              // as read
  int first_page = 0, last_page = 0;
  double confidence = 0;          // 0..1
  std::optional<Field> doc_number;  // 文号
  std::optional<Field> date;        // 文书日期, ISO
  std::vector<Seal> seals;
  bool seal_colour_known = true;  // false: a page is grey-only: seals found there count, none found proves nothing
  std::optional<bool> party_signed;  // null for types that need no signature
  std::vector<Officer> officers;
  // Named fields: "party", "credit_code", "amount", "remedy_clause",
  // "served_doc_number", "served_doc_title", "service_date",
  // "seizure_days", "citation", "listed_date" (the date the 卷内目录 lists
  // for a document whose own date could not be read), ... (values
  // normalised where possible).
  std::map<std::string, Field> fields;
  // TOC rows (only for type "toc"): title, doc number and page range.
  // A row's title is the catalogue's title of the type it names; or, when
  // `catalogued` is false, the row's own words for a document type the
  // catalogue does not hold (检测期间告知书).
  struct TocRow {
    std::string title;
    std::string doc_number;
    std::string pages;
    int page = 0;
    BBox box;
    bool catalogued = true;
    std::optional<Field> date;  // the row's date, ISO, with the row as its text
  };
  std::vector<TocRow> toc_rows;
  // The document's text, normalised (NFKC, no whitespace), for text checks.
  // Not written to the case report.
  std::string text;
  bool readable = true;  // false when one of its pages could not be read
};

}  // namespace pingcha
