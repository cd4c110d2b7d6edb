// Stage "catalogue": which documents (文书) a case file holds, on which
// pages, with their numbers, dates, parties, officers and other fields.
//
// Reads: pages with OCR lines (boxes in the upright frame) and the document
// type catalogue. Fills: documents in page order, each with type (or
// "unknown"), page range, confidence and fields with their evidence.
// Never fails: what cannot be read stays empty (null in the report).
// Stateless and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "models/document.h"
#include "models/page.h"
#include "models/rubric.h"

namespace pingcha::catalogue {

struct TitleMatch {
  std::string type;     // doc-type id
  std::string title;    // text of the title line as read
  double score = 0;     // 0..1
  int line = -1;        // index into page.lines
};

// Best title on a page (top part, large or centred lines; a row OCR read
// in pieces, joined), if any.
std::optional<TitleMatch> FindTitle(const Page& page, const Catalogue& catalogue);
// Scores one line of text against one type's title and variants (0..1).
double TitleScore(const std::string& line_text, const DocType& type);

// The document type a page's labels point to when its title is unreadable
// (DocType::keywords), if any.
std::optional<std::string> TypeFromContent(const Page& page, const Catalogue& catalogue);

// Splits the pages into documents and reads their fields.
std::vector<Document> BuildDocuments(const std::vector<Page>& pages, const Catalogue& catalogue);

// Reads the printed page number (corner numerals) of a page, if any.
std::optional<PrintedNumber> PrintedPageNumber(const Page& page);

// Case type from the documents found ("" when nothing says), and procedure.
std::string DetectCaseType(const std::vector<Document>& docs, const Catalogue& catalogue);
std::string DetectProcedure(const std::vector<Document>& docs);
// Puts back a listed place of four or more characters (Catalogue::places
// and ::counties) read with one Han character wrong — 哪尔多斯市 for
// 鄂尔多斯市, 伊金翟洛旗 for 伊金霍洛旗, the fast model's usual confusions on
// rare characters — in the lines' text and words. Not its last character
// (the kind: 市, 旗), not where another listed name is printed (鄂托克前旗),
// not where two names would fit. Boxes and confidences are kept.
void MendPlaceNames(Page& page, const Catalogue& catalogue);

// Agency from document headers / 落款 lines ("" when none).
std::string DetectAgency(const std::vector<Page>& pages);

// Whether a seal's ring text names the agency: true / false, or nullopt when
// the text is too short to tell. `internal_unit` is set for seals of an
// internal unit (…局法规科, …大队) of the agency.
struct OwnerVerdict {
  std::optional<bool> is_agency;
  bool internal_unit = false;
  std::string cleaned;  // owner text without the seal's purpose words
};
// `case_text` is the case's printed text: a seal naming another district
// (康巴什区 for 东胜区) counts only when that place is printed somewhere in
// the case — a garbled ring reading (泵路区) invents places.
OwnerVerdict JudgeOwner(const std::string& ring_text, const std::string& agency, const std::string& case_text = "");

// Sorts names in pinyin order (ICU collation for zh).
std::vector<std::string> SortPinyin(std::vector<std::string> names);

// ICU version ("72.1"), for provenance.
std::string IcuVersion();

}  // namespace pingcha::catalogue
