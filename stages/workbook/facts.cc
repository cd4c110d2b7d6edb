// Facts, labels and evidence text the annex tables show about a case.
#include <algorithm>
#include <array>
#include <set>

#include "stages/workbook/annex.h"

namespace pingcha::workbook {
namespace {

// Document types whose number and date are the case's decision.
constexpr std::array<const char*, 6> kDecisionTypes = {
    "penalty_decision", "onsite_penalty_decision", "license_decision",
    "seizure_decision", "levy_decision",           "confirmation_decision"};
constexpr std::array<const char*, 2> kFilingTypes = {"filing_approval", "acceptance_notice"};
constexpr std::array<const char*, 3> kNameFields = {"case_name", "cause", "case_title"};

// Documents ordered by preference: those of `types` (in that order), then
// the rest in page order.
std::vector<const Document*> Preferred(const Case& c, std::initializer_list<const char*> types) {
  std::vector<const Document*> out;
  for (const char* t : types)
    for (const Document& d : c.documents)
      if (d.type == t) out.push_back(&d);
  for (const Document& d : c.documents)
    if (std::find(out.begin(), out.end(), &d) == out.end()) out.push_back(&d);
  return out;
}

const Document* FirstOfTypes(const Case& c, const auto& types) {
  for (const char* t : types)
    for (const Document& d : c.documents)
      if (d.type == t) return &d;
  return nullptr;
}

std::string FileStem(const std::string& path) {
  size_t slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  size_t dot = name.find_last_of('.');
  return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

}  // namespace

CaseFacts ExtractFacts(const Case& c) {
  CaseFacts f;
  const auto by_pref = Preferred(
      c, {"cover", "filing_approval", "penalty_decision", "onsite_penalty_decision",
          "license_decision", "seizure_decision", "levy_decision", "confirmation_decision"});
  for (const Document* d : by_pref) {
    for (const char* key : kNameFields) {
      auto it = d->fields.find(key);
      if (f.name.empty() && it != d->fields.end() && !it->second.value.empty())
        f.name = it->second.value;
    }
  }
  if (f.name.empty()) f.name = FileStem(c.source.path);

  if (const Document* d = FirstOfTypes(c, kDecisionTypes)) {
    if (d->doc_number) f.number = d->doc_number->value;
    if (d->date) f.decided = d->date->value;
  }
  if (f.number.empty()) {
    for (const Document& d : c.documents)
      if (d.type == "cover" && d.doc_number && !d.doc_number->value.empty())
        f.number = d.doc_number->value;
  }
  if (const Document* d = FirstOfTypes(c, kFilingTypes); d && d->date) f.filed = d->date->value;

  const auto party_pref = Preferred(
      c, {"penalty_decision", "onsite_penalty_decision", "license_decision", "seizure_decision",
          "levy_decision", "confirmation_decision", "filing_approval", "license_application"});
  for (const Document* d : party_pref) {
    auto it = d->fields.find("party");
    if (it != d->fields.end() && !it->second.value.empty()) {
      f.party = it->second.value;
      break;
    }
  }
  f.type_label = TypeLabel(c.case_type, c.procedure);
  return f;
}

std::string TypeLabel(const std::string& type, const std::string& procedure) {
  if (type == "penalty")
    return procedure == "simple" ? "行政处罚（简易程序）" : "行政处罚（一般程序）";
  static const std::map<std::string, std::string> kLabels = {{"license", "行政许可"},
                                                             {"coercion", "行政强制（措施）"},
                                                             {"enforcement", "行政强制（执行）"},
                                                             {"levy", "行政征收"},
                                                             {"inspection", "行政检查"},
                                                             {"confirmation", "行政确认"}};
  auto it = kLabels.find(type);
  if (it != kLabels.end()) return it->second;
  return type.empty() ? "" : "其他";
}

int Annex3TypeColumn(const Case& c) {
  static const std::map<std::string, int> kColumns = {{"license", 2},     {"coercion", 3},
                                                      {"enforcement", 4}, {"levy", 5},
                                                      {"inspection", 6},  {"confirmation", 7}};
  if (c.case_type == "penalty") return c.procedure == "simple" ? 1 : 0;
  auto it = kColumns.find(c.case_type);
  return it == kColumns.end() ? 8 : it->second;
}

std::string EvidencePages(const Finding& f) {
  std::set<int> pages;
  for (const Evidence& e : f.evidence)
    if (e.page > 0) pages.insert(e.page);
  if (pages.empty()) return "";
  std::string out = "（第";
  bool first = true;
  for (int p : pages) {
    if (!first) out += "、";
    out += std::to_string(p);
    first = false;
  }
  return out + "页）";
}

std::string ReasonWithPages(const Finding& f) { return f.reason + EvidencePages(f); }

std::string ReasonWithEvidence(const Finding& f) {
  std::string out = f.reason;
  for (const Evidence& e : f.evidence) {
    std::string line = e.page > 0 ? "第" + std::to_string(e.page) + "页" : "";
    std::string quote = TruncateUtf16(e.text, 200);
    if (!quote.empty()) line += (line.empty() ? "" : "：") + ("“" + quote + "”");
    if (line.empty()) continue;
    out += (out.empty() ? "" : "\n") + line;
  }
  return out;
}

const Rubric* RubricFor(const std::map<std::string, Rubric>& rubrics, const std::string& type) {
  auto it = rubrics.find(type);
  if (it != rubrics.end()) return &it->second;
  for (const auto& [id, r] : rubrics)
    if (std::find(r.case_types.begin(), r.case_types.end(), type) != r.case_types.end()) return &r;
  return nullptr;
}

std::string BandGrade(const std::vector<Band>& bands, double total) {
  for (const Band& b : bands)
    if (total >= b.min) return b.grade;
  return "";
}

std::string BandFormula(const std::vector<Band>& bands, const std::string& total_ref) {
  if (bands.empty()) return "\"\"";
  std::string out, close;
  for (size_t i = 0; i < bands.size(); ++i) {
    const Band& b = bands[i];
    std::string grade = FormulaString(b.grade);
    if (i + 1 == bands.size() && b.min <= 0) return out + grade + close;
    out += "IF(" + total_ref + ">=" + NumberText(b.min) + "," + grade + ",";
    close += ")";
  }
  return out + "\"\"" + close;
}

}  // namespace pingcha::workbook
