#include "stages/ingest/ingest.h"
#include "stages/ingest/jpeg.h"
#include "stages/ingest/resample.h"
#include "stages/ingest/scanned_page.h"
#include "tests/support/lept_image.h"

#include <leptonica/allheaders.h>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
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

// A one-page PDF as a scanner writes it: `jpeg` (w×h pixels at 200 dpi)
// drawn over the whole page by `content` (the page's drawing operators).
std::string ScanPdf(const std::string& jpeg, int w, int h, const std::string& content) {
  const double pw = w * 72.0 / 200, ph = h * 72.0 / 200;
  char media[96];
  std::snprintf(media, sizeof media, "[0 0 %.2f %.2f]", pw, ph);
  char draw[96];
  std::snprintf(draw, sizeof draw, "q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q", pw, ph);
  const std::string ops = content.empty() ? draw : std::string(draw) + " " + content;
  std::vector<std::string> objs = {
      "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox " + std::string(media) +
          " /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>",
      "<< /Type /XObject /Subtype /Image /Width " + std::to_string(w) + " /Height " + std::to_string(h) +
          " /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length " + std::to_string(jpeg.size()) +
          " >>\nstream\n" + jpeg + "\nendstream",
      "<< /Length " + std::to_string(ops.size()) + " >>\nstream\n" + ops + "\nendstream"};
  std::string pdf = "%PDF-1.4\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objs.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objs[i] + "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objs.size() + 1) + "\n0000000000 65535 f \n";
  for (auto o : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", o);
    pdf += line;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objs.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

double MeanDifference(const Image& a, const Image& b) {
  if (a.width != b.width || a.height != b.height || a.channels != b.channels) return 255;
  double sum = 0;
  for (std::size_t i = 0; i < a.pixels.size(); ++i) sum += std::abs(a.pixels[i] - b.pixels[i]);
  return sum / static_cast<double>(a.pixels.size());
}

using testdata::ImageOf;

// A scanned page is decoded from its JPEG, with the pixels Poppler's render
// draws; a page with anything else on it is rendered.
TEST(IngestTest, AScannedPageIsDecodedFromItsJpegAsPopplerDrawsIt) {
  const char* src = std::getenv("PINGCHA_SOURCE_DIR");
  std::ifstream in(fs::path(src ? src : ".") / "tests/data/red_print/letterhead/0001.jpg", std::ios::binary);
  const std::string jpeg((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(jpeg.size(), 1000u);
  auto dir = TempDir("scan");
  WriteFile(dir / "scan.pdf", ScanPdf(jpeg, 1654, 561, ""));
  WriteFile(dir / "drawn.pdf", ScanPdf(jpeg, 1654, 561, "0 0 m 100 100 l S"));  // a stroke over the scan
  WriteFile(dir / "cut.pdf", ScanPdf(jpeg.substr(0, jpeg.size() / 2), 1654, 561, ""));

  ScannedPages scan((dir / "scan.pdf").string());
  auto decoded = scan.Decode(0, 200);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->width, 1654);
  EXPECT_EQ(decoded->height, 561);
  EXPECT_EQ(decoded->dpi, 200);
  auto larger = scan.Decode(0, 300);  // scaled to the resolution asked for
  ASSERT_TRUE(larger.has_value());
  EXPECT_EQ(larger->width, 2481);
  EXPECT_EQ(larger->height, 842);
  EXPECT_FALSE(ScannedPages((dir / "drawn.pdf").string()).Decode(0, 200).has_value());
  EXPECT_FALSE(ScannedPages((dir / "cut.pdf").string()).Decode(0, 200).has_value());  // libjpeg warns

  // Poppler's render of the page with a short stroke in its corner: the
  // same picture, resampled by a fraction of a pixel (measured 2.3 levels
  // apart on average; the scan against white paper is 29 apart).
  auto drawn = Open((dir / "drawn.pdf").string(), Limits{});
  ASSERT_TRUE(drawn.ok()) << drawn.status().ToString();
  auto rendered = drawn.value()->RenderPage(0, 200);
  ASSERT_TRUE(rendered.ok()) << rendered.status().ToString();
  EXPECT_LT(MeanDifference(*decoded, *rendered), 3.0);
  auto rendered_larger = drawn.value()->RenderPage(0, 300);
  ASSERT_TRUE(rendered_larger.ok());
  EXPECT_LT(MeanDifference(*larger, *rendered_larger), 3.0);  // same size, same picture

  // Through the source, the scan is the decoded image.
  auto opened = Open((dir / "scan.pdf").string(), Limits{});
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  auto page = opened.value()->RenderPage(0, 200);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(MeanDifference(*decoded, *page), 0.0);
}

// The one-pass scaling gives Leptonica's bytes: a real scan (colour and its
// grey) at the factors scans meet — linear: 150, 170 and 203 dpi to 200,
// 200 to 300, a mild reduction, unequal factors; area mapping: 300, 400 and
// 600 dpi to 200, unequal — and leaves its special cases to it.
TEST(IngestTest, ScalingInOnePassIsLeptonicasScaling) {
  const char* src = std::getenv("PINGCHA_SOURCE_DIR");
  const std::string file = (fs::path(src ? src : ".") / "tests/data/red_print/letterhead/0001.jpg").string();
  std::unique_ptr<PIX, void (*)(PIX*)> colour(pixRead(file.c_str()), [](PIX* p) { pixDestroy(&p); });
  ASSERT_TRUE(colour);
  ASSERT_EQ(pixGetDepth(colour.get()), 32);
  // An odd-sized piece, so the last row and column take their own branch.
  BOX* box = boxCreate(7, 3, 601, 333);
  std::unique_ptr<PIX, void (*)(PIX*)> piece(pixClipRectangle(colour.get(), box, nullptr), [](PIX* p) { pixDestroy(&p); });
  boxDestroy(&box);
  std::unique_ptr<PIX, void (*)(PIX*)> grey(pixConvertRGBToLuminance(piece.get()), [](PIX* p) { pixDestroy(&p); });
  const std::pair<float, float> factors[] = {{200.f / 150, 200.f / 150}, {200.f / 170, 200.f / 170}, {200.f / 203, 200.f / 203},
                                             {1.5f, 1.5f}, {0.75f, 0.75f}, {1.31f, 0.92f}, {3.0f, 3.0f},
                                             {200.f / 300, 200.f / 300}, {0.5001f, 0.5001f}, {200.f / 600, 200.f / 600},
                                             {0.45f, 0.62f}, {0.69f, 0.3f}};
  for (PIX* pix : {piece.get(), grey.get()}) {
    const Image bytes = ImageOf(pix);
    for (const auto& [sx, sy] : factors) {
      std::unique_ptr<PIX, void (*)(PIX*)> ref(pixScaleGeneral(pix, sx, sy, 0.0f, 0), [](PIX* p) { pixDestroy(&p); });
      ASSERT_TRUE(ref);
      const Image expected = RgbFromPix(ref.get(), 200);
      for (bool vectors : {true, false}) {
        auto got = ScaleToRgb(bytes, sx, sy, 200, vectors);
        ASSERT_TRUE(got.has_value()) << sx << " x " << sy;
        EXPECT_EQ(got->width, expected.width);
        EXPECT_EQ(got->height, expected.height);
        EXPECT_EQ(got->channels, 3);
        EXPECT_TRUE(got->pixels == expected.pixels) << "depth " << pixGetDepth(pix) << ", " << sx << " x " << sy
                                                    << (vectors ? "" : ", value by value")
                                                    << ": mean difference " << MeanDifference(*got, expected);
      }
    }
    EXPECT_FALSE(ScaleToRgb(bytes, 2.0f, 2.0f, 200).has_value());
    EXPECT_FALSE(ScaleToRgb(bytes, 1.0f, 1.0f, 200).has_value());
    EXPECT_FALSE(ScaleToRgb(bytes, 0.5f, 0.5f, 200).has_value());  // Leptonica's 2× reduction
  }
}

// libjpeg straight into our image gives the pixels Leptonica's JPEG reader
// gives, colour and grey (and the resolution it reads); damaged data — cut
// short — is refused, where Leptonica warns.
TEST(IngestTest, JpegDecodesAsLeptonicasReader) {
  const char* src = std::getenv("PINGCHA_SOURCE_DIR");
  const std::string file = (fs::path(src ? src : ".") / "tests/data/red_print/letterhead/0001.jpg").string();
  std::ifstream in(file, std::ios::binary);
  const std::string colour((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(colour.size(), 1000u);
  // A grey JPEG made from it by Leptonica, 300 dpi stated.
  std::unique_ptr<PIX, void (*)(PIX*)> pix(pixReadMemJpeg(reinterpret_cast<const l_uint8*>(colour.data()), colour.size(), 0, 1, nullptr, 0),
                                           [](PIX* p) { pixDestroy(&p); });
  ASSERT_TRUE(pix);
  std::unique_ptr<PIX, void (*)(PIX*)> luminance(pixConvertRGBToLuminance(pix.get()), [](PIX* p) { pixDestroy(&p); });
  pixSetResolution(luminance.get(), 300, 300);
  l_uint8* grey_bytes = nullptr;
  size_t grey_size = 0;
  ASSERT_EQ(pixWriteMemJpeg(&grey_bytes, &grey_size, luminance.get(), 80, 0), 0);
  const std::string grey(reinterpret_cast<const char*>(grey_bytes), grey_size);
  lept_free(grey_bytes);
  for (const std::string* jpeg : {&colour, &grey}) {
    const auto* data = reinterpret_cast<const std::uint8_t*>(jpeg->data());
    l_int32 warnings = 0;
    std::unique_ptr<PIX, void (*)(PIX*)> ref(pixReadMemJpeg(data, jpeg->size(), 0, 1, &warnings, 0), [](PIX* p) { pixDestroy(&p); });
    ASSERT_TRUE(ref);
    ASSERT_EQ(warnings, 0);
    auto got = DecodeJpeg(data, jpeg->size());
    ASSERT_TRUE(got.has_value());
    const Image expected = ImageOf(ref.get());
    EXPECT_EQ(got->image.channels, jpeg == &colour ? 3 : 1);
    EXPECT_EQ(got->image.width, expected.width);
    EXPECT_EQ(got->image.height, expected.height);
    EXPECT_TRUE(got->image.pixels == expected.pixels);
    EXPECT_EQ(got->xres, pixGetXRes(ref.get()));
    // Cut short: Leptonica warns, we refuse.
    const std::size_t cut = jpeg->size() * 2 / 3;
    l_int32 cut_warnings = 0;
    std::unique_ptr<PIX, void (*)(PIX*)> damaged(pixReadMemJpeg(data, cut, 0, 1, &cut_warnings, 0), [](PIX* p) { pixDestroy(&p); });
    EXPECT_GT(cut_warnings, 0);
    EXPECT_FALSE(DecodeJpeg(data, cut).has_value());
  }
  EXPECT_EQ(DecodeJpeg(reinterpret_cast<const std::uint8_t*>(grey.data()), grey.size())->xres, 300);
  // Junk before the end marker: libjpeg warns after the last row; Leptonica
  // counts no warning there, and the pixels are taken.
  std::string padded = grey;
  padded.insert(padded.size() - 2, std::string(200, 'x'));
  l_int32 padded_warnings = 0;
  std::unique_ptr<PIX, void (*)(PIX*)> padded_ref(
      pixReadMemJpeg(reinterpret_cast<const l_uint8*>(padded.data()), padded.size(), 0, 1, &padded_warnings, 0), [](PIX* p) { pixDestroy(&p); });
  ASSERT_TRUE(padded_ref);
  EXPECT_EQ(padded_warnings, 0);
  auto padded_got = DecodeJpeg(reinterpret_cast<const std::uint8_t*>(padded.data()), padded.size());
  ASSERT_TRUE(padded_got.has_value());
  EXPECT_TRUE(padded_got->image.pixels == ImageOf(padded_ref.get()).pixels);
  // A header claiming 60000 × 60000 pixels is refused before any allocation
  // (Leptonica refuses it too).
  std::string huge = grey;
  const std::size_t sof = huge.find("\xFF\xC0");
  ASSERT_NE(sof, std::string::npos);
  for (std::size_t at : {sof + 5, sof + 7}) huge[at] = static_cast<char>(0xEA), huge[at + 1] = static_cast<char>(0x60);
  EXPECT_FALSE(DecodeJpeg(reinterpret_cast<const std::uint8_t*>(huge.data()), huge.size()).has_value());
  EXPECT_FALSE(DecodeJpeg(reinterpret_cast<const std::uint8_t*>("not a jpeg at all"), 17).has_value());
}

}  // namespace
}  // namespace pingcha::ingest
