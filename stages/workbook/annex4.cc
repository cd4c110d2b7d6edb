// 附件4 行政执法案卷自查自评情况表 for one agency: the 附件4 sheet (one block
// of rows per case, one row per deduction) followed by one 评分表 per case.
#include <algorithm>
#include <set>

#include "stages/workbook/annex.h"

namespace pingcha::workbook {
namespace {

enum Col {
  kSeq = 0,
  kName,
  kNumber,
  kType,
  kParty,
  kFiled,
  kDecided,
  kScore,
  kGrade,
  kItem,
  kDeducted,
  kReason,
  kManual,
  kRectify,
  kNote
};
constexpr int kLastCol = kNote;
const std::vector<double> kWidths = {5, 18, 18, 12, 14, 11, 11, 7, 7, 24, 6, 38, 14, 12, 11};
const char* const kHeads[] = {"序号",
                              "案卷名称（案由）",
                              "案号/决定书文号",
                              "执法类别",
                              "当事人",
                              "立案（受理）\n日期",  // not "立案（受理）日" / "期"
                              "决定日期",
                              "自评得分",
                              "等次",
                              "扣分项目（细则条目）",
                              "扣分值",
                              "扣分理由",
                              "待人工评查项",
                              "整改情况",
                              "备注"};
constexpr int kHeaderRow = 3;

// The sheet name wanted for a case's 评分表: its 文号, else the last part of
// its id.
std::string SheetWish(const Case& c, const CaseFacts& facts) {
  if (!facts.number.empty()) return facts.number;
  size_t cut = c.case_id.rfind("__");
  return cut == std::string::npos ? c.case_id : c.case_id.substr(cut + 2);
}

// The case's deductions in rubric order (items the rubric lacks last, by id).
std::vector<const Finding*> Deductions(const Case& c, const Rubric* rubric) {
  std::vector<const Finding*> out;
  for (const Finding& f : c.findings)
    if (f.status == "deduct") out.push_back(&f);
  auto rank = [rubric](const Finding* f) {
    if (rubric)
      for (size_t i = 0; i < rubric->items.size(); ++i)
        if (rubric->items[i].id == f->item) return i;
    return static_cast<size_t>(-1);
  };
  std::stable_sort(out.begin(), out.end(), [&](const Finding* a, const Finding* b) {
    size_t ra = rank(a), rb = rank(b);
    return ra != rb ? ra < rb : (ra == static_cast<size_t>(-1) && a->item < b->item);
  });
  return out;
}

const RubricItem* FindItem(const Rubric* rubric, const std::string& id) {
  if (!rubric) return nullptr;
  for (const RubricItem& item : rubric->items)
    if (item.id == id) return &item;
  return nullptr;
}

class Annex4Writer {
 public:
  Annex4Writer(lxw_workbook* wb, const AgencyCases& agency,
               const std::map<std::string, Rubric>& rubrics, const Options& options)
      : wb_(wb), formats_(wb), agency_(agency), rubrics_(rubrics), options_(options) {}

  lxw_error Write();

 private:
  void CaseBlock(Sheet& s, int seq, const Case& c, const CaseFacts& facts, const Rubric* rubric,
                 const ScoreSheetRefs& refs, int* row);

  lxw_workbook* wb_;
  FormatCache formats_;
  const AgencyCases& agency_;
  const std::map<std::string, Rubric>& rubrics_;
  const Options& options_;
  lxw_error error_ = LXW_NO_ERROR;
};

void Annex4Writer::CaseBlock(Sheet& s, int seq, const Case& c, const CaseFacts& facts,
                             const Rubric* rubric, const ScoreSheetRefs& refs, int* row) {
  std::vector<const Finding*> deductions = Deductions(c, rubric);
  int first = *row, last = *row + std::max<int>(1, deductions.size()) - 1;
  auto merged = [&](int col, const std::string& text, const Style& style) {
    s.Merge(first, col, last, col, text, style);
  };
  merged(kSeq, "", CenterStyle());
  s.Number(first, kSeq, seq, CenterStyle());  // a number: Excel flags digits stored as text
  merged(kName, facts.name, TextStyle());
  merged(kNumber, facts.number, TextStyle());
  // "行政处罚\n（一般程序）": break before the bracket rather than inside it.
  std::string type = facts.type_label;
  if (size_t bracket = type.find("（"); bracket != std::string::npos && bracket > 0)
    type.insert(bracket, "\n");
  merged(kType, type, CenterStyle());
  merged(kParty, facts.party, TextStyle());
  merged(kFiled, facts.filed, CenterStyle());
  merged(kDecided, facts.decided, CenterStyle());
  s.MergeFormula(first, kScore, last, kScore, "=" + refs.total_cell, refs.total, CenterStyle());
  s.MergeFormulaText(first, kGrade, last, kGrade, "=" + refs.grade_cell, refs.grade, CenterStyle());
  std::string manual;
  for (const Finding& f : c.findings)
    if (f.status == "manual") manual += (manual.empty() ? "" : "、") + f.item;
  merged(kManual, manual, TextStyle());
  merged(kRectify, "", TextStyle());
  s.MergeLink(first, kNote, last, kNote, "internal:" + QuoteSheet(refs.sheet) + "!A1", "查看评分表",
              CenterStyle());
  if (deductions.empty()) {
    s.Text(first, kItem, "无扣分", CenterStyle());
    s.Blank(first, kDeducted, CenterStyle());
    s.Blank(first, kReason, TextStyle());
  }
  for (size_t i = 0; i < deductions.size(); ++i) {
    const Finding& f = *deductions[i];
    const RubricItem* item = FindItem(rubric, f.item);
    int r = first + static_cast<int>(i);
    s.Text(r, kItem, item && !item->text.empty() ? f.item + " " + item->text : f.item, TextStyle());
    if (item && item->veto)
      s.Text(r, kDeducted, "否决", CenterStyle());
    else
      s.Number(r, kDeducted, f.deducted, CenterStyle());
    s.Text(r, kReason, ReasonWithPages(f), TextStyle());
  }
  *row = last + 1;
}

lxw_error Annex4Writer::Write() {
  std::set<std::string> used;
  const std::string main_name = SanitizeSheetName("附件4", &used);
  lxw_worksheet* ws = workbook_add_worksheet(wb_, main_name.c_str());
  if (!ws) return LXW_ERROR_PARAMETER_VALIDATION;
  Sheet s(ws, &formats_, &error_);
  s.Columns(kWidths);

  s.Text(0, 0, "附件4", AnnexLabelStyle());
  s.Merge(1, 0, 1, kLastCol, "行政执法案卷自查自评情况表", TitleStyle());
  s.MinHeight(1, 30);
  Style info = PlainStyle();
  info.size = 11;
  s.Merge(2, 0, 2, 8, "单位名称：" + agency_.agency, info);
  s.Merge(2, 9, 2, kLastCol, "自查时间：" + options_.review_date, info);
  for (int col = 0; col <= kLastCol; ++col) s.Text(kHeaderRow, col, kHeads[col], HeaderStyle());

  int row = kHeaderRow + 1, seq = 0;
  std::vector<const Case*> errors;
  for (const Case* c : agency_.cases) {
    if (c->status != "ok") {
      errors.push_back(c);
      continue;
    }
    CaseFacts facts = ExtractFacts(*c);
    const Rubric* rubric = RubricFor(rubrics_, c->case_type);
    std::string name = SanitizeSheetName(SheetWish(*c, facts), &used);
    ScoreSheetRefs refs =
        WriteScoreSheet(wb_, &formats_, &error_, name, *c, facts, rubric, options_);
    CaseBlock(s, ++seq, *c, facts, rubric, refs, &row);
  }
  if (seq == 0) {
    s.Merge(row, 0, row, kLastCol, "（无已评查案卷）", CenterStyle());
    ++row;
  }
  if (!errors.empty()) {
    std::string note =
        "另有" + std::to_string(errors.size()) + "件案卷未能自动评查（见附件3“未能评查案卷”表）：";
    for (size_t i = 0; i < errors.size(); ++i) note += (i ? "、" : "") + errors[i]->case_id;
    Style style = PlainStyle();
    style.wrap = true;
    s.Merge(row, 0, row, kLastCol, note, style);
    ++row;
  }
  ++row;
  Style sign = PlainStyle();
  sign.size = 11;
  const std::pair<int, const char*> signs[] = {
      {0, "自评人："}, {3, "审核人："}, {6, "单位负责人："}, {9, "单位（盖章）："}, {12, "日期："}};
  for (const auto& [col, text] : signs) s.Merge(row, col, row, col + 2, text, sign);
  s.MinHeight(row, 30);

  PrintSetup(s, true, 1, kHeaderRow);
  worksheet_freeze_panes(ws, kHeaderRow + 1, 0);
  worksheet_activate(ws);
  s.Finish();
  return error_;
}

}  // namespace

Status WriteAnnex4(const std::filesystem::path& path, const AgencyCases& agency,
                   const std::map<std::string, Rubric>& rubrics, const Options& options) {
  return WriteXlsxAtomically(
      path, options.created, "行政执法案卷自查自评情况表",
      [&](lxw_workbook* wb) { return Annex4Writer(wb, agency, rubrics, options).Write(); });
}

}  // namespace pingcha::workbook
