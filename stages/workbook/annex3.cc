// 附件3 行政执法案卷统计表 for the run: one row per agency with counts by case
// type and grade, a 合计 row of live SUM formulas, the footer and 填表说明;
// a second sheet lists the files that could not be reviewed.
#include <array>
#include <numeric>

#include "stages/workbook/annex.h"

namespace pingcha::workbook {
namespace {

enum Col {
  kSeq = 0,
  kAgency,
  kTypes,
  kTotal = kTypes + 9,
  kReviewed,
  kExcellent,
  kPass,
  kFail,
  kMean,
  kErrors,
  kNote
};
constexpr int kLastCol = kNote;
constexpr int kHeaderRow = 2;
// Two-part labels break before the bracket; left to the viewer, a narrow
// column wraps anywhere ("行政强制（措施" / "）").
const char* const kHeads[] = {"序号",
                              "单位名称",
                              "行政处罚\n（一般程序）",
                              "行政处罚\n（简易程序）",
                              "行政许可",
                              "行政强制\n（措施）",
                              "行政强制\n（执行）",
                              "行政征收",
                              "行政检查",
                              "行政确认",
                              "其他",
                              "合计",
                              "自查案卷数",
                              "优秀",
                              "合格",
                              "不合格",
                              "平均得分",
                              "未能评查\n（错误）",
                              "备注"};
const std::vector<double> kWidths = {5, 26, 10, 10, 8, 10, 10, 8, 8, 8, 7, 7, 8, 6, 6, 7, 8, 9, 20};

struct Tally {
  std::array<int, 9> types = {};
  int reviewed = 0, excellent = 0, pass = 0, fail = 0, errors = 0, manual_cases = 0;
  double score_sum = 0;
  std::map<std::string, int> other_grades;
};

Tally Count(const AgencyCases& a) {
  Tally t;
  for (const Case* c : a.cases) {
    ++t.types[Annex3TypeColumn(*c)];
    if (c->status != "ok") {
      ++t.errors;
      continue;
    }
    ++t.reviewed;
    t.score_sum += c->score.score;
    if (c->score.manual_pending > 0) ++t.manual_cases;
    const std::string& g = c->score.grade;
    if (g == "优秀")
      ++t.excellent;
    else if (g == "合格")
      ++t.pass;
    else if (g == "不合格")
      ++t.fail;
    else
      ++t.other_grades[g.empty() ? "未定等次" : g];
  }
  return t;
}

std::string Note(const AgencyCases& a, const Tally& t) {
  if (a.cases.empty()) return "无案卷";
  std::string note;
  for (const auto& [grade, n] : t.other_grades)
    note += (note.empty() ? "" : "；") + grade + std::to_string(n) + "件";
  if (t.manual_cases > 0)
    note += (note.empty() ? "" : "；") + std::string("含待人工评查案卷") +
            std::to_string(t.manual_cases) + "件";
  return note;
}

void WriteErrorSheet(lxw_workbook* wb, FormatCache* formats, lxw_error* error,
                     const std::vector<AgencyCases>& agencies) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, "未能评查案卷");
  if (!ws) {
    if (*error == LXW_NO_ERROR) *error = LXW_ERROR_PARAMETER_VALIDATION;
    return;
  }
  Sheet s(ws, formats, error);
  s.Columns({5, 24, 30, 40, 12, 40});
  s.Merge(0, 0, 0, 5, "未能评查案卷", TitleStyle());
  s.MinHeight(0, 30);
  const char* heads[] = {"序号", "单位名称", "案卷编号", "文件路径", "错误代码", "错误说明"};
  for (int col = 0; col < 6; ++col) s.Text(1, col, heads[col], HeaderStyle());
  int row = 2, seq = 0;
  for (const AgencyCases& a : agencies) {
    for (const Case* c : a.cases) {
      if (c->status == "ok") continue;
      s.Number(row, 0, ++seq, CenterStyle());  // a number: no "stored as text" flag
      s.Text(row, 1, a.agency, TextStyle());
      s.Text(row, 2, c->case_id, TextStyle());
      s.Text(row, 3, c->source.path, TextStyle());
      s.Text(row, 4, c->error ? c->error->code : "", CenterStyle());
      s.Text(row, 5, c->error ? c->error->message : "", TextStyle());
      ++row;
    }
  }
  if (seq == 0) s.Merge(row, 0, row, 5, "（无）", CenterStyle());
  PrintSetup(s, true, 0, 1);
  worksheet_freeze_panes(ws, 2, 0);
  s.Finish();
}

}  // namespace

Status WriteAnnex3(const std::filesystem::path& path, const std::vector<AgencyCases>& agencies,
                   const Options& options) {
  const std::string title = options.year + "年度行政执法案卷统计表";
  return WriteXlsxAtomically(path, options.created, title, [&](lxw_workbook* wb) {
    lxw_error error = LXW_NO_ERROR;
    FormatCache formats(wb);
    lxw_worksheet* ws = workbook_add_worksheet(wb, "附件3");
    if (!ws) return LXW_ERROR_PARAMETER_VALIDATION;
    Sheet s(ws, &formats, &error);
    s.Columns(kWidths);
    s.Text(0, 0, "附件3", AnnexLabelStyle());
    s.Merge(1, 0, 1, kLastCol, options.year.empty() ? "行政执法案卷统计表" : title, TitleStyle());
    s.MinHeight(1, 30);
    for (int col = 0; col <= kLastCol; ++col) s.Text(kHeaderRow, col, kHeads[col], HeaderStyle());

    Style mean_style = CenterStyle();
    mean_style.num = "0.00";
    int row = kHeaderRow + 1;
    Tally all;
    for (size_t i = 0; i < agencies.size(); ++i, ++row) {
      const AgencyCases& a = agencies[i];
      Tally t = Count(a);
      s.Number(row, kSeq, static_cast<double>(i + 1), CenterStyle());
      s.Text(row, kAgency, a.agency.empty() ? "（未识别单位）" : a.agency, TextStyle());
      for (int k = 0; k < 9; ++k) {
        s.Number(row, kTypes + k, t.types[k], CenterStyle());
        all.types[k] += t.types[k];
      }
      s.Formula(row, kTotal, "=SUM(" + RangeRef(row, kTypes, row, kTypes + 8) + ")",
                std::accumulate(t.types.begin(), t.types.end(), 0), CenterStyle());
      s.Number(row, kReviewed, t.reviewed, CenterStyle());
      s.Number(row, kExcellent, t.excellent, CenterStyle());
      s.Number(row, kPass, t.pass, CenterStyle());
      s.Number(row, kFail, t.fail, CenterStyle());
      if (t.reviewed > 0)
        s.Number(row, kMean, t.score_sum / t.reviewed, mean_style);
      else
        s.Blank(row, kMean, mean_style);
      s.Number(row, kErrors, t.errors, CenterStyle());
      s.Text(row, kNote, Note(a, t), TextStyle());
      all.reviewed += t.reviewed;
      all.excellent += t.excellent;
      all.pass += t.pass;
      all.fail += t.fail;
      all.errors += t.errors;
      all.score_sum += t.score_sum;
    }

    // 合计: live sums over the agency rows, cached values alongside.
    Style bold = CenterStyle();
    bold.bold = true;
    const int first = kHeaderRow + 1, last = row - 1;
    auto sum = [&](int col, double cached) {
      std::string f = last < first ? "=0" : "=SUM(" + RangeRef(first, col, last, col) + ")";
      s.Formula(row, col, f, cached, bold);
    };
    s.Merge(row, kSeq, row, kAgency, "合计", bold);
    for (int k = 0; k < 9; ++k) sum(kTypes + k, all.types[k]);
    sum(kTotal, std::accumulate(all.types.begin(), all.types.end(), 0));
    sum(kReviewed, all.reviewed);
    sum(kExcellent, all.excellent);
    sum(kPass, all.pass);
    sum(kFail, all.fail);
    sum(kErrors, all.errors);
    Style bold_mean = mean_style;
    bold_mean.bold = true;
    std::string reviewed = CellRef(row, kReviewed);
    std::string mean = last < first
                           ? "=\"\""
                           : "=IF(" + reviewed + ">0,SUMPRODUCT(" +
                                 RangeRef(first, kReviewed, last, kReviewed) + "," +
                                 RangeRef(first, kMean, last, kMean) + ")/" + reviewed + ",\"\")";
    if (all.reviewed > 0)
      s.Formula(row, kMean, mean, all.score_sum / all.reviewed, bold_mean);
    else
      s.FormulaText(row, kMean, mean, "", bold_mean);
    s.Blank(row, kNote, bold);
    row += 2;

    Style sign = PlainStyle();
    sign.size = 11;
    const std::array<std::pair<int, const char*>, 5> signs = {{{0, "填表人："},
                                                               {3, "联系电话："},
                                                               {7, "单位负责人："},
                                                               {11, "单位（盖章）："},
                                                               {16, "填报日期："}}};
    for (size_t i = 0; i < signs.size(); ++i) {
      int end = i + 1 < signs.size() ? signs[i + 1].first - 1 : kLastCol;
      s.Merge(row, signs[i].first, row, end, signs[i].second, sign);
    }
    s.MinHeight(row, 30);
    ++row;
    std::string range =
        options.year.empty() ? "本年度" : options.year + "年1月1日至" + options.year + "年12月31日";
    Style note = PlainStyle();
    note.wrap = true;
    s.Merge(
        row, 0, row, kLastCol,
        "填表说明：1. 统计范围为" + range +
            "办结的行政执法案卷，同一案件并处两种以上处罚的计一宗；2. 无案卷的单位填“0”并书面说明；"
            "3. 自查案卷数、等次和平均得分为自动评查结果，待人工评查项经复核后以评分表为准；"
            "4. 未能评查的案卷见“未能评查案卷”表。",
        note);

    PrintSetup(s, true, 1, kHeaderRow);
    worksheet_freeze_panes(ws, kHeaderRow + 1, 2);
    worksheet_activate(ws);
    s.Finish();
    WriteErrorSheet(wb, &formats, &error, agencies);
    return error;
  });
}

}  // namespace pingcha::workbook
