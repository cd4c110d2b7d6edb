// write_sample_workbooks OUT: writes the annex workbooks of a fixed set of
// hand-built cases to OUT/workbooks/ (and their evidence crop to
// OUT/evidence/). The input of the "workbook_readers" tests: the golden-file
// comparison (tests/golden/workbook/), LibreOffice and openpyxl
// (tests/workbook/). The cases and rubrics are built here, not read from
// rubrics/, so the goldens change only when the workbook stage does.
//
// The set covers: three agencies with cases and one without; a penalty case
// with deductions, manual items and an evidence image; a penalty case whose
// category cap bites; a simple-procedure penalty case with a veto hit
// (zero score); a file that could not be reviewed; a license case whose 文号
// is too long for a sheet name; a coercion case under veto_mode
// "not_excellent" with a veto hit (best grade barred, score kept).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "stages/workbook/workbook.h"

// libxlsxwriter 1.1.4 leaks the copied range of every list validation taken
// from a cell range (10 bytes each; fixed upstream); not ours to free. The
// slow unwinder lets the suppression see past the library's frames.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:worksheet_data_validation_range\n"
         "leak:lxw_worksheet_data_validation_cell\n"
         "leak:_data_validation_list_to_csv_str\n";
}
extern "C" const char* __asan_default_options() { return "fast_unwind_on_malloc=0"; }

namespace {

using namespace pingcha;
namespace fs = std::filesystem;

// A 40×40 red PNG (stands in for a seal crop).
const unsigned char kPng[] =
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x28\x00\x00"
    "\x00\x28\x08\x02\x00\x00\x00\x03\x9c\x2f\x3a\x00\x00\x00\x2f\x49\x44\x41\x54\x78\xda\xed"
    "\xcd\x31\x0d\x00\x00\x08\x03\xb0\x29\x99\x7f\x51\x88\xc1\x04\x09\x4f\x93\xfe\xcd\xb4\x2f"
    "\x22\x16\x8b\xc5\x62\xb1\x58\x2c\x16\x8b\xc5\x62\xb1\x58\x2c\x16\xdf\x59\x78\x31\xd6\x5b"
    "\x27\x0d\x12\xda\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";

const char kMarket[] = "鄂尔多斯市东胜区市场监督管理局";
const char kResources[] = "东胜区自然资源局/许可科";  // '/' must not make a sub-folder
const char kEnvironment[] = "东胜区生态环境分局";
const char kEducation[] = "东胜区教育局";  // listed, no case: 附件3 row "无案卷", no 附件4

RubricItem Item(std::string id, std::string cat, std::string text, double points,
                std::string rule, bool veto = false) {
  RubricItem item;
  item.id = std::move(id);
  item.category = std::move(cat);
  item.text = std::move(text);
  item.points = points;
  item.rule = std::move(rule);
  item.veto = veto;
  return item;
}

std::map<std::string, Rubric> Rubrics() {
  Rubric p;
  p.id = "penalty";
  p.annex = "附件5";
  p.title = "行政处罚案卷评查评分细则";
  p.case_types = {"penalty"};
  p.bands = {{90, "优秀"}, {60, "合格"}, {0, "不合格"}};
  p.categories = {{"A", "执法主体", 8}, {"B", "事实证据", 20}, {"D", "执法程序", 30}};
  p.items = {
      Item("P-V01", "V", "实施主体不具有行政处罚主体资格", 0, "不合格卷", true),
      Item("P-V12", "V", "未履行告知程序或拒绝听取当事人陈述申辩", 0, "不合格卷", true),
      Item("P-A1", "A", "执法人员具有行政执法资格，出示执法证件", 5,
           "每名无证执法人员扣2分，最多扣5分"),
      Item("P-A2", "A", "调查取证时执法人员不少于两人", 5, "少于两人的扣5分"),
      Item("P-B1", "B", "违法事实清楚，证据确实充分", 20, "证据不足的每处扣2分"),
      Item("P-D16", "D", "处罚决定书载明法定事项（救济途径、期限等）", 4, "缺一项扣1分"),
      Item("P-D20", "D", "决定书在法定期限内送达当事人", 5, "超期送达扣5分"),
      Item("P-D30", "D", "简易程序当场交付决定书", 3, "未当场交付扣3分")};
  p.items.back().procedures = {"simple"};
  p.items[6].manual = false;

  Rubric l;
  l.id = "license";
  l.annex = "附件6";
  l.title = "行政许可案卷评查评分细则";
  l.case_types = {"license"};
  l.bands = p.bands;
  l.categories = {{"A", "申请与受理", 15}};
  l.items = {Item("L-A1", "A", "出具受理通知书", 10, "未出具扣10分"),
             Item("L-A2", "A", "材料不齐全的一次告知补正", 5, "未一次告知扣5分")};

  Rubric c;
  c.id = "coercion";
  c.annex = "附件7";
  c.title = "行政强制案卷评查评分细则";
  c.case_types = {"coercion"};
  c.veto_mode = "not_excellent";
  c.bands = p.bands;
  c.categories = {{"A", "强制程序", 20}};
  c.items = {Item("C-V01", "V", "未经催告直接强制执行", 0, "不得评为优秀", true),
             Item("C-A1", "A", "实施前向当事人告知并听取陈述申辩", 10, "未告知扣10分"),
             Item("C-A2", "A", "制作现场笔录并由当事人签名", 10, "缺签名扣5分")};
  return {{"penalty", p}, {"license", l}, {"coercion", c}};
}

Finding Make(std::string item, std::string status, double points, double deducted,
             std::string reason, std::vector<std::pair<int, std::string>> evidence = {}) {
  Finding f;
  f.item = std::move(item);
  f.status = std::move(status);
  f.points = points;
  f.deducted = deducted;
  f.reason = std::move(reason);
  for (auto& [page, text] : evidence) f.evidence.push_back({page, {0.1, 0.5, 0.9, 0.55}, text});
  return f;
}

Document Doc(std::string type, std::string number, int page, std::string date = "") {
  Document d;
  d.type = std::move(type);
  if (!number.empty()) d.doc_number = Field{number, page, {}, number};
  if (!date.empty()) d.date = Field{date, page, {}, date};
  return d;
}

std::vector<Case> Cases() {
  std::vector<Case> out;

  Case a;  // ordinary penalty: two deductions, two manual items, an evidence crop
  a.case_id = "市场监管局__2021__东市监处罚2021-12";
  a.source.path = "市场监管局/2021/东市监处罚2021-12.pdf";
  a.case_type = "penalty";
  a.agency = kMarket;
  a.documents = {Doc("filing_approval", "", 2, "2021-03-01"),
                 Doc("penalty_decision", "东市监处罚〔2021〕12号", 18, "2021-04-20")};
  a.documents[1].fields["party"] = Field{"鄂尔多斯市某某商贸有限公司", 18, {}, "当事人：…"};
  a.documents[1].fields["cause"] = Field{"销售不合格产品案", 18, {}, "销售不合格产品案"};
  a.findings = {
      Make("P-V01", "pass", 0, 0, ""),
      Make("P-V12", "manual", 0, 0, "陈述申辩告知书第9页印章遮挡，无法辨认签收日期"),
      Make("P-A1", "deduct", 5, 2, "询问笔录仅一名执法人员载明执法证号",
           {{3, "执法人员：王某（证号15020100123）、李某"}}),
      Make("P-A2", "pass", 5, 0, ""),
      Make("P-B1", "manual", 20, 0, "违法事实与证据需人工审查"),
      Make("P-D16", "deduct", 4, 1, "决定书未载明申请行政复议的期限",
           {{18, "如不服本决定，可依法申请行政复议或者提起行政诉讼"}}),
      Make("P-D20", "pass", 5, 0, "决定书2021-04-20作出，2021-04-22送达（第20页），未超过7日")};
  a.findings[2].crop_png = "evidence/seal.png";
  a.score = {100, 3, 97, "优秀", false, 2};
  out.push_back(a);

  Case b;  // ordinary penalty: category A deductions 5+5 capped at 8
  b.case_id = "市场监管局__2021__东市监处罚2021-30";
  b.source.path = "市场监管局/2021/东市监处罚2021-30.pdf";
  b.case_type = "penalty";
  b.agency = kMarket;
  b.documents = {Doc("penalty_decision", "东市监处罚〔2021〕30号", 12, "2021-09-08")};
  b.documents[0].fields["party"] = Field{"张三", 12, {}, "当事人：张三"};
  b.findings = {Make("P-V01", "pass", 0, 0, ""), Make("P-V12", "pass", 0, 0, ""),
                Make("P-A1", "deduct", 5, 5, "两名执法人员均未载明执法证号", {{4, "执法人员：赵某、钱某"}}),
                Make("P-A2", "deduct", 5, 5, "现场检查笔录仅一名执法人员签名", {{5, "检查人：赵某"}}),
                Make("P-B1", "pass", 20, 0, ""), Make("P-D16", "pass", 4, 0, ""),
                Make("P-D20", "not_applicable", 5, 0, "当场送达")};
  b.score = {100, 8, 92, "优秀", false, 0};
  out.push_back(b);

  Case c;  // simple procedure with a veto hit: zero score, 不合格
  c.case_id = "市场监管局__2021__简易001";
  c.source.path = "市场监管局/2021/简易001.pdf";
  c.case_type = "penalty";
  c.procedure = "simple";
  c.agency = kMarket;
  c.findings = {Make("P-V01", "deduct", 0, 0, "决定书加盖内设机构印章“综合执法大队”",
                     {{1, "东胜区市场监督管理局综合执法大队"}}),
                Make("P-V12", "pass", 0, 0, ""), Make("P-A1", "pass", 5, 0, ""),
                Make("P-A2", "not_applicable", 5, 0, "简易程序"), Make("P-B1", "pass", 20, 0, ""),
                Make("P-D16", "pass", 4, 0, ""), Make("P-D30", "deduct", 3, 3, "无当事人签收",
                                                      {{1, "当事人签名："}})};
  c.score = {100, 100, 0, "不合格", true, 0};
  out.push_back(c);

  Case d;  // could not be reviewed
  d.case_id = "市场监管局__2021__坏文件";
  d.source.path = "市场监管局/2021/坏文件.pdf";
  d.status = "error";
  d.error = CaseError{"damaged", "市场监管局/2021/坏文件.pdf: PDF 文件已损坏（交叉引用表无法读取）"};
  d.agency = kMarket;
  out.push_back(d);

  Case e;  // license, 文号 too long and with forbidden characters for a sheet name
  e.case_id = "自然资源局__2021__许可001";
  e.source.path = "自然资源局/2021/许可001.pdf";
  e.case_type = "license";
  e.agency = kResources;
  e.documents = {
      Doc("license_decision", "鄂尔多斯市东胜区自然资源局准予行政许可决定书[2021]第0001/0002号补充",
          5, "2021-06-30")};
  e.findings = {Make("L-A1", "pass", 10, 0, ""), Make("L-A2", "not_applicable", 5, 0, "申请材料齐全")};
  e.score = {100, 0, 100, "优秀", false, 0};
  out.push_back(e);

  Case f;  // coercion, veto_mode not_excellent: veto hit keeps the score, bars 优秀
  f.case_id = "生态环境分局__2021__强制003";
  f.source.path = "生态环境分局/2021/行政强制/强制003.pdf";
  f.case_type = "coercion";
  f.agency = kEnvironment;
  f.documents = {Doc("coercion_decision", "东环强执〔2021〕3号", 7, "2021-11-02")};
  f.findings = {Make("C-V01", "deduct", 0, 0, "卷内无催告书", {}),
                Make("C-A1", "pass", 10, 0, ""),
                Make("C-A2", "deduct", 10, 5, "现场笔录无当事人签名", {{6, "当事人（签名）："}})};
  f.score = {100, 5, 95, "合格", true, 0};
  out.push_back(f);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT\n", argv[0]);
    return 2;
  }
  const fs::path out = argv[1];
  std::error_code ec;
  fs::remove_all(out / "workbooks", ec);
  fs::create_directories(out / "evidence", ec);
  std::ofstream(out / "evidence/seal.png", std::ios::binary)
      .write(reinterpret_cast<const char*>(kPng), sizeof kPng - 1);
  workbook::Options o{out.string(), "2021", 1642204800 /* 2022-01-15 */, "2022-01-20"};
  Status st = workbook::WriteWorkbooks(Cases(), Rubrics(),
                                       {kMarket, kEducation, kResources, kEnvironment}, o);
  if (!st.ok()) {
    std::fprintf(stderr, "write_sample_workbooks: %s\n", st.ToString().c_str());
    return 1;
  }
  std::printf("wrote %s\n", (out / "workbooks").c_str());
  return 0;
}
