#include "stages/workbook/workbook.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "stages/workbook/annex.h"
#include "stages/workbook/xlsx_util.h"

// libxlsxwriter 1.1.4 leaks the copied range of every list validation taken
// from a cell range (10 bytes here; fixed upstream). Not ours to free. The
// slow unwinder lets the suppression see past the library's frames.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:worksheet_data_validation_range\n";
}
extern "C" const char* __asan_default_options() { return "fast_unwind_on_malloc=0"; }

namespace pingcha::workbook {
namespace {

namespace fs = std::filesystem;

const char kAgencyA[] = "鄂尔多斯市东胜区市场监督管理局";
const char kAgencyB[] = "东胜区自然资源局/许可科";  // '/' must not make a sub-folder
const char kPenaltyNumber[] = "东市监处罚〔2021〕12号";
const char kAgencyNone[] = "东胜区教育局";  // listed, but no case in the archive
// A 文号 too long for a sheet name, with characters sheet names forbid.
const char kLongNumber[] = "鄂尔多斯市东胜区自然资源局准予行政许可决定书[2021]第0001/0002号补充";

// A 40×40 red PNG (evidence crop).
const unsigned char kPng[] =
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x28\x00\x00"
    "\x00\x28\x08\x02\x00\x00\x00\x03\x9c\x2f\x3a\x00\x00\x00\x2f\x49\x44\x41\x54\x78\xda\xed"
    "\xcd\x31\x0d\x00\x00\x08\x03\xb0\x29\x99\x7f\x51\x88\xc1\x04\x09\x4f\x93\xfe\xcd\xb4\x2f"
    "\x22\x16\x8b\xc5\x62\xb1\x58\x2c\x16\x8b\xc5\x62\xb1\x58\x2c\x16\xdf\x59\x78\x31\xd6\x5b"
    "\x27\x0d\x12\xda\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";

RubricItem Item(std::string id, std::string cat, std::string text, double points,
                bool veto = false) {
  RubricItem item;
  item.id = std::move(id);
  item.category = std::move(cat);
  item.text = std::move(text);
  item.points = points;
  item.rule = veto ? "不合格卷" : "缺一项扣" + NumberText(points) + "分";
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
  p.categories = {{"V", "否决项", 0}, {"A", "执法主体与人员", 10}, {"D", "程序", 30}};
  p.items = {Item("P-V01", "V", "实施主体不具有行政处罚主体资格", 0, true),
             Item("P-V12", "V", "未履行告知程序或拒绝听取陈述申辩", 0, true),
             Item("P-A1", "A", "执法人员具有执法资格", 5),
             Item("P-A2", "A", "两名以上执法人员", 5),
             Item("P-D16", "D", "决定书必备事项", 4),
             Item("P-D20", "D", "送达期限", 5),
             Item("P-D30", "D", "简易程序当场交付", 3)};
  p.items.back().procedures = {"simple"};  // not shown for an ordinary case
  Rubric l;
  l.id = "license";
  l.annex = "附件6";
  l.title = "行政许可案卷评查评分细则";
  l.case_types = {"license"};
  l.bands = p.bands;
  l.categories = {{"A", "申请与受理", 15}};
  l.items = {Item("L-A1", "A", "受理通知书", 10), Item("L-A2", "A", "补正告知", 5)};
  return {{"penalty", p}, {"license", l}};
}

Finding Make(std::string item, std::string status, double points, double deducted,
             std::string reason, std::vector<int> pages = {}) {
  Finding f;
  f.item = std::move(item);
  f.status = std::move(status);
  f.points = points;
  f.deducted = deducted;
  f.reason = std::move(reason);
  for (int p : pages) f.evidence.push_back({p, {0.1, 0.5, 0.9, 0.55}, "送达日期：2021年5月6日"});
  return f;
}

std::vector<Case> Cases() {
  Case penalty;
  penalty.case_id = "市场监管局__2021__东市监处罚2021-12";
  penalty.source.path = "市场监管局/2021/东市监处罚2021-12.pdf";
  penalty.case_type = "penalty";
  penalty.agency = kAgencyA;
  Document decision;
  decision.type = "penalty_decision";
  decision.doc_number = Field{kPenaltyNumber, 18, {}, kPenaltyNumber};
  decision.date = Field{"2021-04-20", 19, {}, "2021年4月20日"};
  decision.fields["party"] = Field{"张三", 18, {}, "当事人：张三"};
  Document filing;
  filing.type = "filing_approval";
  filing.date = Field{"2021-03-01", 2, {}, "2021年3月1日"};
  penalty.documents = {filing, decision};
  penalty.findings = {Make("P-V01", "pass", 0, 0, ""),
                      Make("P-V12", "manual", 0, 0, "告知书第9页无法辨认"),
                      Make("P-A1", "deduct", 5, 2, "询问笔录仅一名执法人员具执法证号", {3}),
                      Make("P-A2", "pass", 5, 0, ""),
                      Make("P-D16", "deduct", 4, 4, "决定书缺少救济途径", {19, 18}),
                      Make("P-D20", "manual", 5, 0, "送达回证日期无法辨认")};
  penalty.findings[2].crop_png = "evidence/seal.png";
  penalty.findings[4].crop_png = "evidence/missing.png";  // no file: no picture, no failure
  penalty.score = {100, 6, 94, "优秀", false, 2};

  Case license;
  license.case_id = "自然资源局__2021__许可001";
  license.source.path = "自然资源局/2021/许可001.pdf";
  license.case_type = "license";
  license.agency = kAgencyB;
  Document license_decision;
  license_decision.type = "license_decision";
  license_decision.doc_number = Field{kLongNumber, 5, {}, kLongNumber};
  license.documents = {license_decision};
  license.findings = {Make("L-A1", "pass", 10, 0, ""), Make("L-A2", "not_applicable", 5, 0, "")};
  license.score = {100, 0, 100, "优秀", false, 0};

  Case broken;
  broken.case_id = "市场监管局__2021__坏文件";
  broken.source.path = "市场监管局/2021/坏文件.pdf";
  broken.status = "error";
  broken.error = CaseError{"damaged", "PDF 文件已损坏"};
  broken.agency = kAgencyA;
  return {license, broken, penalty};  // not in case_id order on purpose
}

class WorkbookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("pingcha_workbook_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  // Writes the workbooks of Cases() under root_/name and returns OUT.
  fs::path Write(const std::string& name, Status* status = nullptr) {
    fs::path out = root_ / name;
    fs::create_directories(out / "evidence");
    std::ofstream(out / "evidence/seal.png", std::ios::binary)
        .write(reinterpret_cast<const char*>(kPng), sizeof kPng - 1);
    Options o{out.string(), "2021", 1642204800 /* 2022-01-15 */, "2022-01-20"};
    Status st = WriteWorkbooks(Cases(), Rubrics(), {kAgencyA, kAgencyNone, kAgencyB}, o);
    if (status)
      *status = st;
    else
      EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }

  fs::path root_;
};

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// One part of an xlsx file, via `unzip -p`.
std::string Part(const fs::path& xlsx, const std::string& member) {
  std::string cmd = "unzip -p " + Quote(xlsx.string()) + " " + Quote(member) + " 2>/dev/null";
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    pclose(p);
  }
  return out;
}

fs::path Annex3(const fs::path& out) { return out / "workbooks/附件3_行政执法案卷统计表.xlsx"; }
fs::path Annex4(const fs::path& out, const std::string& folder) {
  return out / "workbooks" / folder / "附件4_自查自评情况表.xlsx";
}

TEST_F(WorkbookTest, WritesOneAnnex3AndOneAnnex4PerAgency) {
  fs::path out = Write("out");
  EXPECT_TRUE(fs::exists(Annex3(out)));
  EXPECT_TRUE(fs::exists(Annex4(out, kAgencyA)));
  EXPECT_TRUE(fs::exists(Annex4(out, "东胜区自然资源局_许可科")));
  EXPECT_FALSE(fs::exists(out / "workbooks" / kAgencyNone));  // nothing to self-review
  for (const auto& e : fs::recursive_directory_iterator(out / "workbooks"))
    EXPECT_EQ(e.path().string().find(".tmp-"), std::string::npos) << e.path();
}

TEST_F(WorkbookTest, SameCasesGiveIdenticalBytes) {
  fs::path a = Write("a"), b = Write("b");
  for (fs::path rel : {fs::path("workbooks/附件3_行政执法案卷统计表.xlsx"),
                       fs::path("workbooks") / kAgencyA / "附件4_自查自评情况表.xlsx"}) {
    std::string first = ReadFile(a / rel);
    ASSERT_FALSE(first.empty()) << rel;
    EXPECT_EQ(first, ReadFile(b / rel)) << rel;
  }
  std::string before = ReadFile(Annex3(a));
  Write("a");  // overwrite in place
  EXPECT_EQ(before, ReadFile(Annex3(a)));
  EXPECT_NE(Part(Annex3(a), "docProps/core.xml").find("2022-01-15T00:00:00Z"), std::string::npos);
}

TEST_F(WorkbookTest, Annex3HasTitleColumnsLiveSumsAndErrorList) {
  fs::path x = Annex3(Write("out"));
  std::string book = Part(x, "xl/workbook.xml"), strings = Part(x, "xl/sharedStrings.xml");
  std::string sheet = Part(x, "xl/worksheets/sheet1.xml");
  EXPECT_NE(book.find("name=\"附件3\""), std::string::npos);
  EXPECT_NE(book.find("name=\"未能评查案卷\""), std::string::npos);
  for (const char* s :
       {"2021年度行政执法案卷统计表", "行政处罚\n（一般程序）", "行政强制\n（执行）",
        "未能评查\n（错误）", "填表人：", "填表说明：", kAgencyA, "坏文件", "damaged"})
    EXPECT_NE(strings.find(s), std::string::npos) << s;
  EXPECT_NE(sheet.find("<f>SUM(C4:C6)</f>"), std::string::npos);  // 合计 row, three agencies
  EXPECT_NE(strings.find("无案卷"), std::string::npos);
  EXPECT_NE(sheet.find("<f>SUM(C4:K4)</f>"), std::string::npos);  // per agency total
  EXPECT_NE(sheet.find("SUMPRODUCT("), std::string::npos);
  EXPECT_NE(sheet.find("<pageSetup paperSize=\"9\""), std::string::npos);
  // Agency A: one penalty (ordinary) + one error file with no type (其他).
  EXPECT_NE(sheet.find("<f>SUM(C4:K4)</f><v>2</v>"), std::string::npos) << sheet;
}

TEST_F(WorkbookTest, Annex4HasCaseRowsScoreSheetsFormulasAndValidation) {
  fs::path x = Annex4(Write("out"), kAgencyA);
  std::string book = Part(x, "xl/workbook.xml"), strings = Part(x, "xl/sharedStrings.xml");
  std::string main = Part(x, "xl/worksheets/sheet1.xml");
  std::string score = Part(x, "xl/worksheets/sheet2.xml");
  EXPECT_NE(book.find("name=\"附件4\""), std::string::npos);
  EXPECT_NE(book.find(std::string("name=\"") + kPenaltyNumber + "\""), std::string::npos);
  EXPECT_EQ(Part(x, "xl/worksheets/sheet3.xml"), "");  // the error case has no 评分表
  for (const char* s :
       {"行政执法案卷自查自评情况表", "单位名称：", "扣分项目（细则条目）",
        "询问笔录仅一名执法人员具执法证号（第3页）", "决定书缺少救济途径（第18、19页）",
        "P-V12、P-D20", "有下列情形之一的，为不合格案卷", "行政处罚案卷评查评分细则",
        "扣分理由及证据", "张三", "2021-03-01", "坏文件"})
    EXPECT_NE(strings.find(s), std::string::npos) << s;
  EXPECT_EQ(strings.find("P-D30"), std::string::npos);  // simple-procedure item left out
  EXPECT_EQ(strings.find("null"), std::string::npos);
  // Two deductions: the case columns merged over two rows.
  EXPECT_NE(main.find("<mergeCell ref=\"B5:B6\"/>"), std::string::npos) << main;
  EXPECT_NE(main.find(std::string("<f>'") + kPenaltyNumber + "'!$F$"), std::string::npos);
  // 评分表: live score per row, category caps, veto-aware grade, validation.
  EXPECT_NE(score.find("<dataValidation type=\"decimal\""), std::string::npos) << score;
  EXPECT_NE(score.find("<dataValidation type=\"list\""), std::string::npos);
  EXPECT_NE(score.find("<formula1>$Z$1:$Z$3</formula1>"), std::string::npos);
  EXPECT_NE(score.find("MIN(10,SUM("), std::string::npos);
  EXPECT_NE(score.find("COUNTIF("), std::string::npos);
  EXPECT_NE(score.find("t=\"str\""), std::string::npos);
  EXPECT_NE(score.find("<v>优秀</v>"), std::string::npos);
  EXPECT_NE(score.find("<v>94</v>"), std::string::npos);
  EXPECT_NE(Part(x, "xl/media/image1.png"), "");  // the evidence crop
}

TEST_F(WorkbookTest, LongSheetNamesAreCutToThirtyOneCharacters) {
  fs::path x = Annex4(Write("out"), "东胜区自然资源局_许可科");
  std::string book = Part(x, "xl/workbook.xml");
  std::string expected =
      TruncateUtf16("鄂尔多斯市东胜区自然资源局准予行政许可决定书_2021_第0001_0002号补充", 31);
  EXPECT_NE(book.find("name=\"" + expected + "\""), std::string::npos) << book;
}

TEST_F(WorkbookTest, ZeroCreatedTimeIsStillFixed) {
  Options o{(root_ / "out").string(), "2021", 0, ""};
  ASSERT_TRUE(WriteWorkbooks(Cases(), Rubrics(), {}, o).ok());
  EXPECT_NE(Part(Annex3(root_ / "out"), "docProps/core.xml").find("1980-01-01T00:00:00Z"),
            std::string::npos);
}

TEST_F(WorkbookTest, UnwritableOutputIsAnIoErrorNamingTheFile) {
  std::ofstream(root_ / "file") << "x";  // OUT/workbooks cannot be a folder under a file
  Options o{(root_ / "file").string(), "2021", 1, ""};
  Status st = WriteWorkbooks(Cases(), Rubrics(), {}, o);
  EXPECT_EQ(st.code(), "io_error");
  EXPECT_NE(st.message().find("附件3_行政执法案卷统计表.xlsx: "), std::string::npos)
      << st.message();
}

TEST_F(WorkbookTest, FailedCloseLeavesNoTemporaryFile) {
  fs::path target = root_ / "dir.xlsx";
  Status st = WriteXlsxAtomically(target, 1, "t", [&](lxw_workbook* wb) {
    workbook_add_worksheet(wb, nullptr);
    fs::create_directories(target.string() + ".tmp-" +
                           std::to_string(::getpid()));  // blocks the save
    return LXW_NO_ERROR;
  });
  EXPECT_EQ(st.code(), "io_error");
  EXPECT_FALSE(fs::exists(target));
}

TEST(SheetNameTest, LimitsForbiddenCharactersAndUniqueness) {
  std::set<std::string> used;
  EXPECT_EQ(SanitizeSheetName("a[b]:c*d?e/f\\g", &used), "a_b__c_d_e_f_g");
  EXPECT_EQ(SanitizeSheetName("'quoted'", &used), "quoted");
  EXPECT_EQ(SanitizeSheetName("", &used), "Sheet");
  EXPECT_EQ(SanitizeSheetName("History", &used), "History_");
  std::string long_name;
  for (int i = 0; i < 40; ++i) long_name += "案";
  std::string cut = SanitizeSheetName(long_name, &used);
  EXPECT_EQ(Utf16Length(cut), 31u);
  EXPECT_EQ(cut.size(), 93u);  // 31 characters of 3 bytes, not 31 bytes
  std::string again = SanitizeSheetName(long_name, &used);
  EXPECT_EQ(Utf16Length(again), 31u);
  EXPECT_EQ(again.substr(again.size() - 3), "(2)");
  EXPECT_EQ(SanitizeSheetName("ABC", &used), "ABC");
  EXPECT_EQ(SanitizeSheetName("abc", &used), "abc(2)");  // Excel ignores case
  EXPECT_EQ(SanitizeSheetName("abc", &used), "abc(3)");
  EXPECT_EQ(SanitizeSheetName("\xff\xfe", &used), "\xEF\xBF\xBD\xEF\xBF\xBD");  // invalid UTF-8
  EXPECT_EQ(Utf16Length("😀"), 2u);
  EXPECT_EQ(TruncateUtf16("ab😀", 3), "ab");
}

TEST(FileNameTest, ReplacesIllegalCharacters) {
  EXPECT_EQ(SanitizeFileName("局/科:1*?"), "局_科_1__");
  EXPECT_EQ(SanitizeFileName(".."), "_");
  EXPECT_EQ(SanitizeFileName(" .隐藏. "), "隐藏");
  EXPECT_LE(SanitizeFileName(std::string(300, 'x')).size(), 200u);
}

TEST(FormulaTest, GradeBands) {
  std::vector<Band> bands = {{90, "优秀"}, {60, "合格"}, {0, "不合格"}};
  EXPECT_EQ(BandFormula(bands, "$F$9"), "IF($F$9>=90,\"优秀\",IF($F$9>=60,\"合格\",\"不合格\"))");
  EXPECT_EQ(BandFormula({{60, "合格"}}, "T"), "IF(T>=60,\"合格\",\"\")");
  EXPECT_EQ(BandGrade(bands, 90), "优秀");
  EXPECT_EQ(BandGrade(bands, 59.5), "不合格");
  EXPECT_EQ(CellRef(0, 0), "A1");
  EXPECT_EQ(CellRef(9, 27, true), "$AB$10");
  EXPECT_EQ(QuoteSheet("a'b"), "'a''b'");
}

TEST(FactsTest, ReadsNumberPartyAndDatesFromTheDecision) {
  std::vector<Case> cases = Cases();
  CaseFacts f = ExtractFacts(cases[2]);
  EXPECT_EQ(f.number, kPenaltyNumber);
  EXPECT_EQ(f.party, "张三");
  EXPECT_EQ(f.filed, "2021-03-01");
  EXPECT_EQ(f.decided, "2021-04-20");
  EXPECT_EQ(f.name, "东市监处罚2021-12");  // no 案由 field: the file name
  EXPECT_EQ(f.type_label, "行政处罚（一般程序）");
  EXPECT_EQ(ExtractFacts(cases[1]).type_label, "");  // error case: type unknown
}

}  // namespace
}  // namespace pingcha::workbook
