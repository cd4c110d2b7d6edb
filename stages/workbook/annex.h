// Internal to the workbook stage: what the annex writers share — facts read
// from a case for the table columns, evidence text, and one writer per annex.
// Free functions over value types; the writers own no state between calls.
#pragma once

#include <xlsxwriter.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "models/case.h"
#include "models/rubric.h"
#include "models/status.h"
#include "stages/workbook/workbook.h"
#include "stages/workbook/xlsx_util.h"

namespace pingcha::workbook {

// What the tables show about a case; "" where the case does not say.
struct CaseFacts {
  std::string name;        // 案卷名称（案由）: a case_name/cause field, else the file name
  std::string number;      // 案号/决定书文号: the decision's doc number, else the cover's
  std::string party;       // 当事人
  std::string filed;       // 立案（受理）日期, ISO
  std::string decided;     // 决定日期, ISO
  std::string type_label;  // 执法类别, e.g. 行政处罚（一般程序）
};
CaseFacts ExtractFacts(const Case& c);

// 执法类别 label of a case type and procedure ("" for an unknown type).
std::string TypeLabel(const std::string& case_type, const std::string& procedure);
// The 附件3 type column (0..8: 处罚一般, 处罚简易, 许可, 强制措施, 强制执行,
// 征收, 检查, 确认, 其他) a case is counted in.
int Annex3TypeColumn(const Case& c);

// "（第3、5页）" for the evidence pages of a finding ("" without pages).
std::string EvidencePages(const Finding& f);
// The reason followed by the evidence pages (附件4 扣分理由).
std::string ReasonWithPages(const Finding& f);
// The reason and each evidence quote with its page (评分表 扣分理由及证据).
std::string ReasonWithEvidence(const Finding& f);

// The rubric for a case type: the map's entry, else a rubric listing the
// type in its case_types; nullptr when none.
const Rubric* RubricFor(const std::map<std::string, Rubric>& rubrics, const std::string& type);

// Grade for a total from bands (descending min); "" below every band.
std::string BandGrade(const std::vector<Band>& bands, double total);
// The nested-IF formula text (without '=') giving BandGrade of `total_ref`.
std::string BandFormula(const std::vector<Band>& bands, const std::string& total_ref);

// Where a written 评分表 keeps its results, for formulas on other sheets.
struct ScoreSheetRefs {
  std::string sheet;       // sheet name
  std::string total_cell;  // absolute reference of 总分
  std::string grade_cell;  // absolute reference of 等次
  double total = 0;        // cached values of those cells
  std::string grade;
};

// Adds the 评分表 sheet `sheet_name` for an ok case to `wb`. Errors land in
// *error. `rubric` may be null (the sheet then lists the findings only).
ScoreSheetRefs WriteScoreSheet(lxw_workbook* wb, FormatCache* formats, lxw_error* error,
                               const std::string& sheet_name, const Case& c, const CaseFacts& facts,
                               const Rubric* rubric, const Options& options);

// One agency's cases (ok and error), in case_id order.
struct AgencyCases {
  std::string agency;
  std::vector<const Case*> cases;
};

// 附件3 for the run at `path`.
Status WriteAnnex3(const std::filesystem::path& path, const std::vector<AgencyCases>& agencies,
                   const Options& options);
// 附件4 (with its 评分表 sheets) for one agency at `path`.
Status WriteAnnex4(const std::filesystem::path& path, const AgencyCases& agency,
                   const std::map<std::string, Rubric>& rubrics, const Options& options);

// Shared looks.
inline constexpr uint32_t kHeaderFill = 0xD9D9D9;
inline constexpr uint32_t kManualFill = 0xFFF2CC;
inline Style TitleStyle() {
  Style s;
  s.size = 16;
  s.bold = true;
  s.align = LXW_ALIGN_CENTER;
  s.border = false;
  s.wrap = false;
  return s;
}
inline Style AnnexLabelStyle() {
  Style s;
  s.size = 12;
  s.bold = true;
  s.border = false;
  s.wrap = false;
  return s;
}
inline Style HeaderStyle() {
  Style s;
  s.bold = true;
  s.align = LXW_ALIGN_CENTER;
  s.fill = kHeaderFill;
  return s;
}
inline Style TextStyle() { return Style(); }
inline Style CenterStyle() {
  Style s;
  s.align = LXW_ALIGN_CENTER;
  return s;
}
inline Style PlainStyle() {
  Style s;
  s.border = false;
  s.wrap = false;
  return s;
}

}  // namespace pingcha::workbook
