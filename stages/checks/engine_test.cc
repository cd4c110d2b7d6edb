// Each check kind on constructed cases (no OCR): hit, pass, and unreadable
// evidence (manual).
#include "stages/checks/engine.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "stages/checks/loader.h"

namespace pingcha::checks {
namespace {

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* src = std::getenv("PINGCHA_SOURCE_DIR");
    std::string root = src ? src : ".";
    auto cat = LoadCatalogue(root + "/rubrics/doctypes.toml");
    ASSERT_TRUE(cat.ok()) << cat.status().ToString();
    catalogue_ = *cat;
    auto cal = LoadCalendar(root + "/rubrics/calendar.toml");
    ASSERT_TRUE(cal.ok()) << cal.status().ToString();
    calendar_ = *cal;
    c_.case_type = "penalty";
    c_.procedure = "ordinary";
    c_.agency = "鄂尔多斯市东胜区市场监督管理局";
    for (int i = 1; i <= 20; ++i) {
      Page p;
      p.number = i;
      c_.pages.push_back(p);
    }
  }

  Document& Add(const std::string& type, int first, int last, const std::string& date = "") {
    Document d;
    d.type = type;
    d.title = catalogue_.Find(type) ? catalogue_.Find(type)->title : type;
    d.first_page = first;
    d.last_page = last;
    if (!date.empty()) d.date = Field{date, last, {0.6, 0.8, 0.9, 0.82}, date};
    c_.documents.push_back(d);
    return c_.documents.back();
  }

  Outcome Run(CheckSpec spec, double points = 2) {
    Context ctx{rubric_, catalogue_, calendar_};
    return RunCheck(spec, points, c_, ctx);
  }

  static CheckSpec Spec(const std::string& kind) {
    CheckSpec s;
    s.kind = kind;
    return s;
  }

  Catalogue catalogue_;
  Calendar calendar_;
  Rubric rubric_;
  Case c_;
};

using K = Outcome::Kind;

TEST_F(EngineTest, DocumentRequired) {
  auto s = Spec("document_required");
  s.documents = {"investigation_report"};
  auto o = Run(s);
  ASSERT_EQ(o.kind, K::kHit);
  EXPECT_EQ(o.hits[0].reason, "案卷中未见《案件调查终结报告》");
  EXPECT_EQ(o.hits[0].deduct, 2);
  c_.pages[3].readable = false;
  EXPECT_EQ(Run(s).kind, K::kManual);
  Add("investigation_report", 5, 6);
  EXPECT_EQ(Run(s).kind, K::kPass);
}

TEST_F(EngineTest, SealRequired) {
  auto s = Spec("seal_required");
  s.documents = {"penalty_decision"};
  EXPECT_EQ(Run(s).kind, K::kNotApplicable);
  auto& d = Add("penalty_decision", 10, 11, "2021-04-20");
  auto o = Run(s);
  ASSERT_EQ(o.kind, K::kHit);
  EXPECT_EQ(o.hits[0].evidence[0].page, 11);
  c_.documents.back().seal_colour_known = false;
  EXPECT_EQ(Run(s).kind, K::kManual);
  c_.documents.back().seal_colour_known = true;
  c_.documents.back().seals.push_back(Seal{11, {0.6, 0.7, 0.8, 0.85}, "round", std::nullopt, std::nullopt, 0.9, ""});
  (void)d;
  EXPECT_EQ(Run(s).kind, K::kPass);
}

TEST_F(EngineTest, SealOwner) {
  auto s = Spec("seal_owner");
  s.documents = {"penalty_decision"};
  Add("penalty_decision", 10, 11);
  Seal seal{11, {0.6, 0.7, 0.8, 0.85}, "round", std::nullopt, std::nullopt, 0.9, ""};
  c_.documents.back().seals = {seal};
  EXPECT_EQ(Run(s).kind, K::kManual);  // ring text unread
  c_.documents.back().seals[0].owner = "鄂尔多斯市东胜区市场监督管理局法规科";
  c_.documents.back().seals[0].is_agency_seal = false;
  auto o = Run(s);
  ASSERT_EQ(o.kind, K::kHit);
  EXPECT_NE(o.hits[0].reason.find("法规科"), std::string::npos);
  EXPECT_EQ(o.hits[0].reason.find("未能识别"), std::string::npos);
  // A unit's name hidden under print: the reason says what □ stands for.
  c_.documents.back().seals[0].owner = "鄂尔多斯市东胜区市场监督管理局□□□";
  o = Run(s);
  ASSERT_EQ(o.kind, K::kHit);
  EXPECT_NE(o.hits[0].reason.find("□为被文字遮盖、未能识别的字"), std::string::npos) << o.hits[0].reason;
  c_.documents.back().seals[0].is_agency_seal = true;
  EXPECT_EQ(Run(s).kind, K::kPass);
}

TEST_F(EngineTest, PartySigned) {
  auto s = Spec("party_signed");
  s.documents = {"inquiry_record"};
  Add("inquiry_record", 3, 4).party_signed = false;
  EXPECT_EQ(Run(s).kind, K::kHit);
  c_.documents.back().party_signed = std::nullopt;
  EXPECT_EQ(Run(s).kind, K::kManual);
  c_.documents.back().party_signed = true;
  EXPECT_EQ(Run(s).kind, K::kPass);
}

TEST_F(EngineTest, OfficersCertified) {
  auto s = Spec("officers_certified");
  s.documents = {"inquiry_record"};
  Add("inquiry_record", 3, 4);
  c_.documents.back().officers.push_back({"张三", "15060123456", 3, {}, "张三（执法证号：15060123456）"});
  auto o = Run(s);
  ASSERT_EQ(o.kind, K::kHit);
  EXPECT_NE(o.hits[0].reason.find("1名，少于2名"), std::string::npos);
  c_.documents.back().readable = false;
  EXPECT_EQ(Run(s).kind, K::kManual);
  c_.documents.back().readable = true;
  c_.documents.back().officers.push_back({"李四", "15060123457", 3, {}, ""});
  EXPECT_EQ(Run(s).kind, K::kPass);
}

TEST_F(EngineTest, DateOrder) {
  auto s = Spec("date_order");
  s.before = "prior_notice";
  s.after = "penalty_decision";
  Add("prior_notice", 8, 8, "2021-04-25");
  Add("penalty_decision", 10, 11, "2021-04-20");
  auto o = Run(s);
  ASSERT_EQ(o.kind, K::kHit);
  EXPECT_NE(o.hits[0].reason.find("2021-04-25"), std::string::npos);
  c_.documents[0].date.reset();
  EXPECT_EQ(Run(s).kind, K::kManual);
  c_.documents[0].date = Field{"2021-04-10", 8, {}, ""};
  EXPECT_EQ(Run(s).kind, K::kPass);
  // The decision's date from the 卷内目录 when its own was not read.
  c_.documents[1].date.reset();
  c_.documents[1].fields["listed_date"] = Field{"2021-04-05", 2, {}, "行政处罚决定书 2021年4月5日"};
  o = Run(s);
  ASSERT_EQ(o.kind, K::kHit);
  EXPECT_NE(o.hits[0].reason.find("2021-04-05，卷内目录所载"), std::string::npos) << o.hits[0].reason;
}

CheckSpec LateService() {
  CheckSpec s;
  s.kind = "deadline";
  s.from = "penalty_decision";
  s.to = "service_receipt";
  s.to_field = "service_date";
  s.periods = {{"", 7, "natural", "旧法第四十条"}, {"2021-07-15", 7, "working", "新法第六十一条"}};
  return s;
}

TEST_F(EngineTest, DeadlineNaturalDaysBeforeTheSwitch) {
  Add("penalty_decision", 10, 11, "2021-04-20");
  auto& r = Add("service_receipt", 12, 12, "2021-05-06");
  r.fields["service_date"] = *r.date;
  auto o = Run(LateService());
  ASSERT_EQ(o.kind, K::kHit);
  EXPECT_NE(o.hits[0].reason.find("16日"), std::string::npos) << o.hits[0].reason;
  EXPECT_NE(o.hits[0].reason.find("旧法第四十条"), std::string::npos);
  c_.documents.back().fields["service_date"].value = "2021-04-27";
  EXPECT_EQ(Run(LateService()).kind, K::kPass);
}

TEST_F(EngineTest, DeadlineWorkingDaysAfterTheSwitchAcrossNationalDay) {
  Add("penalty_decision", 10, 11, "2021-09-29");
  auto& r = Add("service_receipt", 12, 12, "2021-10-14");
  r.fields["service_date"] = *r.date;
  EXPECT_EQ(Run(LateService()).kind, K::kPass);  // 7 working days end 10-14
  c_.documents.back().fields["service_date"].value = "2021-10-15";
  auto o = Run(LateService());
  ASSERT_EQ(o.kind, K::kHit);
  EXPECT_NE(o.hits[0].reason.find("个工作日"), std::string::npos);
  c_.documents.back().fields.erase("service_date");
  c_.documents.back().date.reset();
  EXPECT_EQ(Run(LateService()).kind, K::kManual);
}

// A decision whose 落款 date was not read is dated by the 卷内目录's row:
// the deduction quotes that row and says where the date came from.
TEST_F(EngineTest, DeadlineFromTheDateTheTableOfContentsLists) {
  Add("penalty_decision", 10, 11);
  auto& r = Add("service_receipt", 12, 12, "2021-07-20");
  r.fields["service_date"] = *r.date;
  EXPECT_EQ(Run(LateService()).kind, K::kManual);  // no date at all: unreadable evidence
  c_.documents[0].fields["listed_date"] = Field{"2021-07-12", 2, {0.1, 0.4, 0.9, 0.42}, "11 行政处罚决定书 2021年7月12日 11"};
  auto o = Run(LateService());
  ASSERT_EQ(o.kind, K::kHit);
  EXPECT_NE(o.hits[0].reason.find("2021-07-12，卷内目录所载"), std::string::npos) << o.hits[0].reason;
  ASSERT_EQ(o.hits[0].evidence.size(), 2u);
  EXPECT_EQ(o.hits[0].evidence[0].page, 2);  // the table's row
  // Served in time by the listed date: a pass.
  c_.documents[1].fields["service_date"].value = "2021-07-16";
  EXPECT_EQ(Run(LateService()).kind, K::kPass);
  // A date read on the document that the 卷内目录 contradicts (九月十九日
  // read for 九月二十九日 under the seal) is the reviewer's call: manual.
  c_.documents[0].date = Field{"2021-07-01", 11, {}, "二〇二一年七月一日"};
  o = Run(LateService());
  ASSERT_EQ(o.kind, K::kManual);
  EXPECT_NE(o.reason.find("与卷内目录所载日期（2021-07-12）不一致"), std::string::npos) << o.reason;
  // Where the two agree (or the table lists nothing), the document's own date is used.
  c_.documents[0].fields.erase("listed_date");
  o = Run(LateService());
  ASSERT_EQ(o.kind, K::kHit);
  EXPECT_EQ(o.hits[0].reason.find("卷内目录"), std::string::npos) << o.hits[0].reason;
}

TEST_F(EngineTest, AReceiptForTheNoticeDoesNotServeTheDecision) {
  // The notice's and the decision's 文号 differ in one character; each
  // receipt cites its own.
  Add("prior_notice", 8, 8, "2021-11-15").doc_number = Field{"东农告〔2021〕11号", 8, {}, ""};
  auto& r1 = Add("service_receipt", 9, 9, "2021-11-15");
  r1.fields["service_date"] = *r1.date;
  r1.fields["served_doc_number"] = Field{"东农告〔2021〕11号", 9, {}, ""};
  Add("penalty_decision", 12, 12, "2021-11-23").doc_number = Field{"东农罚〔2021〕11号", 12, {}, ""};
  auto& r2 = Add("service_receipt", 13, 13, "2021-12-08");
  r2.fields["service_date"] = *r2.date;
  r2.fields["served_doc_number"] = Field{"东农罚〔2021〕11号", 13, {}, ""};
  auto o = Run(LateService());
  ASSERT_EQ(o.kind, K::kHit);
  EXPECT_NE(o.hits[0].reason.find("2021-12-08"), std::string::npos) << o.hits[0].reason;
  // A slip in the decision's receipt still finds it (东农罚 read 东农研).
  c_.documents.back().fields["served_doc_number"].value = "东农研〔2021〕11号";
  EXPECT_EQ(Run(LateService()).kind, K::kHit);
}

TEST_F(EngineTest, DeadlineOnlyFromItsEffectiveDate) {
  auto s = Spec("deadline");
  s.from = "filing_approval";
  s.to = "penalty_decision";
  s.periods = {{"2021-07-15", 90, "natural", "新法第六十条"}};
  Add("filing_approval", 2, 2, "2021-03-01");
  Add("penalty_decision", 10, 11, "2021-09-01");
  EXPECT_EQ(Run(s).kind, K::kNotApplicable);
  c_.documents[0].date->value = "2021-07-20";
  c_.documents[1].date->value = "2021-10-19";  // day 91
  EXPECT_EQ(Run(s).kind, K::kHit);
}

TEST_F(EngineTest, TextRequired) {
  auto s = Spec("text_required");
  s.documents = {"penalty_decision"};
  s.patterns = {"申请行政复(议|义)", "提起行政诉讼"};
  Add("penalty_decision", 10, 11).text = "如不服本决定可在六十日内申请行政复议";
  auto o = Run(s);
  ASSERT_EQ(o.kind, K::kHit);
  EXPECT_NE(o.hits[0].reason.find("提起行政诉讼"), std::string::npos);
  c_.documents.back().readable = false;
  EXPECT_EQ(Run(s).kind, K::kManual);
  c_.documents.back().text += "也可在六个月内提起行政诉讼";
  EXPECT_EQ(Run(s).kind, K::kPass);
}

TEST_F(EngineTest, FieldConsistentToleratesOcrSlipsInPrefix) {
  auto s = Spec("field_consistent");
  s.from = "service_receipt";
  s.from_field = "served_doc_number";
  s.to_field = "doc_number";
  Add("penalty_decision", 10, 11).doc_number = Field{"东市监处罚〔2021〕12号", 10, {}, ""};
  Add("service_receipt", 12, 12).fields["served_doc_number"] = Field{"东市监处罚〔2021〕21号", 12, {}, ""};
  EXPECT_EQ(Run(s).kind, K::kHit);
  c_.documents.back().fields["served_doc_number"].value = "东市监处〔2021〕12号";
  EXPECT_EQ(Run(s).kind, K::kPass);
  c_.documents.back().fields.clear();
  EXPECT_EQ(Run(s).kind, K::kManual);
  // Misreading, not a wrong citation: a garbled prefix, a lost digit.
  c_.documents.back().fields["served_doc_number"] = Field{"全下你站作何刷丰〔2021〕12号", 12, {}, ""};
  EXPECT_EQ(Run(s).kind, K::kManual);
  c_.documents.back().fields["served_doc_number"].value = "东市监处罚〔2021〕1号";
  EXPECT_EQ(Run(s).kind, K::kManual);
  // A year one digit apart is a wrong citation too (〔2020〕 for 〔2021〕 is a
  // clerk's slip as often as a misreading): it stays a finding.
  c_.documents.back().fields["served_doc_number"].value = "东市监处罚〔2020〕12号";
  EXPECT_EQ(Run(s).kind, K::kHit);
  c_.documents.back().fields["served_doc_number"].value = "东市监处罚〔2021〕13号";  // another number
  EXPECT_EQ(Run(s).kind, K::kHit);
}

TEST_F(EngineTest, ValueMax) {
  auto s = Spec("value_max");
  s.documents = {"seizure_decision"};
  s.field = "seizure_days";
  s.max_value = 30;
  Add("seizure_decision", 4, 4).fields["seizure_days"] = Field{"45", 4, {}, "期限为四十五日"};
  EXPECT_EQ(Run(s).kind, K::kHit);
  c_.documents.back().fields.clear();
  EXPECT_EQ(Run(s).kind, K::kManual);
  c_.documents.back().fields["seizure_days"] = Field{"30", 4, {}, ""};
  EXPECT_EQ(Run(s).kind, K::kPass);
}

TEST_F(EngineTest, BindingOrder) {
  auto s = Spec("binding_order");
  s.order = {"filing_approval", "inquiry_record", "penalty_decision", "service_receipt"};
  Add("filing_approval", 1, 1);
  Add("penalty_decision", 2, 3);
  Add("inquiry_record", 4, 5);
  auto o = Run(s);
  ASSERT_EQ(o.kind, K::kHit);
  EXPECT_NE(o.hits[0].reason.find("《行政处罚决定书》"), std::string::npos);
  std::swap(c_.documents[1], c_.documents[2]);
  EXPECT_EQ(Run(s).kind, K::kPass);
  // A page that could not be read may be a document out of order: never pass.
  c_.pages[5].readable = false;
  EXPECT_EQ(Run(s).kind, K::kManual);
  c_.pages[5].readable = true;
  Add("unknown", 6, 6);
  EXPECT_EQ(Run(s).kind, K::kManual);
}

TEST_F(EngineTest, PageNumbering) {
  auto s = Spec("page_numbering");
  for (int i = 0; i < 20; ++i) c_.pages[static_cast<std::size_t>(i)].printed_number = std::to_string(i + 1);
  EXPECT_EQ(Run(s).kind, K::kPass);
  c_.pages[9].printed_number = "12";  // one misread page: not a gap
  EXPECT_EQ(Run(s).kind, K::kPass);
  for (int i = 9; i < 20; ++i) c_.pages[static_cast<std::size_t>(i)].printed_number = std::to_string(i + 2);
  auto o = Run(s);  // 1..9, 11..21: number 10 skipped
  ASSERT_EQ(o.kind, K::kHit);
  EXPECT_NE(o.hits[0].reason.find("第9页页码为9，第10页页码为11，页码漏号"), std::string::npos) << o.hits[0].reason;
  for (int i = 9; i < 20; ++i) c_.pages[static_cast<std::size_t>(i)].printed_number = std::to_string(i);
  o = Run(s);  // 1..9, 9..19: number 9 twice
  ASSERT_EQ(o.kind, K::kHit);
  EXPECT_NE(o.hits[0].reason.find("重号"), std::string::npos) << o.hits[0].reason;
  for (auto& p : c_.pages) p.printed_number.reset();
  EXPECT_EQ(Run(s).kind, K::kManual);
}

TEST_F(EngineTest, TocMatches) {
  auto s = Spec("toc_matches");
  Add("toc", 1, 1);
  EXPECT_EQ(Run(s).kind, K::kManual);  // rows unreadable
  c_.documents[0].toc_rows.push_back({"行政处罚决定书", "", "10-11", 1, {}});
  EXPECT_EQ(Run(s).kind, K::kHit);
  Add("penalty_decision", 10, 11);
  EXPECT_EQ(Run(s).kind, K::kPass);
  // A row for a type the catalogue does not hold: absent unless its title is
  // printed somewhere in the case.
  Document::TocRow own{"检测期间告知书", "", "12", 1, {}};
  own.catalogued = false;
  c_.documents[0].toc_rows.push_back(own);
  auto o = Run(s);
  ASSERT_EQ(o.kind, K::kHit);
  EXPECT_NE(o.hits[0].reason.find("检测期间告知书"), std::string::npos);
  Add("", 12, 12).text = "检测期间告知书鄂尔多斯市东胜区华润化工有限公司:";  // an untitled page
  EXPECT_EQ(Run(s).kind, K::kPass);
  c_.documents.back().text = "无关内容";
  EXPECT_EQ(Run(s).kind, K::kManual);  // an untitled page might be it
}

TEST_F(EngineTest, ItemsCapDeductionsAndCountVeto) {
  Rubric r;
  r.items.push_back({"P-A1", "A", "印章", 3, "", false, false, {}, {}, {}});
  CheckSpec seal = Spec("seal_required");
  seal.documents = {"penalty_decision", "prior_notice"};
  seal.deduct = 2;
  r.items.back().checks = {seal};
  r.items.push_back({"P-V12", "V", "告知", 0, "", true, false, {}, {}, {}});
  CheckSpec notice = Spec("document_required");
  notice.documents = {"prior_notice"};
  r.items.back().checks = {notice};
  r.items.push_back({"P-B3", "B", "证据", 4, "", false, true, {}, {}, {}});
  r.items.push_back({"P-X", "B", "简易", 1, "", false, true, {"simple"}, {}, {}});
  Add("penalty_decision", 10, 11);
  Add("penalty_decision", 12, 13);
  Context ctx{r, catalogue_, calendar_};
  auto f = RunChecks(c_, ctx);
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[0].status, "deduct");
  EXPECT_EQ(f[0].deducted, 3);  // two hits of 2, capped at 3
  EXPECT_EQ(f[1].status, "deduct");
  EXPECT_EQ(f[1].deducted, 0);
  EXPECT_EQ(f[2].status, "manual");
  EXPECT_EQ(f[3].status, "not_applicable");
}

}  // namespace
}  // namespace pingcha::checks

namespace pingcha::checks {
namespace {

// Unreadable evidence in a readable document: OCR lost part of it.
TEST_F(EngineTest, OfficerNumbersNamedButNotReadAreManual) {
  auto s = Spec("officers_certified");
  s.documents = {"inquiry_record"};
  auto& d = Add("inquiry_record", 3, 4);
  d.officers.push_back({"张三", "15060123456", 3, {}, ""});
  d.text = "询问人：张三执法证号：15060123456记录人：李四执法证号：1506O12三4S7";
  EXPECT_EQ(Run(s).kind, K::kManual);
  c_.documents.back().text = "询问人：张三执法证号：15060123456记录人：李四";
  EXPECT_EQ(Run(s).kind, K::kHit);
  // 出示执法证件 and 身份证号 are no certificate numbers.
  c_.documents.back().text = "检查人员:张三(执法证号:15060123456)、李四 出示了执法证件 身份证号:150602196403296666";
  EXPECT_EQ(Run(s).kind, K::kHit);
}

TEST_F(EngineTest, TextPartlyUnderASealIsManual) {
  auto s = Spec("text_required");
  s.documents = {"penalty_decision"};
  s.patterns = {"申请行政复议", "提起行政诉讼"};
  auto& d = Add("penalty_decision", 10, 11);
  d.text = "如不服可申请行政复议也可在六个月内提起行放许座";
  d.seals.push_back(Seal{11, {0.6, 0.7, 0.8, 0.85}, "round", std::nullopt, std::nullopt, 0.9, ""});
  EXPECT_EQ(Run(s).kind, K::kManual);
  c_.documents.back().text = "本决定书送达之日起生效";  // no clause at all
  EXPECT_EQ(Run(s).kind, K::kHit);
  // A grey scan: no seal could be seen, one may lie over the clause.
  c_.documents.back().seals.clear();
  c_.documents.back().text = "如不服可申请行政复议也可在六个月内提起行放许座";
  EXPECT_EQ(Run(s).kind, K::kHit);
  c_.documents.back().seal_colour_known = false;
  EXPECT_EQ(Run(s).kind, K::kManual);
}

}  // namespace
}  // namespace pingcha::checks
