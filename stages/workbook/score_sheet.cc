// The per-case 评分表 (附件5/6/7): header block, veto block, scored body with
// live formulas, footer. Manual items are input cells with data validation.
#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <set>

#include "stages/workbook/annex.h"

namespace pingcha::workbook {
namespace {

namespace fs = std::filesystem;

enum Col { kCat = 0, kId, kText, kPoints, kRule, kDeduct, kScore, kReason, kReview, kImage };
constexpr int kLastCol = kImage;
constexpr int kListCol = 25;  // hidden column Z: the veto drop-down's choices
const std::vector<double> kWidths = {12, 8, 30, 6, 30, 7, 7, 40, 12, 10};
constexpr double kImageHeightPx = 57;  // ~1.5 cm at 96 dpi
constexpr double kImageMaxWidthPx = 68;
const char* const kResults[] = {"符合", "不符合", "待人工"};

struct ItemRow {
  std::string id, text, rule;
  double points = 0;
  const Finding* finding = nullptr;
  bool manual() const { return !finding || finding->status == "manual"; }
};
struct Group {
  std::string title;
  double weight = 0;  // 0: no cap
  std::vector<ItemRow> rows;
};

bool Applies(const RubricItem& item, const Case& c) {
  auto has = [](const std::vector<std::string>& v, const std::string& x) {
    return v.empty() || std::find(v.begin(), v.end(), x) != v.end();
  };
  return has(item.procedures, c.procedure) && has(item.case_types, c.case_type);
}

uint32_t BigEndian32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

// Size of a PNG as Excel shows it (96-dpi pixels, honouring pHYs); false
// when the file is not a readable PNG.
bool PngSize(const fs::path& path, double* w, double* h) {
  std::ifstream in(path, std::ios::binary);
  unsigned char head[24];
  if (!in.read(reinterpret_cast<char*>(head), sizeof head)) return false;
  static const unsigned char kSig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  if (!std::equal(kSig, kSig + 8, head) || std::string(head + 12, head + 16) != "IHDR")
    return false;
  *w = BigEndian32(head + 16);
  *h = BigEndian32(head + 20);
  if (*w <= 0 || *h <= 0) return false;
  in.seekg(8 + 8 + 13 + 4);  // after IHDR
  unsigned char chunk[8], phys[9];
  while (in.read(reinterpret_cast<char*>(chunk), 8)) {
    uint32_t len = BigEndian32(chunk);
    std::string type(chunk + 4, chunk + 8);
    if (type == "IDAT" || type == "IEND") break;
    if (type == "pHYs" && len == 9 && in.read(reinterpret_cast<char*>(phys), 9)) {
      double xdpi = BigEndian32(phys) * 0.0254, ydpi = BigEndian32(phys + 4) * 0.0254;
      if (phys[8] == 1 && xdpi > 0 && ydpi > 0) {
        *w *= 96 / xdpi;
        *h *= 96 / ydpi;
      }
      break;
    }
    in.seekg(len + 4, std::ios::cur);
  }
  return true;
}

class ScoreSheetWriter {
 public:
  ScoreSheetWriter(Sheet* s, const Case& c, const CaseFacts& facts, const Rubric* rubric,
                   const Options& options)
      : s_(*s), c_(c), facts_(facts), rubric_(rubric), options_(options) {}

  ScoreSheetRefs Write(const std::string& sheet_name);

 private:
  void Collect(std::vector<ItemRow>* veto, std::vector<Group>* groups) const;
  void Header(int* row);
  void VetoBlock(const std::vector<ItemRow>& veto, int* row);
  void Body(const std::vector<Group>& groups, int* row);
  void Image(int row, const Finding* f);
  Style Row(Style base, bool manual) const {
    if (manual) base.fill = kManualFill;
    return base;
  }

  Sheet& s_;
  const Case& c_;
  const CaseFacts& facts_;
  const Rubric* rubric_;
  const Options& options_;
  std::string veto_range_;  // absolute range of the veto results, "" if none
  bool veto_hit_ = false;
  std::vector<std::string> sum_terms_;  // one per group: capped deduction
  double deducted_ = 0;                 // cached value of 合计扣分
  std::vector<std::string> manual_ids_;
};

void ScoreSheetWriter::Collect(std::vector<ItemRow>* veto, std::vector<Group>* groups) const {
  std::map<std::string, const Finding*> findings;
  for (const Finding& f : c_.findings) findings.emplace(f.item, &f);
  std::set<std::string> placed;
  auto make = [&](const RubricItem& item) {
    auto it = findings.find(item.id);
    placed.insert(item.id);
    return ItemRow{item.id, item.text, item.rule, item.points,
                   it == findings.end() ? nullptr : it->second};
  };
  auto wanted = [&](const RubricItem& item) {
    return Applies(item, c_) || findings.count(item.id);
  };
  std::set<std::string> known_categories;
  if (rubric_) {
    for (const RubricItem& item : rubric_->items)
      if (item.veto && wanted(item)) veto->push_back(make(item));
    for (const Category& cat : rubric_->categories) {
      known_categories.insert(cat.id);
      Group g{cat.name, cat.weight, {}};
      for (const RubricItem& item : rubric_->items)
        if (!item.veto && item.category == cat.id && wanted(item)) g.rows.push_back(make(item));
      if (!g.rows.empty()) groups->push_back(std::move(g));
    }
  }
  Group other{"其他", 0, {}};
  if (rubric_) {
    for (const RubricItem& item : rubric_->items)
      if (!item.veto && !known_categories.count(item.category) && wanted(item))
        other.rows.push_back(make(item));
  }
  for (const Finding& f : c_.findings)  // findings of items the rubric does not list
    if (!placed.count(f.item)) {
      placed.insert(f.item);
      other.rows.push_back({f.item, "", "", f.points, &f});
    }
  if (!other.rows.empty()) groups->push_back(std::move(other));
}

void ScoreSheetWriter::Header(int* row) {
  const std::string annex = rubric_ ? rubric_->annex : "";
  s_.Text(0, 0, annex, AnnexLabelStyle());
  s_.Merge(1, 0, 1, kLastCol,
           rubric_ && !rubric_->title.empty() ? rubric_->title : "行政执法案卷评查评分表",
           TitleStyle());
  s_.MinHeight(1, 30);
  const std::string fields[4][4] = {{"被评查单位", c_.agency, "执法类别", facts_.type_label},
                                    {"案卷名称", facts_.name, "案号", facts_.number},
                                    {"当事人", facts_.party, "评查人", ""},
                                    {"案卷编号", c_.case_id, "评查时间", options_.review_date}};
  Style label = CenterStyle();
  label.bold = true;
  for (int i = 0; i < 4; ++i) {
    int r = 2 + i;
    s_.Merge(r, kCat, r, kId, fields[i][0], label);
    s_.Merge(r, kText, r, kRule, fields[i][1], TextStyle());
    s_.Merge(r, kDeduct, r, kScore, fields[i][2], label);
    s_.Merge(r, kReason, r, kLastCol, fields[i][3], TextStyle());
  }
  *row = 6;
}

void ScoreSheetWriter::VetoBlock(const std::vector<ItemRow>& veto, int* row) {
  Style section = TextStyle();
  section.bold = true;
  bool zero = !rubric_ || rubric_->veto_mode != "not_excellent";
  std::string top = rubric_ && !rubric_->bands.empty() ? rubric_->bands.front().grade : "优秀";
  s_.Merge(*row, 0, *row, kLastCol,
           zero ? "一、否决项：有下列情形之一的，为不合格案卷"
                : "一、否决项：有下列情形之一的，不得评为" + top,
           section);
  ++*row;
  s_.Text(*row, kCat, "序号", HeaderStyle());
  s_.Merge(*row, kId, *row, kRule, "评查内容", HeaderStyle());
  s_.Merge(*row, kDeduct, *row, kScore, "评查结果", HeaderStyle());
  s_.Text(*row, kReason, "证据", HeaderStyle());
  s_.Text(*row, kReview, "人工复核", HeaderStyle());
  s_.Text(*row, kImage, "证据图片", HeaderStyle());
  ++*row;
  if (veto.empty()) {
    s_.Merge(*row, 0, *row, kLastCol, "（本细则未设否决项）", CenterStyle());
    ++*row;
    return;
  }
  for (int i = 0; i < 3; ++i) s_.Text(i, kListCol, kResults[i], PlainStyle());
  lxw_row_col_options hidden = {};
  hidden.hidden = 1;
  s_.Check(worksheet_set_column_opt(s_.ws(), kListCol, kListCol, 8, nullptr, &hidden));
  int first = *row;
  for (const ItemRow& item : veto) {
    const Finding* f = item.finding;
    bool manual = item.manual();
    std::string result = manual ? "待人工" : f->status == "deduct" ? "不符合" : "符合";
    veto_hit_ = veto_hit_ || result == "不符合";
    if (manual) manual_ids_.push_back(item.id);
    Style input = Row(CenterStyle(), manual);
    input.unlocked = true;
    s_.Text(*row, kCat, item.id, Row(CenterStyle(), manual));
    s_.Merge(*row, kId, *row, kRule, item.text, Row(TextStyle(), manual));
    s_.Merge(*row, kDeduct, *row, kScore, result, manual ? input : CenterStyle());
    s_.Text(*row, kReason, f ? ReasonWithEvidence(*f) : "", Row(TextStyle(), manual));
    s_.Blank(*row, kReview, input);
    s_.Blank(*row, kImage, Row(CenterStyle(), manual));
    if (manual) {
      std::string list = "=" + RangeRef(0, kListCol, 2, kListCol, true);
      std::string title = "否决项评查结果", message = "请选择：符合、不符合或待人工";
      lxw_data_validation v = {};
      v.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
      v.value_formula = list.data();
      v.input_title = title.data();
      v.input_message = message.data();
      s_.Check(worksheet_data_validation_cell(s_.ws(), *row, kDeduct, &v));
    }
    Image(*row, f);
    ++*row;
  }
  veto_range_ = RangeRef(first, kDeduct, *row - 1, kDeduct, true);
}

void ScoreSheetWriter::Body(const std::vector<Group>& groups, int* row) {
  Style section = TextStyle();
  section.bold = true;
  double max = rubric_ ? rubric_->max : 100;
  s_.Merge(*row, 0, *row, kLastCol, "二、评分项目（满分" + NumberText(max) + "分）", section);
  ++*row;
  const char* heads[] = {"评查项目", "序号", "评查内容",       "分值",     "扣分标准",
                         "扣分",     "得分", "扣分理由及证据", "人工复核", "证据图片"};
  for (int col = 0; col <= kLastCol; ++col) s_.Text(*row, col, heads[col], HeaderStyle());
  ++*row;
  for (const Group& g : groups) {
    int first = *row;
    double group_deducted = 0;
    for (const ItemRow& item : g.rows) {
      const Finding* f = item.finding;
      bool manual = item.manual();
      Style text = Row(TextStyle(), manual), center = Row(CenterStyle(), manual);
      Style input = center;
      input.unlocked = true;
      s_.Text(*row, kId, item.id, center);
      s_.Text(*row, kText, item.text, text);
      s_.Number(*row, kPoints, item.points, center);
      s_.Text(*row, kRule, item.rule, text);
      double deducted = 0;
      std::string reason;
      if (manual) {
        manual_ids_.push_back(item.id);
        s_.Blank(*row, kDeduct, input);
        reason = f ? ReasonWithEvidence(*f) : "待人工评查";
        if (item.points > 0) {
          std::string title = "人工评分",
                      message = "填写扣分：0至" + NumberText(item.points) + "分";
          std::string error_title = "扣分超出范围",
                      error = "扣分应在0至" + NumberText(item.points) + "分之间";
          lxw_data_validation v = {};
          v.validate = LXW_VALIDATION_TYPE_DECIMAL;
          v.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
          v.minimum_number = 0;
          v.maximum_number = item.points;
          v.input_title = title.data();
          v.input_message = message.data();
          v.error_title = error_title.data();
          v.error_message = error.data();
          s_.Check(worksheet_data_validation_cell(s_.ws(), *row, kDeduct, &v));
        }
      } else {
        deducted = f->status == "deduct" ? f->deducted : 0;
        s_.Number(*row, kDeduct, deducted, center);
        if (f->status == "not_applicable")
          reason = f->reason.empty() ? "不适用" : "不适用：" + f->reason;
        else
          reason = ReasonWithEvidence(*f);
      }
      group_deducted += deducted;
      s_.Formula(*row, kScore, "=" + CellRef(*row, kPoints) + "-" + CellRef(*row, kDeduct),
                 item.points - deducted, center);
      s_.Text(*row, kReason, reason, text);
      s_.Blank(*row, kReview, input);
      s_.Blank(*row, kImage, center);
      Image(*row, f);
      ++*row;
    }
    std::string title = g.title + (g.weight > 0 ? "\n（" + NumberText(g.weight) + "分）" : "");
    Style cat = CenterStyle();
    cat.bold = true;
    s_.Merge(first, kCat, *row - 1, kCat, title, cat);
    std::string sum = "SUM(" + RangeRef(first, kDeduct, *row - 1, kDeduct) + ")";
    sum_terms_.push_back(g.weight > 0 ? "MIN(" + NumberText(g.weight) + "," + sum + ")" : sum);
    deducted_ += g.weight > 0 ? std::min(g.weight, group_deducted) : group_deducted;
  }
  if (groups.empty()) {
    s_.Merge(*row, 0, *row, kLastCol, "（无评分项目）", CenterStyle());
    ++*row;
  }
}

void ScoreSheetWriter::Image(int row, const Finding* f) {
  if (!f || f->crop_png.empty()) return;
  fs::path path = fs::path(options_.out_dir) / f->crop_png;
  double w = 0, h = 0;
  if (!PngSize(path, &w, &h)) return;  // no picture rather than no workbook
  lxw_image_options o = {};
  o.x_offset = 2;
  o.y_offset = 2;
  o.x_scale = o.y_scale = std::min(kImageHeightPx / h, kImageMaxWidthPx / w);
  o.object_position = LXW_OBJECT_MOVE_DONT_SIZE;
  std::string description = f->item;
  o.description = description.data();
  if (worksheet_insert_image_opt(s_.ws(), row, kImage, path.c_str(), &o) == LXW_NO_ERROR) {
    s_.MinHeight(row, kImageHeightPx * 0.75 + 4);
  }
}

ScoreSheetRefs ScoreSheetWriter::Write(const std::string& sheet_name) {
  std::vector<ItemRow> veto;
  std::vector<Group> groups;
  Collect(&veto, &groups);
  s_.Columns(kWidths);
  int row = 0;
  Header(&row);
  VetoBlock(veto, &row);
  Body(groups, &row);

  // Footer: 合计扣分, 总分, 等次 as live formulas, then signatures.
  double max = rubric_ ? rubric_->max : 100;
  bool zero = !rubric_ || rubric_->veto_mode != "not_excellent";
  std::vector<Band> bands = rubric_ ? rubric_->bands : std::vector<Band>{};
  std::string veto_grade = rubric_ ? rubric_->veto_grade : "不合格";
  std::string deducted_cell = CellRef(row, kText, true), total_cell = CellRef(row, kDeduct, true);
  std::string grade_cell = CellRef(row, kReview, true);
  std::string veto_expr = veto_range_.empty() ? "" : "COUNTIF(" + veto_range_ + ",\"不符合\")>0";
  std::string deducted_formula = sum_terms_.empty() ? "=0" : "=";
  for (size_t i = 0; i < sum_terms_.size(); ++i) deducted_formula += (i ? "+" : "") + sum_terms_[i];
  double total = zero && veto_hit_ ? 0 : std::max(0.0, max - deducted_);
  std::string capped = "MAX(0," + NumberText(max) + "-" + deducted_cell + ")";
  std::string total_formula =
      "=" + (zero && !veto_expr.empty() ? "IF(" + veto_expr + ",0," + capped + ")" : capped);
  std::vector<Band> lower(bands.size() > 1 ? bands.begin() + 1 : bands.end(), bands.end());
  std::string veto_branch = zero ? FormulaString(veto_grade) : BandFormula(lower, total_cell);
  std::string grade_formula =
      "=" + (veto_expr.empty() ? BandFormula(bands, total_cell)
                               : "IF(" + veto_expr + "," + veto_branch + "," +
                                     BandFormula(bands, total_cell) + ")");
  std::string grade = !veto_hit_ ? BandGrade(bands, total)
                      : zero     ? veto_grade
                                 : BandGrade(lower, total);

  Style label = CenterStyle(), value = CenterStyle();
  label.bold = true;
  value.bold = true;
  s_.Merge(row, kCat, row, kId, "合计扣分", label);
  s_.Formula(row, kText, deducted_formula, deducted_, value);
  s_.Merge(row, kPoints, row, kRule, "总分", label);
  s_.MergeFormula(row, kDeduct, row, kScore, total_formula, total, value);
  s_.Text(row, kReason, "等次", label);
  s_.MergeFormulaText(row, kReview, row, kImage, grade_formula, grade, value);
  s_.MinHeight(row, 24);
  ++row;
  std::string pending = manual_ids_.empty() ? "无" : std::to_string(manual_ids_.size()) + "项：";
  for (size_t i = 0; i < manual_ids_.size(); ++i) pending += (i ? "、" : "") + manual_ids_[i];
  if (!manual_ids_.empty()) pending += "（黄色行由评查人填写，合计扣分、总分和等次随之更新）";
  s_.Merge(row, kCat, row, kId, "待人工评查项", label);
  s_.Merge(row, kText, row, kLastCol, pending, TextStyle());
  ++row;
  s_.Merge(row, kCat, row, kId, "评查人签名", label);
  s_.Merge(row, kText, row, kRule, "", TextStyle());
  s_.Merge(row, kDeduct, row, kScore, "复核人签名", label);
  s_.Merge(row, kReason, row, kLastCol, "", TextStyle());
  s_.MinHeight(row, 36);

  PrintSetup(s_, true, 1, 3);
  s_.Check(worksheet_print_area(s_.ws(), 0, 0, row, kLastCol));
  worksheet_freeze_panes(s_.ws(), 6, 0);
  s_.Finish();
  return ScoreSheetRefs{sheet_name, QuoteSheet(sheet_name) + "!" + total_cell,
                        QuoteSheet(sheet_name) + "!" + grade_cell, total, grade};
}

}  // namespace

ScoreSheetRefs WriteScoreSheet(lxw_workbook* wb, FormatCache* formats, lxw_error* error,
                               const std::string& sheet_name, const Case& c, const CaseFacts& facts,
                               const Rubric* rubric, const Options& options) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, sheet_name.c_str());
  if (!ws) {
    if (*error == LXW_NO_ERROR) *error = LXW_ERROR_PARAMETER_VALIDATION;
    return {};
  }
  Sheet sheet(ws, formats, error);
  return ScoreSheetWriter(&sheet, c, facts, rubric, options).Write(sheet_name);
}

}  // namespace pingcha::workbook
