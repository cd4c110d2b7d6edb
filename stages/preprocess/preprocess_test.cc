#include "stages/preprocess/preprocess.h"
#include "tests/support/lept_image.h"

#include <gtest/gtest.h>
#include <leptonica/allheaders.h>

#include <cmath>
#include <cstdlib>
#include <string>
#include <utility>

namespace pingcha::preprocess {
namespace {

Image Page(int w, int h, std::uint8_t r, std::uint8_t g, std::uint8_t b) {
  Image img;
  img.width = w;
  img.height = h;
  img.channels = 3;
  img.dpi = 100;
  img.pixels.resize(static_cast<std::size_t>(w) * h * 3);
  for (std::size_t i = 0; i < img.pixels.size(); i += 3) {
    img.pixels[i] = r;
    img.pixels[i + 1] = g;
    img.pixels[i + 2] = b;
  }
  return img;
}

void Fill(Image& img, int x0, int y0, int x1, int y1, std::uint8_t r, std::uint8_t g, std::uint8_t b) {
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) {
      auto* p = img.pixels.data() + (static_cast<std::size_t>(y) * img.width + x) * 3;
      p[0] = r; p[1] = g; p[2] = b;
    }
}

TEST(PreprocessTest, WhitePageIsBlank) {
  auto stats = Measure(Page(400, 560, 250, 248, 240));
  EXPECT_TRUE(stats.blank);
}

TEST(PreprocessTest, PageWithTextIsNotBlank) {
  auto img = Page(400, 560, 255, 255, 255);
  for (int row = 0; row < 20; ++row) Fill(img, 60, 60 + row * 20, 340, 66 + row * 20, 20, 20, 20);
  auto stats = Measure(img);
  EXPECT_FALSE(stats.blank);
  EXPECT_GT(stats.ink_ratio, 0.01);
}

TEST(PreprocessTest, A落款AndASealAloneAreNotBlank) {
  // The last page of a decision: two short lines and the seal over them.
  auto img = Page(400, 560, 255, 255, 255);
  Fill(img, 200, 60, 300, 61, 20, 20, 20);
  Fill(img, 210, 70, 290, 71, 20, 20, 20);
  auto text_only = Measure(img);
  EXPECT_FALSE(text_only.blank) << text_only.ink_ratio;
  auto img2 = Page(400, 560, 255, 255, 255);
  for (int k = 0; k < 40; ++k) Fill(img2, 220 + k, 40, 221 + k, 80, 220, 30, 40);  // a seal's red
  EXPECT_FALSE(Measure(img2).blank);
}

TEST(PreprocessTest, GreyScanHasNoColour) {
  auto img = Page(400, 560, 200, 200, 200);
  Fill(img, 60, 60, 200, 100, 30, 30, 30);
  EXPECT_TRUE(Measure(img).grey_only);
  Fill(img, 200, 300, 280, 380, 220, 30, 40);  // a red seal
  EXPECT_FALSE(Measure(img).grey_only);
}

TEST(PreprocessTest, RedInkDropsOutOfOcrImage) {
  auto img = Page(100, 100, 255, 255, 255);
  Fill(img, 10, 10, 30, 30, 220, 30, 40);   // red seal ink
  Fill(img, 50, 50, 70, 70, 20, 20, 20);    // black text
  Image red = RedChannel(img);
  EXPECT_GT(red.pixels[20 * 100 + 20], 200);  // seal is near white
  EXPECT_LT(red.pixels[60 * 100 + 60], 40);   // text stays dark
}

TEST(PreprocessTest, RotationMovesCorners) {
  auto img = Page(4, 2, 255, 255, 255);
  Fill(img, 0, 0, 1, 1, 0, 0, 0);  // top-left black
  auto r90 = RotateImage(img, 90);
  ASSERT_EQ(r90.width, 2);
  ASSERT_EQ(r90.height, 4);
  EXPECT_EQ(r90.at(1, 0)[0], 0);  // top-left goes to top-right when turned clockwise
  auto r180 = RotateImage(img, 180);
  EXPECT_EQ(r180.at(3, 1)[0], 0);
  auto r270 = RotateImage(img, 270);
  EXPECT_EQ(r270.at(0, 3)[0], 0);
}

TEST(PreprocessTest, PrepareGivesUprightGrey) {
  auto img = Page(300, 400, 255, 255, 255);
  for (int row = 0; row < 10; ++row) Fill(img, 30, 40 + row * 30, 270, 48 + row * 30, 10, 10, 10);
  auto prepared = Prepare(img, 90);
  EXPECT_EQ(prepared.grey.channels, 1);
  EXPECT_EQ(prepared.grey.width, 400);
  EXPECT_EQ(prepared.grey.height, 300);
}

}  // namespace
}  // namespace pingcha::preprocess

namespace pingcha::preprocess {
namespace {

Image GreyPage(int w, int h) {
  Image img;
  img.width = w;
  img.height = h;
  img.channels = 1;
  img.dpi = 100;
  img.pixels.assign(static_cast<std::size_t>(w) * h, 245);
  return img;
}

void Ink(Image& img, int x0, int y0, int x1, int y1) {
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) img.pixels[static_cast<std::size_t>(y) * img.width + x] = 20;
}

TEST(IsolatedMarksTest, APageNumberAloneInTheMarginIsFound) {
  Image img = GreyPage(800, 1100);
  // "12" at the bottom right: two glyph-sized strokes close together.
  Ink(img, 700, 1040, 704, 1058);
  Ink(img, 708, 1040, 716, 1058);
  // A line of text at the bottom left: glyphs side by side, not isolated.
  for (int k = 0; k < 10; ++k) Ink(img, 60 + k * 22, 1000, 78 + k * 22, 1018);
  auto marks = IsolatedMarks(img, {0, 0.88, 1, 1});
  ASSERT_EQ(marks.size(), 1u);
  EXPECT_NEAR(marks[0].x0, 700.0 / 800, 1e-6);
  EXPECT_NEAR(marks[0].x1, 716.0 / 800, 1e-6);
}

TEST(IsolatedMarksTest, SpecksAroundAPageNumberLeaveItAlone) {
  Image img = GreyPage(800, 1100);
  Ink(img, 700, 1040, 712, 1058);  // "5"
  for (int k = 0; k < 6; ++k) Ink(img, 640 + k * 25, 1045 + (k % 3) * 4, 642 + k * 25, 1047 + (k % 3) * 4);
  auto marks = IsolatedMarks(img, {0, 0.88, 1, 1});
  ASSERT_EQ(marks.size(), 1u);
  EXPECT_NEAR(marks[0].x0, 700.0 / 800, 1e-6);
}

TEST(IsolatedMarksTest, ALightDigitBrokenAtTheThresholdIsOneMark) {
  Image img = GreyPage(800, 1100);
  // A "2" printed light: its curve and its foot come apart at the threshold.
  Ink(img, 700, 1040, 712, 1052);
  Ink(img, 700, 1055, 712, 1058);
  auto marks = IsolatedMarks(img, {0, 0.88, 1, 1});
  ASSERT_EQ(marks.size(), 1u);
  EXPECT_NEAR(marks[0].y0, 1040.0 / 1100, 1e-6);
  EXPECT_NEAR(marks[0].y1, 1058.0 / 1100, 1e-6);
}

TEST(IsolatedMarksTest, RulesAndSpecksAreNotMarks) {
  Image img = GreyPage(800, 1100);
  Ink(img, 50, 1030, 750, 1032);  // a rule
  Ink(img, 400, 1060, 402, 1062);  // a speck
  EXPECT_TRUE(IsolatedMarks(img, {0, 0.88, 1, 1}).empty());
}

TEST(UncoveredTextTest, ALineNoReadingCoversIsFound) {
  Image img = GreyPage(800, 1100);
  const double line_h = 20.0 / 1100;
  // Two lines of six glyphs; the first was read, the second was dropped.
  for (int k = 0; k < 6; ++k) Ink(img, 60 + k * 22, 300, 76 + k * 22, 318);
  for (int k = 0; k < 6; ++k) Ink(img, 60 + k * 22, 500, 76 + k * 22, 518);
  // A table rule and a lone speck are not text; nor are the upright rules
  // of a table round the dropped line, one close to its first glyph.
  Ink(img, 40, 700, 760, 702);
  Ink(img, 400, 800, 403, 803);
  Ink(img, 50, 430, 53, 640);
  Ink(img, 300, 430, 302, 640);
  std::vector<BBox> read{{60.0 / 800, 300.0 / 1100, 186.0 / 800, 318.0 / 1100}};
  auto missed = UncoveredText(img, read, line_h);
  ASSERT_EQ(missed.size(), 1u);
  EXPECT_NEAR(missed[0].y0, 500.0 / 1100, 0.01);
  EXPECT_NEAR(missed[0].x0, 60.0 / 800, 0.01);
  EXPECT_NEAR(missed[0].x1, 186.0 / 800, 0.01);
  read.push_back(missed[0]);
  EXPECT_TRUE(UncoveredText(img, read, line_h).empty());
}

}  // namespace
}  // namespace pingcha::preprocess

namespace pingcha::preprocess {
namespace {

// A picture of tests/data as Leptonica reads it (nullptr when missing).
PIX* ReadData(const std::string& rel) {
  const char* src = std::getenv("PINGCHA_SOURCE_DIR");
  return pixRead((std::string(src ? src : ".") + "/tests/data/" + rel).c_str());
}

using testdata::ImageOf;

// How many pixels of a grey image differ from an 8 bpp one of its size.
int Differing(const Image& got, PIX* expected) {
  int n = 0;
  for (int y = 0; y < got.height; ++y)
    for (int x = 0; x < got.width; ++x) {
      l_uint32 v = 0;
      pixGetPixel(expected, x, y, &v);
      n += got.pixels[static_cast<std::size_t>(y) * got.width + x] != v;
    }
  return n;
}

// The rotation that deskews a page gives Leptonica's area-map rotation to
// the byte, on a real scan, for small and larger angles either way, and on
// odd sizes (the centre falls between pixels).
TEST(RotateGreyTest, IsLeptonicasAreaMapRotation) {
  PIX* colour = ReadData("red_print/letterhead/0001.jpg");
  ASSERT_NE(colour, nullptr);
  PIX* whole = pixConvertRGBToLuminance(colour);
  pixDestroy(&colour);
  for (const auto& [w, h] : {std::pair{pixGetWidth(whole), pixGetHeight(whole)}, std::pair{777, 401}}) {
    BOX* box = boxCreate(0, 0, w, h);
    PIX* pix = pixClipRectangle(whole, box, nullptr);
    boxDestroy(&box);
    const Image grey = ImageOf(pix);
    for (double degrees : {0.45, -0.8, 1.7, -3.2, 6.5, 9.9}) {
      const auto radians = static_cast<float>(degrees * M_PI / 180.0);
      PIX* turned = pixRotate(pix, radians, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0);
      ASSERT_NE(turned, nullptr);
      for (bool vectors : {true, false}) {
        const Image got = RotateGrey(grey, radians, vectors);
        ASSERT_EQ(got.width, pixGetWidth(turned));
        ASSERT_EQ(got.height, pixGetHeight(turned));
        EXPECT_EQ(Differing(got, turned), 0) << grey.width << "x" << grey.height << " by " << degrees << "°"
                                             << (vectors ? "" : ", pixel by pixel");
      }
      pixDestroy(&turned);
    }
    EXPECT_TRUE(RotateGrey(grey, 0.0005f).pixels == grey.pixels);  // too small to turn
    pixDestroy(&pix);
  }
  pixDestroy(&whole);
}

}  // namespace
}  // namespace pingcha::preprocess

namespace pingcha::preprocess {
namespace {

// Prepare is Leptonica's chain — background flattened, black below 160 for
// the skew, turned by area map — whatever it does faster: the same bytes and
// skew as the chain made of Leptonica's own calls, on a real scan turned by
// a few small angles (so the skew is found and corrected; a whole page:
// a short one's skew is too unsure to correct).
TEST(PrepareTest, IsLeptonicasChainToTheByte) {
  PIX* colour = ReadData("upside_down_toc/0001.jpg");
  ASSERT_NE(colour, nullptr);
  int corrected = 0, left = 0;  // the page is scanned 2.5° askew: -2.5 straightens it
  for (double tilt : {0.0, 1.2, -2.5}) {
    PIX* turned = pixRotate(colour, static_cast<float>(tilt * M_PI / 180), L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0);
    const Image rgb = ImageOf(turned);
    pixDestroy(&turned);
    // The chain as Leptonica's calls.
    const Image red = RedChannel(rgb);
    PIX* grey = pixCreate(red.width, red.height, 8);
    for (int y = 0; y < red.height; ++y)
      for (int x = 0; x < red.width; ++x) pixSetPixel(grey, x, y, red.pixels[static_cast<std::size_t>(y) * red.width + x]);
    PIX* norm = pixBackgroundNorm(grey, nullptr, nullptr, 10, 15, 60, 40, 245, 2, 1);
    PIX* binary = pixConvertTo1(norm, 160);
    float angle = 0, conf = 0;
    ASSERT_EQ(pixFindSkew(binary, &angle, &conf), 0);
    const bool turn = conf > 2.0 && std::abs(angle) > 0.4 && std::abs(angle) < 10;
    PIX* expected = turn ? pixRotate(norm, static_cast<float>(angle * M_PI / 180.0), L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0)
                         : pixClone(norm);
    const Prepared got = Prepare(rgb, 0);
    EXPECT_EQ(got.skew_degrees, turn ? angle : 0.0) << "tilt " << tilt;
    (turn ? corrected : left) += 1;
    ASSERT_EQ(got.grey.width, pixGetWidth(expected));
    ASSERT_EQ(got.grey.height, pixGetHeight(expected));
    EXPECT_EQ(Differing(got.grey, expected), 0) << "tilt " << tilt;
    for (PIX* p : {grey, norm, binary, expected}) pixDestroy(&p);
  }
  EXPECT_EQ(corrected, 2);
  EXPECT_EQ(left, 1);
  pixDestroy(&colour);
}

}  // namespace
}  // namespace pingcha::preprocess
