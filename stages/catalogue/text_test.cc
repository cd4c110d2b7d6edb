#include "stages/catalogue/text.h"

#include <gtest/gtest.h>

namespace pingcha::catalogue {
namespace {

TEST(TextTest, NormalizeFoldsWidthSpacesAndBrackets) {
  EXPECT_EQ(Normalize("东市监处罚［２０２１］１２兮"), "东市监处罚〔2021〕12号");
  EXPECT_EQ(Normalize("行 政 处 罚 决 定 书"), "行政处罚决定书");
  EXPECT_EQ(Normalize("二○二一年"), "二〇二一年");
  EXPECT_EQ(Normalize("二口二一年"), "二〇二一年");  // 口 between numerals is a 〇
  EXPECT_EQ(Normalize("入口"), "入口");
}

TEST(TextTest, ChineseNumbers) {
  EXPECT_EQ(ChineseNumber(U"三十"), 30);
  EXPECT_EQ(ChineseNumber(U"十二"), 12);
  EXPECT_EQ(ChineseNumber(U"一百二十四"), 124);
  EXPECT_EQ(ChineseNumber(U"二〇二一"), 2021);
  EXPECT_EQ(ChineseNumber(U"五万"), 50000);
  EXPECT_EQ(ChineseNumber(U"abc"), -1);
}

TEST(TextTest, DatesInEveryForm) {
  EXPECT_EQ(ParseDate("2021年3月5日").value(), "2021-03-05");
  EXPECT_EQ(ParseDate("落款：二〇二一年三月五日").value(), "2021-03-05");
  EXPECT_EQ(ParseDate("二O二一年十月九日").value(), "2021-10-09");
  EXPECT_EQ(ParseDate("日期 2021.3.5").value(), "2021-03-05");
  EXPECT_EQ(ParseDate("2021-07-15").value(), "2021-07-15");
  EXPECT_EQ(ParseDate("２０２１年１２月３１日").value(), "2021-12-31");
  EXPECT_FALSE(ParseDate("2021年2月30日").has_value());
  EXPECT_FALSE(ParseDate("没有日期").has_value());
}

TEST(TextTest, DatesKeepTextOrder) {
  auto all = FindDates("询问时间：2021年3月5日9时30分至2021年3月5日10时，签名日期二〇二一年三月六日");
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all.back().iso, "2021-03-06");
}

TEST(TextTest, DocumentNumbers) {
  EXPECT_EQ(FindDocNumber("东市监处罚〔2021〕12号").value(), "东市监处罚〔2021〕12号");
  EXPECT_EQ(FindDocNumber("文号：东市监处罚[2021]12兮").value(), "东市监处罚〔2021〕12号");
  EXPECT_EQ(FindDocNumber("东城管罚字（2021）第0034号").value(), "东城管罚字〔2021〕第0034号");
  EXPECT_FALSE(FindDocNumber("没有文号").has_value());
}

TEST(TextTest, DocumentNumbersThroughScanNoise) {
  EXPECT_EQ(FindDocNumber("东城管查封字【2021]】第029号").value(), "东城管查封字〔2021〕第029号");  // doubled bracket
  EXPECT_EQ(FindDocNumber("东农告[2021].4号").value(), "东农告〔2021〕4号");                  // speck
  EXPECT_EQ(FindDocNumber("伊应急检通【〔【2021]12号").value(), "伊应急检通〔2021〕12号");
  EXPECT_EQ(FindDocNumber("东环当罚字[2021H]第139号").value(), "东环当罚字〔2021〕第139号");
  EXPECT_EQ(FindDocNumber("东农案[2021]7").value(), "东农案〔2021〕7号");                      // 号 lost at the end
  EXPECT_FALSE(FindDocNumber("东农案[2021]7份材料").has_value());  // a count, not a number
  EXPECT_EQ(FindDocNumber("东城管罚〔202D 10号").value(), "东城管罚〔2021〕10号");           // "1〕" read as D
}

TEST(TextTest, DottedDateWithTheTimeGluedOn) {
  EXPECT_EQ(ParseDate("检查时间:2021.5.2514时30分至15时39分").value(), "2021-05-25");
  EXPECT_EQ(ParseDate("询问时间:2021.5.269时20分").value(), "2021-05-26");
  EXPECT_EQ(ParseDate("询问时间:2021.4.615时10分").value(), "2021-04-06");
  EXPECT_EQ(ParseDate("询问时间:2021.11.29时40分至10时50分").value(), "2021-11-02");  // 2日9时, not 29日
  EXPECT_FALSE(ParseDate("编号2021.5.2514").has_value());  // digits run on without 时: not a date
}

TEST(TextTest, OnesReadAsBracketsInDates) {
  EXPECT_EQ(ParseDate("人2021年1]月9日").value(), "2021-11-09");
  EXPECT_EQ(ParseDate("立卷时间:2021年11]月11日").value(), "2021-11-11");  // a 1 would make 111: noise
  EXPECT_EQ(ParseDate("缴款日期2021年11月]日").value(), "2021-11-01");
  EXPECT_EQ(ParseDate("决定书2021年9月2e9日5").value(), "2021-09-29");  // a speck read as a letter
  EXPECT_FALSE(ParseDate("编号A2021B9C").has_value());
  EXPECT_EQ(ParseDate("东市监处罚〔2021〕12号").has_value(), false);  // brackets of a 文号 stay
}

TEST(TextTest, LegalCitations) {
  auto c = FindCitations(
      "违反了《中华人民共和国食品安全法》第三十四条第（十）项的规定。依据《中华人民共和国食品安全法》"
      "第一百二十四条第一款第(五)项的规定。根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定");
  ASSERT_EQ(c.size(), 4u);
  EXPECT_EQ(c[0].Canonical(), "《中华人民共和国食品安全法》第34条第10项");
  EXPECT_EQ(c[1].Canonical(), "《中华人民共和国食品安全法》第124条第1款第5项");
  EXPECT_EQ(c[2].Canonical(), "《中华人民共和国行政处罚法》第44条");
  EXPECT_EQ(c[3].Canonical(), "《中华人民共和国行政处罚法》第45条");  // the law of the article before
  // An article far from any law is not attributed to one.
  EXPECT_TRUE(FindCitations("见《某法》。此后很多很多字以后才说到第五条的事情").empty());
  EXPECT_TRUE(FindCitations("第五条").empty());
}

TEST(TextTest, Amounts) {
  EXPECT_DOUBLE_EQ(FindAmount("罚款50000元").value(), 50000);
  EXPECT_DOUBLE_EQ(FindAmount("罚款人民币伍万元整").value(), 50000);
  EXPECT_DOUBLE_EQ(FindAmount("罚款5万元").value(), 50000);
  EXPECT_DOUBLE_EQ(FindAmount("罚款1,200.50元").value(), 1200.5);
}

TEST(TextTest, DocNumberAfterADocumentNameAndLabel) {
  EXPECT_EQ(FindDocNumber("决定书文号东市监行罚〔2021]1号").value(), "东市监行罚〔2021〕1号");
  EXPECT_EQ(FindDocNumber("决定书文号:东市监行罚(2021]1号").value(), "东市监行罚〔2021〕1号");
}

TEST(TextTest, Similarity) {
  EXPECT_DOUBLE_EQ(Similarity("行政处罚决定书", "行政处罚决定书"), 1.0);
  EXPECT_NEAR(Similarity("行政处罚決定书", "行政处罚决定书"), 6.0 / 7, 1e-9);
}

}  // namespace
}  // namespace pingcha::catalogue
