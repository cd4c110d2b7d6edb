// The review standard as values: rubric items with their checks, the
// document-type catalogue and the working-day calendar. Loaded from rubrics/
// by stages/checks; read by checks, score and workbook. Value types.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace pingcha {

// A period that applies to acts dated on or after `from` (ISO date, "" = always).
struct Period {
  std::string from;          // e.g. "2021-07-15"
  int days = 0;
  std::string unit = "natural";  // "natural" | "working"
  std::string law;           // cited in the reason, e.g. "《行政处罚法》（2021）第六十一条"
};

// One automatic check. `kind` is one of a closed set (see rubrics/README.md);
// the other members are that kind's parameters (unused ones stay empty).
struct CheckSpec {
  std::string kind;
  std::vector<std::string> documents;   // doc-type ids
  std::vector<std::string> patterns;    // regexes (ECMAScript, UTF-8) — all must match
  std::string before, after;            // date_order: doc types
  std::string from, to;                 // deadline: trigger doc, act doc
  std::string from_field = "date", to_field = "date";  // deadline / field_consistent
  std::vector<Period> periods;          // deadline
  std::string field;                    // field_consistent / value_max
  double max_value = 0;                 // value_max
  std::vector<std::string> unless_present;  // skip when any of these doc types exists
  std::vector<std::string> when_present;    // only when any of these exists
  std::string when_text;                // only when some page text matches this regex
  std::string procedure;                // only for this procedure ("ordinary"/"simple")
  std::vector<std::string> order;       // binding_order
  int min_count = 2;                    // officers_certified
  std::optional<double> deduct;         // points per hit; default: the item's points
  int line = 0;                         // source line, for messages
};

struct RubricItem {
  std::string id;           // e.g. "P-D16"
  std::string category;     // category id
  std::string text;         // 评查内容
  double points = 0;        // 分值 (0 for veto items)
  std::string rule;         // 扣分标准
  bool veto = false;
  bool manual = true;       // true when no automatic check
  std::vector<std::string> procedures;  // empty = all
  std::vector<std::string> case_types;  // empty = all of the rubric's
  std::vector<CheckSpec> checks;
  int line = 0;
};

struct Category {
  std::string id, name;
  double weight = 0;        // cap on the category's deductions
};

struct Band {
  double min = 0;
  std::string grade;
};

struct Rubric {
  std::string id;                 // "penalty" | "license" | "coercion" ...
  std::string annex;              // "附件5"
  std::string title;
  std::vector<std::string> case_types;
  double max = 100;
  std::string veto_mode = "zero_score";  // or "not_excellent"
  std::string veto_grade = "不合格";
  std::vector<Band> bands;        // descending min
  std::vector<Category> categories;
  std::vector<RubricItem> items;
  std::string sha256;             // of the file's bytes
  std::string path;               // as given, for messages
};

struct DocType {
  std::string id, title;
  std::vector<std::string> variants;
  std::vector<std::string> case_types;  // empty = common
  bool seal = false, party = false, officers = false;
  // Content cues for pages whose title cannot be read (covers with large
  // spaced titles, bank forms, photo sheets): distinctive labels, and how
  // many of them a page must show.
  std::vector<std::string> keywords;
  int min_keywords = 0;
};

struct Catalogue {
  std::vector<DocType> types;
  // Names of an agency's internal units (办公室, 法规科, 执法大队 …): a seal
  // whose ring reads agency + one of them is the unit's, not the agency's.
  std::vector<std::string> internal_units;
  // Places an agency's name may begin with (provinces, cities, leagues,
  // prefectures): a seal's owner is named with the place as listed here.
  std::vector<std::string> places;
  // Other bodies whose seals turn up in a case file (交通运输局, 人民政府 …),
  // named without their place: a ring reading one after the agency's place
  // is that body's seal, not the agency's.
  std::vector<std::string> bodies;
  // The county-level places (districts, banners) of the archive under
  // review: a ring reading another of them and a body is that body's seal.
  std::vector<std::string> counties;
  std::string sha256;          // of the file's bytes
  // Of the document types as parsed — what reading a page depends on (a
  // title is read again when none is found): a comment, a unit, a place or a
  // body edited leaves cached pages valid.
  std::string reading_sha256;
  const DocType* Find(const std::string& id) const {
    for (const auto& t : types) if (t.id == id) return &t;
    return nullptr;
  }
};

// Working-day calendar: a day is a working day when it is Mon–Fri and not a
// holiday, or when it is a make-up working day (调休).
struct Calendar {
  std::set<std::string> holidays;   // ISO dates
  std::set<std::string> workdays;   // ISO dates (weekend make-up days)
  int first_year = 0, last_year = 0;  // range covered
};

}  // namespace pingcha
