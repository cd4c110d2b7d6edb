#include "pipeline/archive.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace pingcha {
namespace {

namespace fs = std::filesystem;

fs::path MakeArchive(const std::string& name) {
  fs::path root = fs::temp_directory_path() / ("pingcha_archive_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "东胜区市场监督管理局" / "2021");
  fs::create_directories(root / "东胜区城管局" / "2021" / "当罚-1");
  fs::create_directories(root / "东胜区城管局" / "2021" / "空卷");
  fs::create_directories(root / "某局" / "行政许可");
  std::ofstream(root / "东胜区市场监督管理局" / "2021" / "东市监处罚2021-12.pdf") << "%PDF-1.4";
  std::ofstream(root / "东胜区城管局" / "2021" / "当罚-1" / "0001.jpg") << "x";
  std::ofstream(root / "某局" / "行政许可" / "许可-3.pdf") << "%PDF-1.4";
  std::ofstream(root / "某局" / "notes.txt") << "not a case";
  return root;
}

TEST(ArchiveTest, DiscoversPdfsImageFoldersAndEmptyCaseFolders) {
  auto root = MakeArchive("discover");
  auto cases = DiscoverArchive(root.string());
  ASSERT_TRUE(cases.ok()) << cases.status().ToString();
  ASSERT_EQ(cases->size(), 4u);
  EXPECT_EQ((*cases)[0].case_id, "东胜区城管局__2021__当罚-1");
  EXPECT_EQ((*cases)[1].case_id, "东胜区城管局__2021__空卷");
  EXPECT_EQ((*cases)[2].case_id, "东胜区市场监督管理局__2021__东市监处罚2021-12");
  EXPECT_EQ((*cases)[2].agency, "东胜区市场监督管理局");
  EXPECT_EQ((*cases)[2].agency_from, "path");
  EXPECT_EQ((*cases)[3].case_type, "license");
  EXPECT_EQ((*cases)[3].case_type_from, "path");
}

TEST(ArchiveTest, ManifestOverridesAndEscapingPathsAreRefused) {
  auto root = MakeArchive("manifest");
  std::ofstream(root / "manifest.csv") << "path,case_id,agency,case_type,procedure\n"
                                          "东胜区城管局/2021/当罚-1,X-1,鄂尔多斯市东胜区城管局,penalty,simple\n";
  auto cases = DiscoverArchive(root.string());
  ASSERT_TRUE(cases.ok());
  EXPECT_EQ((*cases)[0].case_id, "X-1");
  EXPECT_EQ((*cases)[0].agency_from, "manifest");
  EXPECT_EQ((*cases)[0].procedure, "simple");
  std::ofstream(root / "manifest.csv") << "path,case_id\n../../etc/passwd,evil\n";
  auto bad = DiscoverArchive(root.string());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("leaves the archive"), std::string::npos);
}

TEST(ArchiveTest, SingleCaseGivesTheBatchId) {
  auto root = MakeArchive("single");
  auto in = SingleCase((root / "东胜区市场监督管理局" / "2021" / "东市监处罚2021-12.pdf").string(), "");
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  EXPECT_EQ(in->case_id, "东胜区市场监督管理局__2021__东市监处罚2021-12");
  EXPECT_EQ(in->rel_path, "东胜区市场监督管理局/2021/东市监处罚2021-12.pdf");
}

TEST(ArchiveTest, NonUtf8NamesAreEscaped) {
  EXPECT_EQ(EscapeNonUtf8("东胜区/2021/a.pdf"), "东胜区/2021/a.pdf");
  EXPECT_EQ(EscapeNonUtf8("caf\xE9.pdf"), "caf%E9.pdf");        // Latin-1
  EXPECT_EQ(EscapeNonUtf8("\xB2\xE2\xCA\xD4.pdf"), "%B2%E2%CA%D4.pdf");  // GBK 测试
  EXPECT_EQ(EscapeNonUtf8("\xE4\xB8"), "%E4%B8");              // truncated sequence
  EXPECT_EQ(EscapeNonUtf8("\xC0\xAF"), "%C0%AF");              // overlong '/'
  EXPECT_EQ(EscapeNonUtf8("\xED\xA0\x80"), "%ED%A0%80");      // surrogate
}

TEST(ArchiveTest, NonUtf8FileNamesGiveUtf8CaseIds) {
  auto root = MakeArchive("nonutf8");
  std::ofstream(root / "某局" / "行政许可" / "caf\xE9.pdf") << "%PDF-1.4";
  auto cases = DiscoverArchive(root.string());
  ASSERT_TRUE(cases.ok()) << cases.status().ToString();
  bool found = false;
  for (const auto& c : *cases) {
    if (c.rel_path != "某局/行政许可/caf%E9.pdf") continue;
    found = true;
    EXPECT_EQ(c.case_id, "某局__行政许可__caf%E9");
    EXPECT_EQ(c.path, (root / "某局" / "行政许可" / "caf\xE9.pdf").string());  // the real name, to open it
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace pingcha
