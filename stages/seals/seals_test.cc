#include "stages/seals/seals.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace pingcha::seals {
namespace {

constexpr int kDpi = 150;
double Mm(double mm) { return mm / 25.4 * kDpi; }

Image WhitePage() {
  Image img;
  img.width = static_cast<int>(Mm(210));
  img.height = static_cast<int>(Mm(297));
  img.channels = 3;
  img.dpi = kDpi;
  img.pixels.assign(static_cast<std::size_t>(img.width) * img.height * 3, 245);
  return img;
}

void Put(Image& img, int x, int y, std::uint8_t r, std::uint8_t g, std::uint8_t b) {
  if (x < 0 || y < 0 || x >= img.width || y >= img.height) return;
  auto* p = img.pixels.data() + (static_cast<std::size_t>(y) * img.width + x) * 3;
  p[0] = r; p[1] = g; p[2] = b;
}

void Ring(Image& img, double cx_mm, double cy_mm, double rx_mm, double ry_mm, std::uint8_t r, std::uint8_t g,
          std::uint8_t b) {
  for (double a = 0; a < 2 * M_PI; a += 0.002)
    for (double t = 0; t < Mm(1.0); t += 0.5)
      Put(img, static_cast<int>(Mm(cx_mm) + (Mm(rx_mm) - t) * std::cos(a)),
          static_cast<int>(Mm(cy_mm) + (Mm(ry_mm) - t) * std::sin(a)), r, g, b);
  // some "ring text" blobs inside
  for (double a = -2.4; a < 2.4; a += 0.25)
    for (int dx = 0; dx < 6; ++dx)
      for (int dy = 0; dy < 6; ++dy)
        Put(img, static_cast<int>(Mm(cx_mm) + Mm(rx_mm * 0.75) * std::sin(a)) + dx,
            static_cast<int>(Mm(cy_mm) - Mm(ry_mm * 0.75) * std::cos(a)) + dy, r, g, b);
}

void Rect(Image& img, double x0, double y0, double x1, double y1, std::uint8_t r, std::uint8_t g, std::uint8_t b) {
  for (int y = static_cast<int>(Mm(y0)); y < Mm(y1); ++y)
    for (int x = static_cast<int>(Mm(x0)); x < Mm(x1); ++x) Put(img, x, y, r, g, b);
}

TEST(SealsTest, FindsRoundSealOfDarkOrFadedInk) {
  auto img = WhitePage();
  Ring(img, 150, 240, 21, 21, 200, 30, 40);   // dark red
  Ring(img, 60, 120, 20, 20, 240, 150, 160);  // faded, pinkish
  auto seals = FindSeals(img);
  ASSERT_EQ(seals.size(), 2u);
  EXPECT_EQ(seals[0].shape, "round");
  EXPECT_NEAR((seals[1].box.x0 + seals[1].box.x1) / 2, 150.0 / 210, 0.02);
  EXPECT_NEAR((seals[1].box.y0 + seals[1].box.y1) / 2, 240.0 / 297, 0.02);
}

TEST(SealsTest, FindsAWornSealWhoseRingBrokeInTwo) {
  auto img = WhitePage();
  Ring(img, 100, 200, 20, 20, 215, 150, 150);
  // Worn ink: a vertical band of 3 mm across the seal left no ink.
  for (int y = 0; y < img.height; ++y)
    for (int x = static_cast<int>(Mm(104)); x < Mm(107); ++x) Put(img, x, y, 255, 255, 255);
  auto seals = FindSeals(img);
  ASSERT_EQ(seals.size(), 1u);
  EXPECT_NEAR((seals[0].box.x0 + seals[0].box.x1) / 2, 100.0 / 210, 0.02);
}

TEST(SealsTest, FindsOvalSeal) {
  auto img = WhitePage();
  Ring(img, 100, 200, 24, 16, 210, 40, 50);
  auto seals = FindSeals(img);
  ASSERT_EQ(seals.size(), 1u);
  EXPECT_EQ(seals[0].shape, "oval");
}

TEST(SealsTest, LetterheadRuleTickAndUnderlineAreNotSeals) {
  auto img = WhitePage();
  Rect(img, 20, 15, 190, 30, 210, 30, 30);    // red letterhead text block
  Rect(img, 15, 34, 195, 35.2, 210, 30, 30);  // red rule
  for (int i = 0; i < 40; ++i) Rect(img, 100 + i * 0.2, 150 - (i < 15 ? -i * 0.3 : (i - 15) * 0.6), 101 + i * 0.2,
                                     151 - (i < 15 ? -i * 0.3 : (i - 15) * 0.6), 220, 40, 40);  // tick
  Rect(img, 40, 200, 120, 200.8, 220, 40, 40);  // underline
  EXPECT_TRUE(FindSeals(img).empty());
}

// A rectangular stamp (w × h mm, 1 mm border, two lines of text blobs)
// centred at (cx, cy) and turned by `deg`.
void TurnedStamp(Image& img, double cx, double cy, double w, double h, double deg) {
  const double a = deg * M_PI / 180, c = std::cos(a), s = std::sin(a);
  auto put = [&](double u, double v) {  // mm in the stamp's frame
    Put(img, static_cast<int>(Mm(cx + u * c - v * s)), static_cast<int>(Mm(cy + u * s + v * c)), 215, 60, 60);
  };
  for (double u = -w / 2; u <= w / 2; u += 0.1)
    for (double t = 0; t < 1.0; t += 0.1) put(u, -h / 2 + t), put(u, h / 2 - t);
  for (double v = -h / 2; v <= h / 2; v += 0.1)
    for (double t = 0; t < 1.0; t += 0.1) put(-w / 2 + t, v), put(w / 2 - t, v);
  for (double u = -w / 2 + 3; u < w / 2 - 4; u += 4.5)
    for (double du = 0; du < 3.5; du += 0.1)
      for (double dv = 0; dv < 3.5; dv += 0.1) put(u + du, -h / 4 - 1.5 + dv), put(u + du, h / 4 - 1.5 + dv);
}

TEST(SealsTest, FindsARectangularStampPressedAskew) {
  auto img = WhitePage();
  TurnedStamp(img, 150, 120, 36, 19, -20);  // a bank's 转讫, turned
  TurnedStamp(img, 60, 220, 36, 19, 0);
  auto seals = FindSeals(img);
  ASSERT_EQ(seals.size(), 2u);
  EXPECT_EQ(seals[0].shape, "rect");
  EXPECT_EQ(seals[1].shape, "rect");
  EXPECT_NEAR((seals[0].box.x0 + seals[0].box.x1) / 2, 150.0 / 210, 0.02);
}

TEST(SealsTest, ATurnedRedTextBlockIsNotAStamp) {
  auto img = WhitePage();
  // Red handwriting or a turned red word: ink without a border.
  for (double u = -18; u < 18; u += 4.5)
    for (double du = 0; du < 3.5; du += 0.1)
      for (double dv = 0; dv < 3.5; dv += 0.1) {
        const double a = -20 * M_PI / 180, x = u + du, y = dv;
        Put(img, static_cast<int>(Mm(100 + x * std::cos(a) - y * std::sin(a))),
            static_cast<int>(Mm(150 + x * std::sin(a) + y * std::cos(a))), 215, 60, 60);
      }
  EXPECT_TRUE(FindSeals(img).empty());
}

TEST(SealsTest, GreyPageHasNoSeals) {
  auto img = WhitePage();
  Ring(img, 150, 240, 21, 21, 90, 90, 90);
  EXPECT_TRUE(FindSeals(img).empty());
}

// A grey scan: one channel, paper 245.
Image GreyPage() {
  Image img = WhitePage();
  img.channels = 1;
  img.pixels.assign(static_cast<std::size_t>(img.width) * img.height, 245);
  return img;
}

// A line of print across a grey page: characters of black ink (3.5 × 4 mm,
// 1 mm apart) whose edges a blurred scan left mid-grey, one pixel wide.
void GreyPrintLine(Image& img, double x0_mm, double x1_mm, double y_mm) {
  for (double x = x0_mm; x + 3.5 <= x1_mm; x += 4.5) {
    const int ax = static_cast<int>(Mm(x)), bx = static_cast<int>(Mm(x + 3.5));
    const int ay = static_cast<int>(Mm(y_mm)), by = static_cast<int>(Mm(y_mm + 4));
    for (int y = ay - 1; y <= by; ++y)
      for (int xx = ax - 1; xx <= bx; ++xx) {
        const bool edge = y == ay - 1 || y == by || xx == ax - 1 || xx == bx;
        img.pixels[static_cast<std::size_t>(y) * img.width + xx] = edge ? 140 : 30;
      }
  }
}

std::uint8_t GreyAt(const Image& img, double x_mm, double y_mm) {
  return img.pixels[static_cast<std::size_t>(Mm(y_mm)) * img.width + static_cast<std::size_t>(Mm(x_mm))];
}

TEST(SealsTest, AGreyScansSealIsFoundThroughThePrintCrossingIt) {
  Image img = GreyPage();
  Image rgb = WhitePage();  // the ring drawn in colour, then taken as its grey
  Ring(rgb, 150, 240, 21, 21, 150, 150, 150);
  for (std::size_t i = 0; i < img.pixels.size(); ++i) img.pixels[i] = rgb.pixels[i * 3 + 1];
  // The agency's name and the date printed across the seal: each cuts the
  // border twice, and a blurred scan's print is not seal ink.
  GreyPrintLine(img, 110, 190, 236);
  GreyPrintLine(img, 120, 180, 244);
  GreyPrintLine(img, 20, 190, 60);  // body text, far from the seal
  const GreyInk ink = TintGreySealInk(img);
  ASSERT_EQ(ink.borders.channels, 3);
  const auto seals = FindSeals(ink.borders, kGreyBridgeMm);
  ASSERT_EQ(seals.size(), 1u);
  EXPECT_EQ(seals[0].shape, "round");
  EXPECT_NEAR((seals[0].box.x0 + seals[0].box.x1) / 2, 150.0 / 210, 0.01);
  EXPECT_NEAR((seals[0].box.y0 + seals[0].box.y1) / 2, 240.0 / 297, 0.01);
  // The border fitted on it, as on a colour scan.
  const RingFit fit = FitRing(ink.borders, seals[0].box);
  EXPECT_TRUE(fit.ok);
  EXPECT_NEAR(fit.rx, Mm(21), Mm(1));
  // Joined only across 4 mm, the arcs the print left stay apart: no seal.
  EXPECT_TRUE(FindSeals(ink.borders).empty());
}

TEST(SealsTest, AGreyScansPrintIsNotSealInk) {
  Image img = GreyPage();
  for (double y = 30; y < 270; y += 8) GreyPrintLine(img, 20, 190, y);
  const GreyInk ink = TintGreySealInk(img);
  EXPECT_TRUE(FindSeals(ink.borders, kGreyBridgeMm).empty());
  EXPECT_TRUE(FindSeals(ink.rings, kGreyBridgeMm).empty());
  std::size_t inked = 0;
  for (auto v : ink.ink) inked += v;
  EXPECT_EQ(inked, 0u);
}

// Faded print: characters of bold strokes, 0.9 mm wide, in mid grey (no black
// core), four strokes each, lines 6 mm apart — a paragraph block. Its
// characters stand apart: no stroke runs the 10 mm a seal's border does.
void FadedPrint(Image& img, double x0_mm, double x1_mm, double y0_mm, double y1_mm) {
  auto put = [&](double x, double y) {
    const int px = static_cast<int>(Mm(x)), py = static_cast<int>(Mm(y));
    if (px >= 0 && py >= 0 && px < img.width && py < img.height) img.pixels[static_cast<std::size_t>(py) * img.width + px] = 110;
  };
  for (double y = y0_mm; y + 4 <= y1_mm; y += 6)
    for (double x = x0_mm; x + 4 <= x1_mm; x += 4.5)
      for (double t = 0; t < 0.9; t += 0.1)
        for (double u = 0; u < 4; u += 0.1) {
          put(x + u, y + t), put(x + u, y + 2 + t), put(x + u, y + 3.5 + t);  // three across
          put(x + 1.8 + t, y + u);                                             // one down
        }
}

TEST(SealsTest, AFadedParagraphOnAGreyScanIsNoSeal) {
  Image img = GreyPage();
  FadedPrint(img, 20, 190, 40, 120);
  FadedPrint(img, 120, 180, 200, 240);  // a block of seal size
  const GreyInk ink = TintGreySealInk(img);
  EXPECT_TRUE(FindSeals(ink.borders, kGreyBridgeMm).empty());
}

TEST(SealsTest, AGreyScansSealIsDroppedAndThePrintUnderItKept) {
  Image img = GreyPage();
  Image rgb = WhitePage();
  Ring(rgb, 100, 100, 21, 21, 150, 150, 150);
  for (std::size_t i = 0; i < img.pixels.size(); ++i) img.pixels[i] = rgb.pixels[i * 3 + 1];
  GreyPrintLine(img, 60, 140, 96);
  // Print the seal was pressed over: inked over, a darker grey than the seal.
  const int y = static_cast<int>(Mm(100.5)), x0 = static_cast<int>(Mm(78.6)), x1 = static_cast<int>(Mm(79.6));
  for (int x = x0; x <= x1; ++x)
    for (int dy = -3; dy <= 3; ++dy) img.pixels[static_cast<std::size_t>(y + dy) * img.width + x] = 85;
  const GreyInk ink = TintGreySealInk(img);
  const auto seals = FindSeals(ink.borders, kGreyBridgeMm);
  ASSERT_EQ(seals.size(), 1u);
  const Image dropped = DropTintedInk(img, ink, seals);
  ASSERT_EQ(dropped.channels, 1);
  EXPECT_EQ(GreyAt(img, 100, 79.4), 150);                // the ring's top, away from print
  EXPECT_GE(GreyAt(dropped, 100, 79.4), ink.paper - 1);  // dropped to paper
  EXPECT_LE(GreyAt(dropped, 102, 98), 40);               // print crossing the seal stays
  EXPECT_EQ(GreyAt(dropped, 79.1, 100.5), 85);           // and print under it
  // Nothing outside the seal's box changes.
  EXPECT_EQ(GreyAt(dropped, 20, 20), GreyAt(img, 20, 20));
}

TEST(SealsTest, UnwrapsRingIntoStrip) {
  auto img = WhitePage();
  Ring(img, 100, 100, 21, 21, 200, 30, 40);
  BBox box{79.0 / 210, 79.0 / 297, 121.0 / 210, 121.0 / 297};
  Image strip = UnwrapRing(img, FitRing(img, box));
  EXPECT_EQ(strip.channels, 1);
  EXPECT_GT(strip.width, strip.height * 3);
  int dark = 0;
  for (auto v : strip.pixels) dark += v < 128;
  EXPECT_GT(dark, 0);  // the text blobs come through
}

// A handwritten name: a blue wavy stroke from x0, `width` long, about y.
void ScribbleAt(Image& img, double x0, double width, double y_mid, double wave) {
  for (double t = 0; t < 1; t += 0.0005) {
    double x = x0 + width * t, y = y_mid + wave * std::sin(t * 40);
    Put(img, static_cast<int>(x * img.width), static_cast<int>(y * img.height), 20, 30, 90);
    Put(img, static_cast<int>(x * img.width) + 1, static_cast<int>(y * img.height), 20, 30, 90);
  }
}

// A handwritten name right of a label at y ≈ 0.81.
void Scribble(Image& img) { ScribbleAt(img, 0.32, 0.15, 0.81, 0.006); }

// A label word from x 0.1 to `label_x1` at y 0.8–0.82, then one more word.
TextLine LabelThenWord(const std::string& label, double label_x1, const std::string& word, BBox box, double conf) {
  TextLine line;
  line.text = label + word;
  line.box = {0.1, 0.8, box.x1, 0.82};
  line.words.push_back({label, {0.1, 0.8, label_x1, 0.82}, 0.95});
  line.words.push_back({word, box, conf});
  return line;
}

// A read line that is one confident word.
TextLine OneWordLine(const std::string& text, BBox box) {
  TextLine line;
  line.text = text;
  line.box = box;
  line.words.push_back({text, box, 0.95});
  return line;
}

TEST(SealsTest, SignatureAreaWithAndWithoutInk) {
  auto img = WhitePage();
  TextLine line = OneWordLine("被询问人签名：", {0.1, 0.8, 0.3, 0.82});
  auto areas = FindSignatureAreas(img, {line});
  ASSERT_EQ(areas.size(), 1u);
  EXPECT_EQ(areas[0].role, "party");
  EXPECT_FALSE(areas[0].present);
  // A scribble right of the label.
  Scribble(img);
  areas = FindSignatureAreas(img, {line});
  ASSERT_EQ(areas.size(), 1u);
  EXPECT_TRUE(areas[0].present);
}

// `lines` hold one signature area: blank on a white page, signed once a
// scribble (ScribbleAt's arguments) is drawn.
void ExpectBlankThenSigned(Image& img, const std::vector<TextLine>& lines, double x0, double width, double y_mid,
                           double wave) {
  auto areas = FindSignatureAreas(img, lines);
  ASSERT_EQ(areas.size(), 1u);
  EXPECT_FALSE(areas[0].present);
  ScribbleAt(img, x0, width, y_mid, wave);
  areas = FindSignatureAreas(img, lines);
  ASSERT_EQ(areas.size(), 1u);
  EXPECT_TRUE(areas[0].present);
}

// A tall table cell: the signature three lines below its label (送达回证's
// 受送达人签名（盖章）, seed 97), its scribble read as unsure words.
TEST(SealsTest, ASignatureLowInATallCellIsFound) {
  auto img = WhitePage();
  TextLine label = OneWordLine("受送达人签名（盖章）", {0.1, 0.383, 0.3, 0.398});
  ExpectBlankThenSigned(img, {label}, 0.54, 0.13, 0.444, 0.007);
}

// The scribble read as characters glued to the cell's printed date, one
// confident line ("全一到2021年11月2日", seed 89's 送达回证): the line is the
// cell's, and only its date is print.
TEST(SealsTest, ASignatureReadIntoTheCellsDateIsFound) {
  auto img = WhitePage();
  TextLine label = OneWordLine("受送达人签名（盖章）", {0.1, 0.383, 0.3, 0.398});
  TextLine dated = OneWordLine("全一到2021年11月2日", {0.54, 0.41, 0.86, 0.428});
  ExpectBlankThenSigned(img, {label, dated}, 0.54, 0.1, 0.419, 0.006);
  // The scribble read as Latin letters before the date (seed 7's 送达回证):
  // a run of letters is one mark, not five characters of print.
  auto latin = WhitePage();
  ExpectBlankThenSigned(latin, {label, OneWordLine("Speed 2021年7月5日", {0.54, 0.41, 0.86, 0.428})}, 0.54, 0.1, 0.419,
                        0.006);
  // A printed label before the date (日期：) stays print: the same ink under it is not a signature.
  TextLine labelled = OneWordLine("日期：2021年11月2日", {0.54, 0.41, 0.86, 0.428});
  auto areas = FindSignatureAreas(img, {label, labelled});
  ASSERT_EQ(areas.size(), 1u);
  EXPECT_FALSE(areas[0].present);
}

TEST(SealsTest, SignatureLabelWith签Misread) {
  auto img = WhitePage();
  auto labelled = [&](const std::string& text) {
    return FindSignatureAreas(img, {OneWordLine(text, {0.1, 0.8, 0.3, 0.82})}).size();
  };
  // Blank: a misread label never proves a signature missing.
  EXPECT_EQ(labelled("被检查人笠名:"), 0u);
  EXPECT_EQ(labelled("被检查人签名:"), 1u);
  EXPECT_EQ(labelled("被检查单位负责人签收:"), 1u);  // a rectification notice
  EXPECT_EQ(labelled("陈述申辩人签名:"), 1u);
  EXPECT_EQ(labelled("当事人或其委托代理人签名:"), 1u);
  EXPECT_EQ(labelled("当事人姓名:张三"), 0u);   // a name field, not a signature
  EXPECT_EQ(labelled("被检查人名称:某公司"), 0u);
  EXPECT_EQ(labelled("陈壕申状人答名，"), 0u);  // garbled label, blank: proves nothing
  EXPECT_EQ(labelled("关达人签名"), 0u);
  // Signed: a scribble right of the misread label counts.
  Scribble(img);
  EXPECT_EQ(labelled("当事人(等名):"), 1u);
  EXPECT_EQ(labelled("被检查单位负责人等收:"), 1u);  // 签收 misread
  EXPECT_EQ(labelled("被询问人答旬，"), 1u);
  EXPECT_EQ(labelled("陈壕申状人答名，"), 1u);  // 陈述申辩人签名, two characters garbled
  EXPECT_EQ(labelled("陈述中瑚人签名"), 1u);
  EXPECT_EQ(labelled("关达人签名"), 1u);  // 受送达人签名, 受 lost and 送 misread
  EXPECT_EQ(labelled("当事人等):"), 1u);
  EXPECT_EQ(labelled("被复查单位负责人签名:"), 1u);
  // A look-alike followed by a word is a sentence, not a label.
  EXPECT_EQ(labelled("当事人答辩称其不知情"), 0u);
  EXPECT_EQ(labelled("当事人等有关人员"), 0u);
}

TEST(SealsTest, ASignatureReadAsWordsOnTheLabelLineIsInk) {
  auto img = WhitePage();
  // The recogniser read the scribble as confident "words" after the label.
  Scribble(img);
  TextLine line = LabelThenWord("当事人(签名):", 0.3, "一产汪一", {0.32, 0.8, 0.47, 0.82}, 0.9);
  auto areas = FindSignatureAreas(img, {line});
  ASSERT_EQ(areas.size(), 1u);
  EXPECT_TRUE(areas[0].present);
  // One confident "一" as wide as the whole name: a stroke, not print.
  line.words.back() = {"一", {0.32, 0.8, 0.47, 0.82}, 0.93};
  areas = FindSignatureAreas(img, {line});
  ASSERT_EQ(areas.size(), 1u);
  EXPECT_TRUE(areas[0].present);
}

TEST(SealsTest, AGreyScansSpecksAreNoSignature) {
  auto img = WhitePage();
  TextLine line = OneWordLine("受送达人签名（盖章）", {0.1, 0.8, 0.3, 0.82});
  // Specks of one or two pixels all over the blank cell.
  for (int k = 0; k < 600; ++k) {
    const int x = static_cast<int>((0.31 + 0.4 * ((k * 37) % 100) / 100.0) * img.width);
    const int y = static_cast<int>((0.79 + 0.06 * ((k * 53) % 97) / 97.0) * img.height);
    Put(img, x, y, 60, 60, 60);
    if (k % 2) Put(img, x + 1, y, 60, 60, 60);
  }
  auto areas = FindSignatureAreas(img, {line});
  ASSERT_EQ(areas.size(), 1u);
  EXPECT_FALSE(areas[0].present);
  Scribble(img);
  EXPECT_TRUE(FindSignatureAreas(img, {line})[0].present);
}

TEST(SealsTest, TheNextLabelsSignatureIsNotThisOnes) {
  auto img = WhitePage();
  // 被核查人签名 blank; 核查人员签名 on the next line, signed.
  TextLine party = OneWordLine("被核查人签名:", {0.1, 0.77, 0.3, 0.785});
  TextLine officer = OneWordLine("核查人员签名:", {0.1, 0.80, 0.3, 0.82});
  Scribble(img);
  auto areas = FindSignatureAreas(img, {party, officer});
  ASSERT_EQ(areas.size(), 2u);
  EXPECT_EQ(areas[0].role, "party");
  EXPECT_FALSE(areas[0].present);
  EXPECT_TRUE(areas[1].present);
  // The same with the officers' 签 misread on a washed-out scan (核查人员答名),
  // their signature read as words and the line unsure: still the next label.
  TextLine garbled = OneWordLine("核查人员答名:六盖戎2021年4月13日", {0.1, 0.80, 0.6, 0.82});
  garbled.words[0].confidence = 0.6;
  areas = FindSignatureAreas(img, {party, garbled});
  ASSERT_GE(areas.size(), 1u);
  EXPECT_EQ(areas[0].role, "party");
  EXPECT_FALSE(areas[0].present);
}

TEST(SealsTest, ASignatureGluedToTheLabelsColonIsFound) {
  auto img = WhitePage();
  // A short signature right after the colon; OCR glued the colon to it (":一").
  for (double t = 0; t < 1; t += 0.0002)
    for (int k = 0; k < 4; ++k) {
      double x = 0.302 + 0.026 * t, y = 0.81 + 0.007 * std::sin(t * 25 + k);
      Put(img, static_cast<int>(x * img.width) + k, static_cast<int>(y * img.height), 20, 30, 90);
    }
  TextLine line = LabelThenWord("当事人(签名)", 0.28, ":一", {0.30, 0.8, 0.36, 0.82}, 0.36);
  auto areas = FindSignatureAreas(img, {line});
  ASSERT_EQ(areas.size(), 1u);
  EXPECT_TRUE(areas[0].present);
}

TEST(SealsTest, TheNextTableRowIsNotTheSignature) {
  auto img = WhitePage();
  TextLine label = OneWordLine("受送达人签名（盖章）", {0.1, 0.80, 0.3, 0.815});
  // The row's bottom rule, then the next row's printed words read with low
  // confidence: inside the area's reach, but not in the label's row.
  Rect(img, 15, 0.83 * 297, 195, 0.83 * 297 + 0.4, 20, 20, 20);
  Rect(img, 70, 0.836 * 297, 110, 0.845 * 297, 20, 20, 20);
  TextLine next = OneWordLine("送达人袁嘉", {0.1, 0.836, 0.55, 0.845});
  next.words[0].confidence = 0.5;
  auto areas = FindSignatureAreas(img, {label, next});
  ASSERT_EQ(areas.size(), 1u);
  EXPECT_FALSE(areas[0].present);
}

TEST(SealsTest, WhoSignsIsKnownByTheLabel) {
  auto img = WhitePage();
  Scribble(img);
  auto role = [&](const std::string& label) {
    auto areas = FindSignatureAreas(img, {OneWordLine(label, {0.1, 0.8, 0.3, 0.82})});
    return areas.size() == 1 ? areas[0].role : std::string("none");
  };
  for (const char* party : {"被检查单位（签章）：", "受检单位签字：", "被执行人签名：", "行政相对人签名：", "被调查人签名："})
    EXPECT_EQ(role(party), "party") << party;
  for (const char* officer : {"办案人员签名：", "经办人签字：", "调查人签名：", "勘验人签名：", "检查人员签名："})
    EXPECT_EQ(role(officer), "officer") << officer;
}

TEST(SealsTest, AServingOfficerDoesNotStamp) {
  // "送达人签名（盖章）" is the receipt's 受送达人 label with 受 lost.
  auto img = WhitePage();
  Scribble(img);
  auto areas = FindSignatureAreas(img, {OneWordLine("送达人签名（盖章）", {0.1, 0.8, 0.3, 0.82})});
  ASSERT_EQ(areas.size(), 1u);
  EXPECT_EQ(areas[0].role, "party");
  areas = FindSignatureAreas(img, {OneWordLine("送达人（签名）", {0.1, 0.8, 0.3, 0.82})});
  ASSERT_EQ(areas.size(), 1u);
  EXPECT_EQ(areas[0].role, "officer");
}

TEST(SealsTest, ASkewedRuleIsNotASignature) {
  auto img = WhitePage();
  TextLine line = OneWordLine("受送达人签名（盖章）", {0.1, 0.8, 0.3, 0.82});
  // The cell's bottom rule, thin and skewed by about 0.5°: no row holds a long run.
  const double y0 = 0.84 * img.height, x0 = 0.05 * img.width, x1 = 0.95 * img.width;
  for (double x = x0; x < x1; x += 0.5) Put(img, static_cast<int>(x), static_cast<int>(y0 + (x - x0) * 0.008), 40, 40, 40);
  auto areas = FindSignatureAreas(img, {line});
  ASSERT_EQ(areas.size(), 1u);
  EXPECT_FALSE(areas[0].present);
}

TEST(SealsTest, TableRulesAreNotASignature) {
  auto img = WhitePage();
  TextLine line = OneWordLine("受送达人签名：", {0.1, 0.8, 0.3, 0.82});
  // The cell's rules: a horizontal line under the label and a vertical one.
  Rect(img, 15, 0.835 * 297, 195, 0.835 * 297 + 0.4, 20, 20, 20);
  Rect(img, 150, 0.78 * 297, 150.4, 0.87 * 297, 20, 20, 20);
  auto areas = FindSignatureAreas(img, {line});
  ASSERT_EQ(areas.size(), 1u);
  EXPECT_FALSE(areas[0].present);
}

TEST(SealsTest, RingFitFindsTheBorderFromACoarseBox) {
  auto img = WhitePage();
  Ring(img, 100, 100, 21, 21, 200, 30, 40);
  // A detector box padded by 3 mm and shifted.
  BBox box{(76.0 + 2) / 210, (76.0 - 1) / 297, (124.0 + 2) / 210, (124.0 - 1) / 297};
  RingFit fit = FitRing(img, box);
  EXPECT_TRUE(fit.ok);
  EXPECT_NEAR(fit.cx, Mm(100), Mm(0.7));
  EXPECT_NEAR(fit.cy, Mm(100), Mm(0.7));
  EXPECT_NEAR(fit.rx, Mm(21), Mm(0.7));
  EXPECT_NEAR(fit.ry, Mm(21), Mm(0.7));
}

TEST(SealsTest, TwoLabelsOnOneLine) {
  auto img = WhitePage();
  TextLine line;
  line.text = "当事人（签名）：执法人员（签名）：";
  line.box = {0.1, 0.5, 0.9, 0.52};
  auto areas = FindSignatureAreas(img, {line});
  ASSERT_EQ(areas.size(), 2u);
  EXPECT_EQ(areas[0].role, "party");
  EXPECT_EQ(areas[1].role, "officer");
  EXPECT_LE(areas[0].box.x1, areas[1].box.x0 + 0.2);
}

}  // namespace
}  // namespace pingcha::seals
