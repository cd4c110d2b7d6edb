#include "stages/report/report.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace pingcha::report {
namespace {

Case Sample() {
  Case c;
  c.case_id = "市场监管局__2021__东市监处罚2021-12";
  c.source = {"市场监管局/2021/东市监处罚2021-12.pdf", "abc", 2};
  c.case_type = "penalty";
  c.case_type_from = "detected";
  c.agency = "鄂尔多斯市东胜区市场监督管理局";
  Page p;
  p.number = 1;
  p.mean_confidence = 0.912345;
  c.pages.push_back(p);
  Document d;
  d.type = "penalty_decision";
  d.title = "行政处罚决定书";
  d.first_page = d.last_page = 1;
  d.confidence = 0.96;
  d.doc_number = Field{"东市监处罚〔2021〕12号", 1, {}, ""};
  d.date = Field{"2021-04-20", 1, {}, ""};
  d.seals.push_back(Seal{1, {0.61, 0.7, 0.83, 0.86}, "round", std::string("鄂尔多斯市东胜区市场监督管理局"), true, 0.97, ""});
  d.fields["remedy_clause"] = Field{"如不服…", 1, {}, ""};
  c.documents.push_back(d);
  Finding f;
  f.item = "P-D20";
  f.status = "deduct";
  f.points = 1;
  f.deducted = 1;
  f.reason = "送达超期";
  f.evidence.push_back({1, {0.1, 0.52, 0.9, 0.57}, "送达日期：2021年5月6日"});
  c.findings.push_back(f);
  c.score = {100, 1, 99, "优秀", false, 4};
  return c;
}

TEST(ReportTest, KeysInContractOrderAndNumbersTidy) {
  std::string json = ToJson(Sample());
  const char* keys[] = {"\"schema\"", "\"case_id\"", "\"source\"", "\"status\"", "\"error\"", "\"case_type\"",
                        "\"case_type_from\"", "\"agency\"", "\"pages\"", "\"documents\"", "\"findings\"",
                        "\"score\"", "\"provenance\""};
  std::size_t last = 0;
  for (const char* k : keys) {
    auto pos = json.find(std::string("\n  ") + k);
    ASSERT_NE(pos, std::string::npos) << k;
    EXPECT_GT(pos, last) << k;
    last = pos;
  }
  EXPECT_NE(json.find("\"schema\": \"pingcha.case-report/1\""), std::string::npos);
  EXPECT_NE(json.find("\"mean_confidence\": 0.91"), std::string::npos);
  EXPECT_NE(json.find("\"points\": 1,"), std::string::npos);
  EXPECT_NE(json.find("0.61,"), std::string::npos);
  EXPECT_EQ(json.find("0.6100000"), std::string::npos);
  EXPECT_EQ(json, ToJson(Sample()));
}

TEST(ReportTest, RoundTrips) {
  Case c = Sample();
  auto back = FromJson(ToJson(c), "x.json");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(ToJson(*back), ToJson(c));
}

TEST(ReportTest, ErrorReportHasCodeAndNullScore) {
  Case c;
  c.case_id = "a__b";
  c.source = {"a/b.pdf", "", 0};
  c.status = "error";
  c.error = CaseError{"encrypted", "a/b.pdf: password-protected"};
  std::string json = ToJson(c);
  EXPECT_NE(json.find("\"code\": \"encrypted\""), std::string::npos);
  EXPECT_NE(json.find("\"score\": null"), std::string::npos);
}

TEST(ReportTest, RejectsOtherSchemas) {
  auto r = FromJson(R"({"schema": "other/2"})", "y.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "unsupported");
  EXPECT_EQ(FromJson("{not json", "z.json").status().code(), "damaged");
}

TEST(ReportTest, WritesAtomically) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("pingcha_report_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  std::string path = (dir / "cases" / "a.json").string();
  ASSERT_TRUE(WriteAtomic(path, "one").ok());
  ASSERT_TRUE(WriteAtomic(path, "two").ok());
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), "two");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir / "cases"), fs::directory_iterator()), 1);
  EXPECT_FALSE(WriteAtomic("/proc/nonexistent/x.json", "x").ok());
}

// Regressions found by fuzz/fuzz_report: a damaged report on disk (resume,
// merge) must give a Case or an error, never read out of bounds.
TEST(ReportTest, MissingOptionalKeysAreNull) {
  // No mean_confidence / printed_number on the page, no bbox on the seal,
  // no error and no score: each key read through operator[] on a const json
  // read past the end of the object (ASan: heap-buffer-overflow).
  const std::string json = R"({"schema":"pingcha.case-report/1","case_id":"x","source":{"path":"a.pdf"},
    "status":"ok","pages":[{"page":1}],
    "documents":[{"type":"t","seals":[{"page":1}],"officers":[{"name":"张三"}],"fields":{}}],
    "findings":[{"item":"P-1","evidence":[{"page":1}]}],"provenance":{}})";
  auto c = FromJson(json, "r.json");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->pages.size(), 1u);
  EXPECT_FALSE(c->pages[0].mean_confidence.has_value());
  EXPECT_FALSE(c->pages[0].printed_number.has_value());
  ASSERT_EQ(c->documents.size(), 1u);
  EXPECT_FALSE(c->documents[0].doc_number.has_value());
  EXPECT_FALSE(c->documents[0].seals.at(0).owner.has_value());
  EXPECT_FALSE(c->documents[0].officers.at(0).certificate.has_value());
  EXPECT_FALSE(c->error.has_value());
  auto again = FromJson(ToJson(*c), "r.json");
  EXPECT_TRUE(again.ok()) << again.status().ToString();
}

TEST(ReportTest, WrongShapesAreDamagedNotCrashes) {
  for (const char* body : {R"("pages":[1],"documents":[],"findings":[])", R"("pages":[],"documents":[7],"findings":[])",
                           R"("pages":[],"documents":[{"seals":[null]}],"findings":[])",
                           R"("pages":[],"documents":[],"findings":[{"evidence":[{"bbox":[1,2,"x",4]}]}])",
                           R"("pages":{"a":{}},"documents":[],"findings":[],"score":"high")"}) {
    std::string json = std::string(R"({"schema":"pingcha.case-report/1","source":{},"provenance":{},)") + body + "}";
    auto c = FromJson(json, "r.json");
    if (!c.ok()) {
      EXPECT_EQ(c.status().code(), "damaged") << body;
    }
  }
  auto p = PageFromJson(R"({"page":1,"lines":[{"w":[[1]]}]})");
  EXPECT_FALSE(p.ok());
}

}  // namespace
}  // namespace pingcha::report

namespace pingcha::report {
namespace {

TEST(ReportTest, PageCacheKeepsASealsRingStripByteForByte) {
  Page p;
  p.number = 3;
  Mark seal;
  seal.shape = "round";
  seal.ring_strip.channels = 1;
  seal.ring_strip.width = 7;  // 7×5 = 35 bytes: base64's padding is exercised
  seal.ring_strip.height = 5;
  for (int i = 0; i < 35; ++i) seal.ring_strip.pixels.push_back(static_cast<std::uint8_t>(i * 7 + 1));
  p.seals.push_back(seal);
  auto back = PageFromJson(PageToJson(p));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->seals.size(), 1u);
  EXPECT_EQ(back->seals[0].ring_strip.width, 7);
  EXPECT_EQ(back->seals[0].ring_strip.height, 5);
  EXPECT_EQ(back->seals[0].ring_strip.pixels, seal.ring_strip.pixels);
}

}  // namespace
}  // namespace pingcha::report
