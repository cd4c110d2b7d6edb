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

}  // namespace
}  // namespace pingcha
