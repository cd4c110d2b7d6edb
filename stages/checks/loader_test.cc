#include "stages/checks/loader.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace pingcha::checks {
namespace {

namespace fs = std::filesystem;

std::string Root() {
  const char* src = std::getenv("PINGCHA_SOURCE_DIR");
  return src ? src : ".";
}

std::string Write(const std::string& name, const std::string& text) {
  fs::path p = fs::temp_directory_path() / ("pingcha_loader_" + std::to_string(::getpid()) + "_" + name);
  std::ofstream(p) << text;
  return p.string();
}

const char* kHead = R"([rubric]
id = "t"
case_types = ["penalty"]
bands = [ { min = 90, grade = "优秀" }, { min = 0, grade = "不合格" } ]
[[category]]
id = "A"
name = "主体"
weight = 10
)";

TEST(LoaderTest, UnknownCheckNamesFileAndLine) {
  std::string path = Write("bad.toml", std::string(kHead) + R"([[item]]
id = "P-A1"
category = "A"
points = 3
  [[item.check]]
  kind = "seel_present"
  documents = ["penalty_decision"]
)");
  auto r = LoadRubric(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), path + ":14: unknown check 'seel_present'");
}

TEST(LoaderTest, SyntaxErrorNamesLine) {
  std::string path = Write("syntax.toml", std::string(kHead) + "[[item]]\nid = \n");
  auto r = LoadRubric(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "invalid_rubric");
  EXPECT_EQ(r.status().message().rfind(path + ":10: ", 0), 0u) << r.status().message();
}

TEST(LoaderTest, UnknownCategoryAndMissingParameters) {
  std::string path = Write("cat.toml", std::string(kHead) + "[[item]]\nid = \"X\"\ncategory = \"Z\"\npoints = 1\n");
  auto r = LoadRubric(path);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("unknown category 'Z'"), std::string::npos);
  path = Write("params.toml", std::string(kHead) +
                                  "[[item]]\nid = \"X\"\ncategory = \"A\"\npoints = 1\n[[item.check]]\nkind = \"date_order\"\n");
  r = LoadRubric(path);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("needs 'before' and 'after'"), std::string::npos) << r.status().message();
}

TEST(LoaderTest, ShippedRubricsLoadAndReferToKnownDocuments) {
  auto cat = LoadCatalogue(Root() + "/rubrics/doctypes.toml");
  ASSERT_TRUE(cat.ok()) << cat.status().ToString();
  for (const char* name : {"penalty", "license", "coercion"}) {
    auto r = LoadRubric(Root() + "/rubrics/" + name + ".toml");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_TRUE(ValidateAgainst(*r, *cat).ok()) << ValidateAgainst(*r, *cat).ToString();
    EXPECT_EQ(r->max, 100);
    EXPECT_EQ(r->sha256.size(), 64u);
  }
}

// Cached pages are keyed on the document types as parsed: a comment or
// another list edited keeps them; a title edited does not.
TEST(LoaderTest, TheReadingFingerprintFollowsTheDocumentTypesOnly) {
  const std::string type = "[[doctype]]\nid = \"cover\"\ntitle = \"案卷封面\"\ncase_types = []\n";
  auto a = LoadCatalogue(Write("cat_a.toml", "# one comment\nbodies = [\"交通运输局\"]\n" + type));
  auto b = LoadCatalogue(Write("cat_b.toml", "# another comment\nbodies = [\"交通运输局\", \"人民政府\"]\n" + type));
  std::string retitled = type;
  retitled.replace(retitled.find("案卷封面"), std::string("案卷封面").size(), "卷宗封面");
  auto c = LoadCatalogue(Write("cat_c.toml", "# one comment\nbodies = [\"交通运输局\"]\n" + retitled));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(b.ok() && c.ok());
  EXPECT_EQ(a->reading_sha256.size(), 64u);
  EXPECT_NE(a->sha256, b->sha256);
  EXPECT_EQ(a->reading_sha256, b->reading_sha256);
  EXPECT_NE(a->reading_sha256, c->reading_sha256);
}

TEST(LoaderTest, CatalogueHoldsEveryBindingId) {
  auto cat = LoadCatalogue(Root() + "/rubrics/doctypes.toml");
  ASSERT_TRUE(cat.ok()) << cat.status().ToString();
  for (const char* id : {"cover", "toc", "evidence", "service_receipt", "closing_report", "backup_note", "blank",
                         "case_source", "filing_approval", "inspection_record", "inquiry_record",
                         "investigation_report", "legal_review", "collective_discussion", "prior_notice",
                         "statement_record", "hearing_record", "decision_approval", "penalty_decision",
                         "onsite_penalty_decision", "payment_receipt", "license_application", "supplement_notice",
                         "acceptance_notice", "review_record", "license_approval", "license_decision",
                         "license_certificate", "coercion_approval", "onsite_record", "seizure_decision",
                         "seizure_list", "extension_decision", "release_decision", "inspection_notice",
                         "rectification_notice", "rectification_review", "levy_decision", "confirmation_decision"})
    EXPECT_NE(cat->Find(id), nullptr) << id;
}

}  // namespace
}  // namespace pingcha::checks
