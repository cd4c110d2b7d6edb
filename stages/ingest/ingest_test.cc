#include "stages/ingest/ingest.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <vector>

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

TEST(IngestTest, MissingFileIsUnreadable) {
  auto r = Open("/nonexistent/x.pdf", Limits{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "unreadable");
}

TEST(IngestTest, SymlinkLoopIsUnreadable) {
  auto dir = TempDir("loop");
  fs::create_symlink("loop.pdf", dir / "loop.pdf");
  auto r = Open((dir / "loop.pdf").string(), Limits{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "unreadable");
  EXPECT_NE(r.status().message().find("symbolic links"), std::string::npos) << r.status().message();
}

// Opening a FIFO for reading blocks until a writer comes: it must not be opened.
TEST(IngestTest, FifoIsUnreadableWithoutBlocking) {
  auto dir = TempDir("fifo");
  ASSERT_EQ(::mkfifo((dir / "pipe.pdf").c_str(), 0644), 0);
  auto r = Open((dir / "pipe.pdf").string(), Limits{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "unreadable");
  EXPECT_NE(r.status().message().find("not a regular file"), std::string::npos) << r.status().message();
}

TEST(IngestTest, ZeroPagePdfHasNoPages) {
  auto dir = TempDir("zeropages");
  // A minimal, well-formed PDF whose page tree is empty.
  std::string pdf = "%PDF-1.4\n";
  std::vector<std::size_t> offsets;
  offsets.push_back(pdf.size());
  pdf += "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n";
  offsets.push_back(pdf.size());
  pdf += "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n";
  std::size_t xref = pdf.size();
  pdf += "xref\n0 3\n0000000000 65535 f \n";
  for (auto o : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", o);
    pdf += line;
  }
  pdf += "trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  WriteFile(dir / "z.pdf", pdf);
  auto r = Open((dir / "z.pdf").string(), Limits{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "no_pages") << r.status().ToString();
}

TEST(IngestTest, GiganticPageIsTooLarge) {
  auto dir = TempDir("gigantic");
  std::string pdf = "%PDF-1.4\n";
  std::vector<std::size_t> offsets;
  const char* objs[] = {"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200000 200000] >>"};
  for (int i = 0; i < 3; ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objs[i] + "\nendobj\n";
  }
  std::size_t xref = pdf.size();
  pdf += "xref\n0 4\n0000000000 65535 f \n";
  for (auto o : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", o);
    pdf += line;
  }
  pdf += "trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  WriteFile(dir / "g.pdf", pdf);
  auto r = Open((dir / "g.pdf").string(), Limits{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "too_large") << r.status().ToString();
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

// A 1×1 "page" opens (the folder is a case) but cannot be rendered as a page:
// the case goes on with its other pages.
TEST(IngestTest, TinyPageImageIsNotRendered) {
  auto dir = TempDir("tiny");
  // A 1×1 grey PNG (as PIL writes it).
  const unsigned char png[] = {
      0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1,
      8, 0, 0, 0, 0, ':', '~', 0x9b, 'U', 0, 0, 0, 10, 'I', 'D', 'A', 'T', 'x', 0x9c, 'c', 0xf8, 0x0f, 0,
      1, 1, 1, 0, 0xb1, '8', 0xf6, 0x14, 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 'B', '`', 0x82};
  WriteFile(dir / "0001.png", std::string(reinterpret_cast<const char*>(png), sizeof png));
  auto r = Open(dir.string(), Limits{});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r.value()->page_count(), 1);
  auto img = r.value()->RenderPage(0, 200);
  ASSERT_FALSE(img.ok());
  EXPECT_EQ(img.status().code(), "damaged");
  EXPECT_NE(img.status().message().find("too small"), std::string::npos) << img.status().message();
}

}  // namespace
}  // namespace pingcha::ingest
