#include "stages/ingest/ingest.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace pingcha::ingest {
namespace {

namespace fs = std::filesystem;

fs::path TempDir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("pingcha_ingest_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void WriteFile(const fs::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary) << bytes;
}

TEST(IngestTest, RecognisesPdfHeader) {
  EXPECT_TRUE(LooksLikePdf("%PDF-1.7\n"));
  EXPECT_TRUE(LooksLikePdf("\xEF\xBB\xBF%PDF-1.4"));
  EXPECT_FALSE(LooksLikePdf("PK\x03\x04"));
  EXPECT_FALSE(LooksLikePdf(""));
}

TEST(IngestTest, PageImageNames) {
  EXPECT_TRUE(IsPageImageName("0001.JPG"));
  EXPECT_TRUE(IsPageImageName("p.tiff"));
  EXPECT_FALSE(IsPageImageName(".hidden.png"));
  EXPECT_FALSE(IsPageImageName("notes.txt"));
}

TEST(IngestTest, EmptyFileIsNotAPdf) {
  auto dir = TempDir("empty");
  WriteFile(dir / "a.pdf", "");
  auto r = Open((dir / "a.pdf").string(), Limits{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "not_a_pdf");
  EXPECT_NE(r.status().message().find("a.pdf"), std::string::npos);
}

TEST(IngestTest, TextFileNamedPdfIsNotAPdf) {
  auto dir = TempDir("text");
  WriteFile(dir / "b.pdf", "this is not a pdf");
  auto r = Open((dir / "b.pdf").string(), Limits{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "not_a_pdf");
}

TEST(IngestTest, TruncatedPdfIsDamaged) {
  auto dir = TempDir("trunc");
  WriteFile(dir / "c.pdf", "%PDF-1.4\n1 0 obj\n<< /Type /Catalog");
  auto r = Open((dir / "c.pdf").string(), Limits{});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().code() == "damaged" || r.status().code() == "no_pages") << r.status().ToString();
}

TEST(IngestTest, EmptyFolderHasNoPages) {
  auto dir = TempDir("folder");
  auto r = Open(dir.string(), Limits{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "no_pages");
}

TEST(IngestTest, MissingFileIsIoError) {
  auto r = Open("/nonexistent/x.pdf", Limits{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "io_error");
}

TEST(IngestTest, RendersSamplePdfPageByPage) {
  const char* src = std::getenv("PINGCHA_SOURCE_DIR");
  fs::path root = src ? src : ".";
  fs::path pdf;
  if (!fs::exists(root / "samples" / "archive")) GTEST_SKIP() << "no samples/archive";
  for (auto& e : fs::recursive_directory_iterator(root / "samples" / "archive")) {
    if (e.path().extension() == ".pdf") { pdf = e.path(); break; }
  }
  if (pdf.empty()) GTEST_SKIP() << "no sample PDF under samples/archive";
  auto r = Open(pdf.string(), Limits{});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto& source = *r.value();
  ASSERT_GT(source.page_count(), 0);
  auto img = source.RenderPage(0, 100);
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  EXPECT_EQ(img->channels, 3);
  // An A4 page at 100 dpi is about 827×1169.
  EXPECT_NEAR(img->width, 827, 30);
  EXPECT_NEAR(img->height, 1169, 30);
}

}  // namespace
}  // namespace pingcha::ingest
