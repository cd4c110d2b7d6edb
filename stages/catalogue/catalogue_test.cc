#include "stages/catalogue/catalogue.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "stages/catalogue/fields.h"

namespace pingcha::catalogue {
namespace {

Catalogue TestCatalogue() {
  Catalogue c;
  c.types.push_back({"penalty_decision", "行政处罚决定书", {}, {"penalty"}, true, false, false});
  c.types.push_back({"onsite_penalty_decision", "当场行政处罚决定书", {"简易程序处罚决定书"}, {"penalty"}, true, true, true});
  c.types.push_back({"service_receipt", "送达回证", {"送达回执"}, {}, true, true, false});
  c.types.push_back({"inquiry_record", "询问笔录", {"调查询问笔录"}, {"penalty"}, false, true, true});
  c.types.push_back({"decision_approval", "行政处罚决定审批表", {}, {"penalty"}, false, false, false});
  c.types.push_back({"toc", "卷内目录", {"目录"}, {}, false, false, false});
  c.types.push_back({"license_decision", "准予行政许可决定书", {"不予行政许可决定书"}, {"license"}, true, false, false});
  return c;
}

TextLine Line(const std::string& text, double x0, double y0, double x1, double y1, double conf = 0.9) {
  TextLine l;
  l.text = text;
  l.box = {x0, y0, x1, y1};
  l.confidence = conf;
  return l;
}

Page TitlePage(int number, const std::string& title, std::vector<TextLine> body = {}) {
  Page p;
  p.number = number;
  p.lines.push_back(Line("鄂尔多斯市东胜区市场监督管理局", 0.25, 0.05, 0.75, 0.08));
  p.lines.push_back(Line(title, 0.3, 0.10, 0.7, 0.15));
  for (int i = 0; i < 12; ++i) p.lines.push_back(Line("正文内容第" + std::to_string(i) + "行", 0.1, 0.3 + i * 0.04, 0.9, 0.325 + i * 0.04));
  for (auto& l : body) p.lines.push_back(l);
  // Reading order, as OCR gives it.
  std::stable_sort(p.lines.begin(), p.lines.end(), [](const TextLine& a, const TextLine& b) { return a.box.y0 < b.box.y0; });
  return p;
}

TEST(CatalogueTest, FindsTitleDespiteSpacingAndOneMisreadChar) {
  auto c = TestCatalogue();
  auto t = FindTitle(TitlePage(1, "行 政 处 罚 决 定 书"), c);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->type, "penalty_decision");
  t = FindTitle(TitlePage(1, "行政处罚決定书"), c);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->type, "penalty_decision");
}

TEST(CatalogueTest, LongerExactTitleWins) {
  auto t = FindTitle(TitlePage(1, "当场行政处罚决定书"), TestCatalogue());
  ASSERT_TRUE(t);
  EXPECT_EQ(t->type, "onsite_penalty_decision");
  t = FindTitle(TitlePage(1, "行政处罚决定审批表"), TestCatalogue());
  ASSERT_TRUE(t);
  EXPECT_EQ(t->type, "decision_approval");
}

// A letter-spaced title (案 件 处 理 审 批 表) read as pieces of one row, out
// of order: joined left to right it is the decision's approval form, not
// the closing report its last piece (审批表, as in 结案审批表) suggests.
TEST(CatalogueTest, ATitleReadInPiecesIsJoined) {
  auto c = TestCatalogue();
  c.types[4].variants.push_back("案件处理审批表");
  c.types.push_back({"closing_report", "结案报告", {"结案审批表"}, {}, false, false, false});
  Page p;
  p.number = 14;
  p.lines = {Line("鄂尔多斯市东胜区城市管理综合执法局", 0.25, 0.09, 0.75, 0.11), Line("审批表", 0.50, 0.13, 0.66, 0.16),
             Line("案件处", 0.32, 0.13, 0.47, 0.16), Line("二", 0.48, 0.135, 0.49, 0.155),
             Line("案由鄂尔多斯市东胜区博众食品有限责任公司随意倾倒建筑垃圾案", 0.1, 0.2, 0.9, 0.22),
             Line("当事人鄂尔多斯市东胜区博众食品有限责任公司", 0.1, 0.24, 0.9, 0.26)};
  auto t = FindTitle(p, c);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->type, "decision_approval") << t->title;
  EXPECT_EQ(t->title, "案件处二审批表");
  // Lines of different rows are not joined.
  p.lines[2].box = {0.32, 0.30, 0.47, 0.33};
  t = FindTitle(p, c);
  EXPECT_TRUE(!t || t->type != "decision_approval");
  // A title re-read beside its garbled first reading is the title, not the
  // two joined.
  Page reread;
  reread.lines = {Line("鄂尔多斯市东胜区城市管理综合执法局", 0.25, 0.09, 0.75, 0.11), Line("全掉扣者二批夫", 0.35, 0.13, 0.65, 0.16),
                  Line("案由鄂尔多斯市东胜区博众食品有限责任公司随意倾倒建筑垃圾案", 0.1, 0.2, 0.9, 0.22),
                  Line("行政处罚决定审批表", 0.33, 0.13, 0.67, 0.16)};
  t = FindTitle(reread, c);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->line, 3);
  EXPECT_EQ(t->title, "行政处罚决定审批表");
}

TEST(CatalogueTest, TocRowOnASecondTocPageIsNotATitle) {
  auto c = TestCatalogue();
  c.types.push_back({"payment_receipt", "银行缴款凭证", {}, {}, false, false, false});
  Page p;
  p.number = 3;
  p.lines.push_back(Line("13银行缴款凭证2021年8月30日", 0.12, 0.06, 0.9, 0.08));
  p.lines.push_back(Line("14卷内备考表21", 0.12, 0.10, 0.9, 0.12));
  EXPECT_FALSE(FindTitle(p, c).has_value());
}

// The same row read as two lines, the name alone (seed 127, 东环行罚2021-1
// page 3): the date beside it makes it a table's row, not a title.
TEST(CatalogueTest, TocRowReadAsTwoLinesOnASecondTocPageIsNotATitle) {
  auto c = TestCatalogue();
  c.types.push_back({"closing_report", "结案报告", {}, {}, false, false, false});
  Page p;
  p.number = 3;
  p.lines.push_back(Line("结案报告", 0.30, 0.06, 0.42, 0.08));
  p.lines.push_back(Line("2021年10月15", 0.62, 0.06, 0.78, 0.08));
  EXPECT_FALSE(FindTitle(p, c).has_value());
  p.lines.pop_back();  // alone on its row, it may be a title
  EXPECT_TRUE(FindTitle(p, c).has_value());
}

// A 卷内目录 read column by column: its title lost, each document's name on
// a line of its own, one of them alone and centred like a title.
TEST(CatalogueTest, ATocReadByColumnsIsATocNotTheDocumentItNames) {
  auto c = TestCatalogue();
  c.types.push_back({"inspection_notice", "检查通知书", {}, {}, true, false, false});
  c.types.push_back({"inspection_record", "现场检查笔录", {}, {}, false, true, true});
  c.types.push_back({"rectification_review", "整改复查意见书", {}, {}, true, false, false});
  Page p;
  p.number = 2;
  p.lines.push_back(Line("日期", 0.70, 0.157, 0.76, 0.17));
  p.lines.push_back(Line("检查通知书2021.10.8", 0.40, 0.189, 0.62, 0.20));
  p.lines.push_back(Line("东环检查〔2021〕5", 0.20, 0.189, 0.38, 0.20));
  p.lines.push_back(Line("现场检查笔录2021.10.13", 0.40, 0.219, 0.64, 0.23));
  p.lines.push_back(Line("送达回证2021.10.13", 0.40, 0.279, 0.60, 0.29));
  p.lines.push_back(Line("整改复查意见书", 0.41, 0.300, 0.58, 0.31));
  auto t = FindTitle(p, c);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->type, "toc");
  // Two documents listed are not enough; nor is a list under a large title.
  Page two = p;
  two.lines.erase(two.lines.begin() + 4);
  t = FindTitle(two, c);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->type, "rectification_review");
  Page served = TitlePage(5, "送达回证", {Line("检查通知书2021.10.8", 0.40, 0.5, 0.62, 0.51),
                                          Line("现场检查笔录2021.10.13", 0.40, 0.55, 0.64, 0.56),
                                          Line("整改复查意见书2021.10.29", 0.40, 0.6, 0.64, 0.61)});
  served.lines[1].box = {0.35, 0.10, 0.65, 0.17};  // the title, large
  t = FindTitle(served, c);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->type, "service_receipt");
}

TEST(CatalogueTest, BodyMentionIsNotATitle) {
  Page p;
  p.number = 1;
  for (int i = 0; i < 12; ++i)
    p.lines.push_back(Line("送达文书名称：行政处罚决定书东市监处罚〔2021〕12号", 0.1, 0.1 + i * 0.03, 0.9, 0.12 + i * 0.03));
  EXPECT_FALSE(FindTitle(p, TestCatalogue()));
}

TEST(CatalogueTest, SplitsPagesIntoDocumentsAndSkipsBlanks) {
  auto c = TestCatalogue();
  std::vector<Page> pages;
  pages.push_back(TitlePage(1, "询问笔录"));
  Page p2;
  p2.number = 2;
  p2.lines.push_back(Line("第2页 共2页", 0.4, 0.95, 0.6, 0.97));
  pages.push_back(p2);
  Page blank;
  blank.number = 3;
  blank.blank = true;
  pages.push_back(blank);
  pages.push_back(TitlePage(4, "行政处罚决定书",
                            {Line("东市监处罚〔2021〕12号", 0.35, 0.17, 0.65, 0.2),
                             Line("如不服本处罚决定，可以在收到本决定书之日起六十日内申请行政复议，", 0.1, 0.8, 0.9, 0.82),
                             Line("也可以在六个月内依法向人民法院提起行政诉讼。", 0.1, 0.82, 0.9, 0.84),
                             Line("二〇二一年四月二十日", 0.6, 0.9, 0.9, 0.92)}));
  pages.push_back(TitlePage(5, "送达回证", {Line("送达文书名称及文号：行政处罚决定书东市监处罚[2021]12号", 0.1, 0.4, 0.9, 0.42),
                                            Line("送达日期：2021年4月26日", 0.1, 0.6, 0.9, 0.62)}));
  auto docs = BuildDocuments(pages, c);
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_EQ(docs[0].type, "inquiry_record");
  EXPECT_EQ(docs[0].first_page, 1);
  EXPECT_EQ(docs[0].last_page, 2);
  EXPECT_EQ(docs[1].type, "penalty_decision");
  ASSERT_TRUE(docs[1].doc_number);
  EXPECT_EQ(docs[1].doc_number->value, "东市监处罚〔2021〕12号");
  ASSERT_TRUE(docs[1].date);
  EXPECT_EQ(docs[1].date->value, "2021-04-20");
  EXPECT_EQ(docs[1].date->page, 4);
  ASSERT_TRUE(docs[1].fields.count("remedy_clause"));
  EXPECT_EQ(docs[2].type, "service_receipt");
  EXPECT_EQ(docs[2].fields.at("served_doc_number").value, "东市监处罚〔2021〕12号");
  EXPECT_EQ(docs[2].fields.at("service_date").value, "2021-04-26");
  EXPECT_FALSE(docs[2].doc_number);
  EXPECT_EQ(DetectCaseType(docs, c), "penalty");
  EXPECT_EQ(DetectProcedure(docs), "ordinary");
  // The cited number wrapped onto the next line of its table cell.
  pages.back() = TitlePage(5, "送达回证", {Line("送达文书名称及文号：行政处罚决定书(东市监处罚〔2021", 0.1, 0.39, 0.9, 0.40),
                                           Line("]第013号)", 0.1, 0.405, 0.3, 0.415)});
  docs = BuildDocuments(pages, c);
  ASSERT_TRUE(docs[2].fields.count("served_doc_number"));
  EXPECT_EQ(docs[2].fields.at("served_doc_number").value, "东市监处罚〔2021〕第013号");
  // …with its bracket read as a parenthesis (seed 113's 送达回证).
  pages.back() = TitlePage(5, "送达回证", {Line("送达文书名称及文号，实施行政强制措施决定书、查封清单(东市监处罚(2021", 0.1, 0.39, 0.9, 0.40),
                                           Line("]9号)", 0.1, 0.405, 0.3, 0.415)});
  docs = BuildDocuments(pages, c);
  ASSERT_TRUE(docs[2].fields.count("served_doc_number"));
  EXPECT_EQ(docs[2].fields.at("served_doc_number").value, "东市监处罚〔2021〕9号");
}

TEST(CatalogueTest, DateUnderASealTakesTheCaseYear) {
  auto c = TestCatalogue();
  std::vector<Page> pages;
  pages.push_back(TitlePage(1, "行政处罚决定审批表", {Line("2021年9月28日", 0.6, 0.9, 0.9, 0.92)}));
  // 落款 year misread under the seal (2024 for 2021).
  pages.push_back(TitlePage(2, "行政处罚决定书", {Line("执法人员于2021年8月31日现场检查", 0.1, 0.6, 0.9, 0.62),
                                                 Line("2024年9月29日", 0.6, 0.9, 0.9, 0.92)}));
  // 落款 year unreadable: the body date must not be taken instead.
  pages.push_back(TitlePage(3, "准予行政许可决定书", {Line("当事人于2021年8月17日起", 0.1, 0.6, 0.9, 0.62),
                                                    Line("20红年9月22日", 0.6, 0.9, 0.9, 0.92)}));
  pages.push_back(TitlePage(4, "送达回证", {Line("送达日期：2021年10月9日", 0.1, 0.6, 0.9, 0.62)}));
  auto docs = BuildDocuments(pages, c);
  ASSERT_EQ(docs.size(), 4u);
  ASSERT_TRUE(docs[1].date);
  EXPECT_EQ(docs[1].date->value, "2021-09-29");
  ASSERT_TRUE(docs[2].date);
  EXPECT_EQ(docs[2].date->value, "2021-09-22");
}

TEST(CatalogueTest, PrintedPageNumberInCorner) {
  Page p = TitlePage(3, "询问笔录");
  p.lines.push_back(Line("- 7 -", 0.85, 0.95, 0.92, 0.97));
  EXPECT_EQ(PrintedPageNumber(p).value().text, "7");
  Page q = TitlePage(3, "询问笔录");
  EXPECT_FALSE(PrintedPageNumber(q));
}

TEST(CatalogueTest, OfficersWithCertificates) {
  auto o = ParseOfficers("执法人员：张三（执法证号：15060123456）、李四（执法证号：15060123457）");
  ASSERT_EQ(o.size(), 2u);
  EXPECT_EQ(o[0].certificate.value(), "15060123456");
  EXPECT_EQ(o[1].name, "李四");
  // The second label misread; the number is still a certificate on an officers' line.
  o = ParseOfficers("核查人员:史斌(执法证号:150602199324)`“于震磊供法下子:150602198537)");
  ASSERT_EQ(o.size(), 2u);
  EXPECT_EQ(o[1].certificate.value(), "150602198537");
  // Not on a party's line: an ID number is no certificate.
  EXPECT_TRUE(ParseOfficers("被询问人:夏瑞性别:男身份证号:150602197606050214").empty());
}

TEST(CatalogueTest, SeizureDays) {
  EXPECT_EQ(ParseSeizureDays("查封（扣押）期限为30日"), 30);
  EXPECT_EQ(ParseSeizureDays("期限为四十五日"), 45);
  EXPECT_EQ(ParseSeizureDays("没有期限说明"), 0);
}

TEST(CatalogueTest, PinyinOrder) {
  auto sorted = SortPinyin({"准格尔旗农牧局", "东胜区市场监督管理局", "鄂托克旗应急管理局", "安全局"});
  EXPECT_EQ(sorted[0], "安全局");
  EXPECT_EQ(sorted[1], "东胜区市场监督管理局");
  EXPECT_EQ(sorted[2], "鄂托克旗应急管理局");
  EXPECT_EQ(sorted[3], "准格尔旗农牧局");
}

}  // namespace
}  // namespace pingcha::catalogue

namespace pingcha::catalogue {
namespace {

TEST(OwnerTest, FullAndShortNamesMatch) {
  auto v = JudgeOwner("鄂尔多斯市东胜区市场监督管理局", "东胜区市场监督管理局");
  EXPECT_EQ(v.is_agency, std::optional<bool>(true));
  v = JudgeOwner("鄂尔多斯市东胜区市场监督管理局行政处罚专用章", "鄂尔多斯市东胜区市场监督管理局");
  EXPECT_EQ(v.is_agency, std::optional<bool>(true));
  v = JudgeOwner("鄂尔多斯市东胜区市场监督管理局", "鄂尔多斯市东胜区市场监督管理局");
  EXPECT_EQ(v.is_agency, std::optional<bool>(true));
}

TEST(OwnerTest, OtherBodyAndInternalUnit) {
  auto v = JudgeOwner("鄂尔多斯市东胜区生态环境局", "鄂尔多斯市东胜区市场监督管理局");
  EXPECT_EQ(v.is_agency, std::optional<bool>(false));
  v = JudgeOwner("鄂尔多斯市东胜区市场监督管理局法规科", "鄂尔多斯市东胜区市场监督管理局");
  EXPECT_EQ(v.is_agency, std::optional<bool>(false));
  EXPECT_TRUE(v.internal_unit);
}

TEST(OwnerTest, NoisyRingReadingOfTheAgency) {
  // OCR of ring text loses characters; the place and the body still show.
  auto v = JudgeOwner("如尔多斯方冰胜区市场监督秆泽局", "东胜区市场监督管理局");
  EXPECT_EQ(v.is_agency, std::optional<bool>(true));
  v = JudgeOwner("如尔多斯方冰胜区市场监督秆泽局", "鄂尔多斯市东胜区市场监督管理局");
  EXPECT_EQ(v.is_agency, std::optional<bool>(true));
}

TEST(OwnerTest, AnotherDistrictsBureauIsNotTheAgency) {
  const std::string text = "当事人：鄂尔多斯市康巴什区某商店";
  auto v = JudgeOwner("鄂尔多斯市康巴什区市场监督管理局", "鄂尔多斯市东胜区市场监督管理局", text);
  EXPECT_EQ(v.is_agency, std::optional<bool>(false));
  // A place printed nowhere in the case is a misreading until shown otherwise.
  EXPECT_FALSE(JudgeOwner("鄂尔多斯市康巴什区市场监督管理局", "鄂尔多斯市东胜区市场监督管理局").is_agency.has_value());
  EXPECT_FALSE(JudgeOwner("全外多斯市泵路区农牧局", "东胜区农牧局", text).is_agency.has_value());
  v = JudgeOwner("鄂尔多斯市东胜区城市管理综合执法局执法大队", "东胜区城市管理综合执法局");
  EXPECT_EQ(v.is_agency, std::optional<bool>(false));
  EXPECT_TRUE(v.internal_unit);
}

TEST(OwnerTest, GarbledRingIsUnknownNotWrong) {
  // A misreading must never become a wrong-owner finding.
  EXPECT_FALSE(JudgeOwner("旨欠多斯方未将区市轧监盘币埋局", "东胜区市场监督管理局").is_agency.has_value());
  EXPECT_FALSE(JudgeOwner("本和尔己须市东攻性机各琶双管基局", "东胜区市场监督管理局").is_agency.has_value());
  EXPECT_FALSE(JudgeOwner("田二匠击东生区由场玫知人袖殊局流提和", "东胜区市场监督管理局").is_agency.has_value());
  // The body reads well but the place is garbled: unknown, not another district.
  EXPECT_FALSE(JudgeOwner("鄂尔多斯市攻心民生态环境局", "东胜区生态环境局").is_agency.has_value());
}

TEST(OwnerTest, AnotherBodysOfficeWithItsLastCharacterMisread) {
  EXPECT_EQ(JudgeOwner("辑尔多斯市东胜区人人民政府办公守", "准格尔旗市场监督管理局").is_agency, std::optional<bool>(false));
}

TEST(OwnerTest, UnreadableRingIsUnknown) {
  EXPECT_FALSE(JudgeOwner("a1", "东胜区市场监督管理局").is_agency.has_value());
}

}  // namespace
}  // namespace pingcha::catalogue

namespace pingcha::catalogue {
namespace {

TEST(ContentTest, CoverWithUnreadableTitleIsKnownByItsLabels) {
  Catalogue c;
  DocType cover{"cover", "案卷封面", {"行政处罚案卷"}, {}, false, false, false};
  cover.keywords = {"案由", "办案起止", "保管期限", "归档号"};
  cover.min_keywords = 3;
  c.types.push_back(cover);
  c.types.push_back({"toc", "卷内目录", {}, {}, false, false, false});
  Page p;
  p.number = 1;
  for (const char* t : {"本", "遂", "案由:某某销售过期食品案", "办案起止日期:2021.5.24至2021.6.24", "保管期限:长期",
                        "归档号:20210017"}) {
    TextLine l;
    l.text = t;
    l.box = {0.2, 0.1 + 0.05 * static_cast<double>(p.lines.size()), 0.8, 0.13 + 0.05 * static_cast<double>(p.lines.size())};
    p.lines.push_back(l);
  }
  EXPECT_EQ(TypeFromContent(p, c).value_or(""), "cover");
  auto docs = BuildDocuments({p}, c);
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].type, "cover");
  p.lines.resize(3);
  EXPECT_FALSE(TypeFromContent(p, c).has_value());
}

TEST(ContentTest, TitleMissingItsFirstCharacters) {
  DocType backup{"backup_note", "卷内备考表", {}, {}, false, false, false};
  EXPECT_GE(TitleScore("备考表", backup), 0.8);
  EXPECT_LT(TitleScore("表", backup), 0.8);
}

}  // namespace
}  // namespace pingcha::catalogue

namespace pingcha::catalogue {
namespace {

// Regression: the suffix rule compared past the start of a title whose
// normalised form has fewer bytes than the line (ASCII brackets after NFKC).
TEST(ContentTest, SuffixRuleOnShortByteTitles) {
  DocType cert{"license_certificate", "许可证（副本）", {}, {}, true, false, false};
  EXPECT_NO_THROW(TitleScore("食品经营许可", cert));
  EXPECT_NO_THROW(TitleScore("证副本证副", cert));
}

}  // namespace
}  // namespace pingcha::catalogue

namespace pingcha::catalogue {
namespace {

// A page of full-width lines at the given heights.
Page LinesPage(int number, const std::vector<std::pair<const char*, double>>& lines) {
  Page p;
  p.number = number;
  for (const auto& [text, y] : lines) {
    TextLine l;
    l.text = text;
    l.box = {0.1, y, 0.9, y + 0.02};
    p.lines.push_back(l);
  }
  return p;
}

// 立 misread (Y案审批表) or lost (案审批表): the title is as like 立案审批表 as
// 结案审批表; the page's labels decide.
TEST(CatalogueTest, ATitleAsLikeTwoTypesIsDecidedByThePagesLabels) {
  Catalogue c = TestCatalogue();
  c.types.push_back({"closing_report", "结案报告", {"结案审批表"}, {}, false, false, false});
  c.types.back().keywords = {"结案", "结案理由", "执行情况", "履行情况", "处理结果", "结案日期"};
  c.types.back().min_keywords = 3;
  c.types.push_back({"filing_approval", "立案审批表", {}, {"penalty"}, false, false, false});
  c.types.back().keywords = {"简要案情", "承办人意见", "立案", "审核意见", "涉嫌违反"};
  c.types.back().min_keywords = 3;
  for (const char* title : {"Y案审批表", "案审批表"}) {
    Page filing = TitlePage(3, title, {Line("简要案情 经查，当事人涉嫌违反《安全生产法》", 0.1, 0.5, 0.9, 0.52),
                                       Line("承办人意见 建议立案调查。", 0.1, 0.6, 0.9, 0.62)});
    auto t = FindTitle(filing, c);
    ASSERT_TRUE(t) << title;
    EXPECT_EQ(t->type, "filing_approval") << title;
    Page closing = TitlePage(19, title, {Line("结案理由 当事人已履行处罚决定", 0.1, 0.5, 0.9, 0.52),
                                         Line("执行情况 罚款已缴纳", 0.1, 0.6, 0.9, 0.62)});
    t = FindTitle(closing, c);
    ASSERT_TRUE(t) << title;
    EXPECT_EQ(t->type, "closing_report") << title;
  }
}

// A page whose title OCR lost is known by its form's labels.
TEST(CatalogueTest, AFormWithoutItsTitleIsKnownByItsLabels) {
  Catalogue c = TestCatalogue();
  c.types.push_back({"case_source", "案件来源登记表", {"案源登记表"}, {"penalty"}, false, false, false});
  c.types.back().keywords = {"案件来源", "简要情况", "登记人意见", "登记人", "登记时间", "举报人", "线索来源"};
  c.types.back().min_keywords = 3;
  Page p = LinesPage(3, {{"鄂尔多斯市康巴什区应急管理局", 0.08}, {"案件来源日常检查", 0.2}, {"当事人鄂尔多斯市康巴什区嘉禾超市", 0.24},
                         {"简要情况经查，当事人于2021年10月5日起未对安全设备进行经常性维", 0.3}, {"登记人意见建议核查。", 0.4},
                         {"2021年11月8日", 0.45}, {"负责人意见同意。", 0.5}});
  auto docs = BuildDocuments({TitlePage(1, "卷内目录"), p, TitlePage(4, "行政处罚决定书")}, c);
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_EQ(docs[1].type, "case_source");
  EXPECT_EQ(docs[1].first_page, 3);
}

TEST(CatalogueTest, ATableOfContentsRunsOntoItsSecondPage) {
  auto c = TestCatalogue();
  c.types.push_back({"payment_receipt", "银行缴款凭证", {}, {"penalty"}, false, false, false});
  // Page 2's rows, split by OCR: one of them alone on its line reads like a title.
  Page rows = LinesPage(2, {{"13", 0.08}, {"银行缴款凭证", 0.1}, {"2021年8月23|13", 0.12},
                            {"14结案审批表2021年8月30日|14", 0.16}, {"15备考表2021年9月3日15", 0.2}});
  auto docs = BuildDocuments({TitlePage(1, "卷内目录"), rows, TitlePage(3, "行政处罚决定书")}, c);
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0].type, "toc");
  EXPECT_EQ(docs[0].last_page, 2);
  EXPECT_EQ(docs[1].type, "penalty_decision");
  EXPECT_TRUE(std::any_of(docs[0].toc_rows.begin(), docs[0].toc_rows.end(),
                          [](const Document::TocRow& r) { return r.catalogued && r.title == "银行缴款凭证"; }));
  // A row for a type the catalogue does not hold keeps its own words; a
  // misread catalogued title (行政处罚夬定书) is not such a row.
  Page own = LinesPage(1, {{"卷内目录", 0.1}, {"1检测期间告知书2021年8月3日5", 0.3}, {"2行政处罚夬定书2021年8月9日6", 0.35}});
  docs = BuildDocuments({own}, c);
  ASSERT_EQ(docs.size(), 1u);
  ASSERT_EQ(docs[0].toc_rows.size(), 1u);
  EXPECT_FALSE(docs[0].toc_rows[0].catalogued);
  EXPECT_EQ(docs[0].toc_rows[0].title, "检测期间告知书");
  // Every cell on a line of its own: row number, title, date, page.
  rows = LinesPage(2, {{"15", 0.08}, {"结案报告", 0.1}, {"2021年4月14", 0.12}, {"日", 0.13}, {"14", 0.14}});
  docs = BuildDocuments({TitlePage(1, "卷内目录"), rows, TitlePage(3, "行政处罚决定书")}, c);
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0].last_page, 2);
}

// A 落款 date misread under a seal leaves the date unknown: the last date of
// the body (here the notice's date) must not stand in for it.
TEST(DatesTest, IllegibleSignatureDateIsUnknownNotTheBodysLastDate) {
  Catalogue c;
  c.types.push_back({"penalty_decision", "行政处罚决定书", {}, {"penalty"}, true, false, false});
  Page p = LinesPage(1, {
      {"行政处罚决定书", 0.1},
      {"本局于2021年5月17日向当事人送达了行政处罚告知书。", 0.4},
      {"伊金霍洛旗生态环境局", 0.85},
      {"二〇二一年五月三十六晶", 0.88},
  });
  auto docs = BuildDocuments({p}, c);
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_FALSE(docs[0].date.has_value()) << docs[0].date->value;
}

TEST(DatesTest, PaymentReceiptIsDatedByItsPaymentDate) {
  Catalogue c;
  c.types.push_back({"payment_receipt", "非税收入一般缴款书", {}, {"penalty"}, false, false, false});
  Page p = LinesPage(1, {
      {"非税收入一般缴款书", 0.1},
      {"缴款日期2021年5月19日", 0.5},
      {"收款银行(盖章)", 0.8},
      {"2021年5月20日", 0.85},  // the bank's stamp, a day later
  });
  auto docs = BuildDocuments({p}, c);
  ASSERT_EQ(docs.size(), 1u);
  ASSERT_TRUE(docs[0].date.has_value());
  EXPECT_EQ(docs[0].date->value, "2021-05-19");
}

TEST(DatesTest, ALettersLastDateInsideASentenceIsNotItsDate) {
  Catalogue c;
  c.types.push_back({"seizure_decision", "查封扣押决定书", {}, {"coercion"}, true, false, false});
  Page p = LinesPage(1, {
      {"查封扣押决定书", 0.1},
      {"查封期限为30日，自2021年7月2日起至2021年7月31日止。", 0.5},
      {"行政诉讼。", 0.6},  // the 落款 under the seal was not read
  });
  auto docs = BuildDocuments({p}, c);
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_FALSE(docs[0].date.has_value()) << docs[0].date->value;
}

// A row's date with a dot read as a colon (seed 101's 卷内目录:
// 准予行政许可决定书2021.10:28): still the row's date — a 10:28 without a
// year is none.
TEST(DatesTest, ATableRowsDateWithADotReadAsAColonIsRead) {
  auto c = TestCatalogue();
  auto docs = BuildDocuments({LinesPage(1, {{"卷内目录", 0.1},
                                            {"1调查询问笔录2021.6:21 1", 0.3},
                                            {"2行政处罚决定审批表10:28 2", 0.35},
                                            {"3行政处罚决定书2021.7.12 3", 0.4}})},
                             c);
  ASSERT_FALSE(docs.empty());
  ASSERT_EQ(docs[0].toc_rows.size(), 3u);
  ASSERT_TRUE(docs[0].toc_rows[0].date.has_value());
  EXPECT_EQ(docs[0].toc_rows[0].date->value, "2021-06-21");
  EXPECT_FALSE(docs[0].toc_rows[1].date.has_value());
}

// A decision whose 落款 date is unreadable takes the date its row in the
// 卷内目录 lists — when the table agrees with the dates read elsewhere.
TEST(DatesTest, AnUnreadDateIsTakenFromTheTableOfContents) {
  auto c = TestCatalogue();
  auto toc = [](const char* decision_row) {
    return LinesPage(1, {{"卷内目录", 0.1},
                         {"1调查询问笔录2021年6月21日1", 0.3},
                         {"2行政处罚决定审批表2021年7月12日2", 0.35},
                         {decision_row, 0.4},
                         {"4送达回证20210720 4", 0.45},
                         {"5准予行政许可决定书2021.9.29 12", 0.5}});
  };
  auto pages = [&](const char* decision_row) {
    return std::vector<Page>{
        toc(decision_row),
        LinesPage(2, {{"询问笔录", 0.1}, {"询问时间：2021年6月21日9时", 0.3}}),
        LinesPage(3, {{"行政处罚决定审批表", 0.1}, {"2021年7月12日", 0.8}}),
        LinesPage(4, {{"行政处罚决定书", 0.1}, {"鄂尔多斯市东胜区农牧局", 0.85}, {"二9二一年上月二二", 0.88}}),
        LinesPage(5, {{"送达回证", 0.1}, {"送达日期2021年7月20日", 0.5}})};
  };
  auto docs = BuildDocuments(pages("3东农处罚〔2021〕12号行政处罚决定书2021年7月12日3"), c);
  ASSERT_EQ(docs.size(), 5u);
  ASSERT_EQ(docs[0].toc_rows.size(), 5u);
  ASSERT_TRUE(docs[0].toc_rows[3].date.has_value());
  EXPECT_EQ(docs[0].toc_rows[3].date->value, "2021-07-20");  // an archivist's 20210720
  ASSERT_TRUE(docs[0].toc_rows[4].date.has_value());
  EXPECT_EQ(docs[0].toc_rows[4].date->value, "2021-09-29");  // the page column is not the day's
  const Document& decision = docs[3];
  ASSERT_EQ(decision.type, "penalty_decision");
  EXPECT_FALSE(decision.date.has_value());  // the report's own date stays null
  ASSERT_EQ(decision.fields.count("listed_date"), 1u);
  EXPECT_EQ(decision.fields.at("listed_date").value, "2021-07-12");
  EXPECT_EQ(decision.fields.at("listed_date").page, 1);  // evidence: the table's row
  // A date read on the document is never replaced; where it agrees with
  // the table nothing is added.
  EXPECT_EQ(docs[2].fields.count("listed_date"), 0u);
  // Where it differs, the table's date is kept beside it.
  auto differing = pages("3东农处罚〔2021〕12号行政处罚决定书2021年7月12日3");
  differing[3].lines.back().text = "二〇二一年七月二日";
  docs = BuildDocuments(differing, c);
  ASSERT_EQ(docs.size(), 5u);
  ASSERT_TRUE(docs[3].date.has_value());
  EXPECT_EQ(docs[3].date->value, "2021-07-02");
  ASSERT_EQ(docs[3].fields.count("listed_date"), 1u);
  EXPECT_EQ(docs[3].fields.at("listed_date").value, "2021-07-12");
  // A short table is judged on its other rows: two that agree are enough,
  // the one a misread 落款 contradicts does not count against it.
  differing[0].lines.pop_back();  // no 准予行政许可决定书 row
  differing[0].lines.pop_back();  // no 送达回证 row
  docs = BuildDocuments(differing, c);
  ASSERT_EQ(docs.size(), 5u);
  ASSERT_EQ(docs[3].fields.count("listed_date"), 1u);
  EXPECT_EQ(docs[3].fields.at("listed_date").value, "2021-07-12");

  // A table that disagrees with the documents' own dates is not trusted.
  auto wrong = pages("3东农处罚〔2021〕12号行政处罚决定书2021年7月12日3");
  wrong[0] = LinesPage(1, {{"卷内目录", 0.1},
                           {"1调查询问笔录2021年5月21日1", 0.3},
                           {"2行政处罚决定审批表2021年5月12日2", 0.35},
                           {"3行政处罚决定书2021年7月12日3", 0.4},
                           {"4送达回证2021年5月20日4", 0.45}});
  docs = BuildDocuments(wrong, c);
  ASSERT_EQ(docs.size(), 5u);
  EXPECT_EQ(docs[3].fields.count("listed_date"), 0u);

  // A row with no date, or a table listing two decisions for the file's
  // one, gives nothing.
  docs = BuildDocuments(pages("3行政处罚决定书3"), c);
  EXPECT_EQ(docs[3].fields.count("listed_date"), 0u);
  auto two = pages("3行政处罚决定书2021年7月12日3");
  two[0].lines.push_back(two[0].lines[3]);
  two[0].lines.back().text = "5行政处罚决定书2021年7月30日5";
  two[0].lines.back().box.y0 = 0.5;
  docs = BuildDocuments(two, c);
  EXPECT_EQ(docs[3].fields.count("listed_date"), 0u);
}

TEST(DatesTest, A落款WithOnlyMonthAndDayLeftIsUnknown) {
  auto c = TestCatalogue();
  // The body's last date is not the decision's: its 落款 is there, misread.
  Page p = LinesPage(1, {{"行政处罚决定书", 0.1}, {"本局于2021年11月1日向当事人送达了告知书。", 0.4},
                         {"鄂尔多斯市东胜区城市管理综合执法局", 0.85}, {":CO一信人-月十日", 0.88}});
  auto docs = BuildDocuments({p}, c);
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_FALSE(docs[0].date.has_value()) << docs[0].date->value;
}

TEST(DatesTest, ALostOneIsRestoredOnlyWhereItPutsTheDateAmongTheCasesDates) {
  Catalogue c;
  c.types.push_back({"decision_approval", "行政处罚决定审批表", {}, {"penalty"}, false, false, false});
  auto dated = [](int n, const std::string& date) {
    return TitlePage(n, "行政处罚决定审批表", {Line(date, 0.6, 0.9, 0.9, 0.92)});
  };
  std::vector<Page> pages{dated(1, "2021年10月20日"), dated(2, "2021年10月28日"), dated(3, "2021年11月2日"),
                          dated(4, "2021年1月8日")};
  auto docs = BuildDocuments(pages, c);
  ASSERT_EQ(docs.size(), 4u);
  ASSERT_TRUE(docs[3].date.has_value());
  EXPECT_EQ(docs[3].date->value, "2021-11-08");  // 11月 read as 1月
  // An outlier no lost 1 explains stays as read; so does a date among the others.
  pages[3] = dated(4, "2021年5月8日");
  docs = BuildDocuments(pages, c);
  EXPECT_EQ(docs[3].date->value, "2021-05-08");
  pages[3] = dated(4, "2021年11月1日");
  docs = BuildDocuments(pages, c);
  EXPECT_EQ(docs[3].date->value, "2021-11-01");
  // A receipt's date and its 送达日期 are one reading, not two witnesses.
  c.types.push_back({"service_receipt", "送达回证", {}, {}, true, true, false});
  pages[3] = TitlePage(4, "送达回证", {Line("送达日期:2021年1月8日", 0.1, 0.5, 0.9, 0.52)});
  docs = BuildDocuments(pages, c);
  ASSERT_EQ(docs[3].type, "service_receipt");
  ASSERT_TRUE(docs[3].fields.count("service_date"));
  EXPECT_EQ(docs[3].fields.at("service_date").value, "2021-11-08");
}

TEST(DatesTest, ChineseSignatureDateWithGarbledYearAndLookAlikeDay) {
  Catalogue c;
  c.types.push_back({"prior_notice", "行政处罚事先告知书", {}, {"penalty"}, true, false, false});
  Page p = LinesPage(2, {
      {"行政处罚事先告知书", 0.1},
      {"执法人员于2021年5月17日现场检查时发现上述行为。", 0.4},
      {"鄂尔多斯市东胜区市场监督管理局", 0.85},
      {"1三O二一年六月九目)", 0.88},  // 二〇二一年六月九日 under a seal
  });
  // The same with dashes for 一 and a garbled Arabic year.
  Page dashes = LinesPage(2, {{"行政处罚事先告知书", 0.1}, {"鄂尔多斯市东胜区应急管理局", 0.85}, {"二二年十-月-日", 0.88}});
  Page arabic = LinesPage(2, {{"行政处罚事先告知书", 0.1}, {"鄂尔多斯市东胜区生态环境局", 0.85}, {"5621年7月5昌", 0.88}});
  // Two documents of the case whose dates read: they give the year.
  c.types.push_back({"decision_approval", "行政处罚决定审批表", {}, {"penalty"}, false, false, false});
  std::vector<Page> pages{TitlePage(1, "行政处罚决定审批表", {Line("2021年6月1日", 0.6, 0.9, 0.9, 0.92)}), p,
                          TitlePage(3, "行政处罚决定审批表", {Line("2021年6月20日", 0.6, 0.9, 0.9, 0.92)})};
  auto docs = BuildDocuments(pages, c);
  ASSERT_EQ(docs.size(), 3u);
  ASSERT_TRUE(docs[1].date.has_value());
  EXPECT_EQ(docs[1].date->value, "2021-06-09");  // the year from the case (ResolveYears)
  pages[1] = dashes;
  docs = BuildDocuments(pages, c);
  ASSERT_TRUE(docs[1].date.has_value());
  EXPECT_EQ(docs[1].date->value, "2021-11-01");
  pages[1] = arabic;
  docs = BuildDocuments(pages, c);
  ASSERT_TRUE(docs[1].date.has_value());
  EXPECT_EQ(docs[1].date->value, "2021-07-05");
  // Look-alikes of 十, 二 and 一 read under seals (seen on scans).
  for (auto [line, iso] : {std::pair{"三O〇二一年八月士日", "2021-08-10"}, std::pair{"二吕二一年三月工十九日", "2021-03-29"},
                           std::pair{"二口二一年十“月八日", "2021-11-08"},
                           std::pair{"二二一年四月二十八卓", "2021-04-28"}}) {
    pages[1] = LinesPage(2, {{"行政处罚事先告知书", 0.1}, {"鄂尔多斯市东胜区生态环境局", 0.85}, {line, 0.88}});
    docs = BuildDocuments(pages, c);
    ASSERT_TRUE(docs[1].date.has_value()) << line;
    EXPECT_EQ(docs[1].date->value, iso) << line;
  }
}

}  // namespace
}  // namespace pingcha::catalogue

namespace pingcha::catalogue {
namespace {

TEST(NumbersTest, QuotedNumberIsNotTheDocumentsOwn) {
  Catalogue c;
  c.types.push_back({"closing_report", "结案报告", {}, {}, false, false, false});
  c.types.push_back({"penalty_decision", "行政处罚决定书", {}, {"penalty"}, true, false, false});
  Page p = TitlePage(1, "结案报告", {Line("决定书文号：东市监处罚〔2021〕17号", 0.1, 0.16, 0.9, 0.18)});
  auto docs = BuildDocuments({p}, c);
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_FALSE(docs[0].doc_number.has_value());
  Page q = TitlePage(1, "行政处罚决定书", {Line("东市监处罚〔2021〕17号", 0.35, 0.16, 0.65, 0.18)});
  docs = BuildDocuments({q}, c);
  ASSERT_TRUE(docs[0].doc_number.has_value());
  EXPECT_EQ(docs[0].doc_number->value, "东市监处罚〔2021〕17号");
}

TEST(NumbersTest, EmptyLinesBetweenTitleAndNumberDoNotCount) {
  // OCR leaves lines of a space for specks and rules (seed 31: four of them
  // under a decision's title).
  Catalogue c;
  c.types.push_back({"penalty_decision", "行政处罚决定书", {}, {"penalty"}, true, false, false});
  std::vector<TextLine> lines;
  for (int k = 0; k < 4; ++k) lines.push_back(Line(" ", 0.4, 0.12 + 0.01 * k, 0.6, 0.125 + 0.01 * k));
  lines.push_back(Line("东农处罚〔2021〕12号", 0.35, 0.17, 0.65, 0.19));
  auto docs = BuildDocuments({TitlePage(1, "行政处罚决定书", lines)}, c);
  ASSERT_EQ(docs.size(), 1u);
  ASSERT_TRUE(docs[0].doc_number.has_value());
  EXPECT_EQ(docs[0].doc_number->value, "东农处罚〔2021〕12号");
}

}  // namespace
}  // namespace pingcha::catalogue

namespace pingcha::catalogue {
namespace {

// A line of words as OCR returns them (CJK joined without spaces).
TextLine WordsLine(const std::vector<std::string>& words) {
  TextLine l;
  double x = 0.1;
  for (const auto& w : words) {
    l.words.push_back({w, {x, 0.1, x + 0.05, 0.12}, 0.5});
    l.text += w;
    x += 0.06;
  }
  return l;
}

TEST(PlaceNamesTest, AListedPlaceWithOneHanCharacterMisreadIsPutBack) {
  Catalogue c;
  c.places = {"鄂尔多斯市", "海南藏族自治州", "海北藏族自治州"};
  c.counties = {"东胜区", "伊金霍洛旗", "鄂托克旗", "鄂托克前旗"};
  Page p;
  p.lines = {WordsLine({"住所:", "哪", "尔多斯市东胜区", "哪"}), WordsLine({"伊金翟洛旗生态环境局"}),
             WordsLine({"鄂托克前旗"}), WordsLine({"东性区"}), WordsLine({"鄂尔多斯县"}),
             WordsLine({"海东藏族自治州"})};
  MendPlaceNames(p, c);
  EXPECT_EQ(p.lines[0].text, "住所:鄂尔多斯市东胜区哪");
  ASSERT_EQ(p.lines[0].words.size(), 4u);
  EXPECT_EQ(p.lines[0].words[1].text, "鄂");  // in its word, which keeps its box
  EXPECT_EQ(p.lines[0].words[3].text, "哪");
  EXPECT_DOUBLE_EQ(p.lines[0].words[1].box.x0, 0.16);
  EXPECT_EQ(p.lines[1].text, "伊金霍洛旗生态环境局");
  EXPECT_EQ(p.lines[2].text, "鄂托克前旗");        // a listed name as printed, not 鄂托克旗 misread
  EXPECT_EQ(p.lines[3].text, "东性区");            // three characters: too few to tell
  EXPECT_EQ(p.lines[4].text, "鄂尔多斯县");        // the kind differs: another place
  EXPECT_EQ(p.lines[5].text, "海东藏族自治州");    // 海南 or 海北: cannot tell
}

}  // namespace
}  // namespace pingcha::catalogue
