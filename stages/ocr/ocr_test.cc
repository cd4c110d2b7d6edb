#include "stages/ocr/ocr.h"

#include <gtest/gtest.h>
#include <leptonica/allheaders.h>

#include <cstdlib>
#include <string>

namespace pingcha::ocr {
namespace {

// Loads tests/data/<name> as a grey Image via Leptonica (red channel).
Image LoadGrey(const std::string& name) {
  const char* src = std::getenv("PINGCHA_SOURCE_DIR");
  std::string path = std::string(src ? src : ".") + "/tests/data/" + name;
  PIX* pix = pixRead(path.c_str());
  EXPECT_NE(pix, nullptr) << path;
  Image img;
  if (!pix) return img;
  PIX* rgb = pixConvertTo32(pix);
  img.width = pixGetWidth(rgb);
  img.height = pixGetHeight(rgb);
  img.channels = 1;
  img.dpi = 200;
  img.pixels.resize(static_cast<std::size_t>(img.width) * img.height);
  for (int y = 0; y < img.height; ++y)
    for (int x = 0; x < img.width; ++x) {
      l_uint32 v = pixGetData(rgb)[y * pixGetWpl(rgb) + x];
      img.pixels[static_cast<std::size_t>(y) * img.width + x] = static_cast<std::uint8_t>(v >> L_RED_SHIFT);
    }
  pixDestroy(&rgb);
  pixDestroy(&pix);
  return img;
}

TEST(OcrTest, JoinsCjkWithoutSpaces) {
  std::vector<Word> words = {{"行政", {}, 1}, {"处罚", {}, 1}, {"2021", {}, 1}, {"12", {}, 1}, {"号", {}, 1}};
  EXPECT_EQ(JoinWords(words), "行政处罚2021 12号");
}

TextLine LineOf(std::vector<std::string> words) {
  TextLine line;
  double x = 0;
  for (auto& w : words) {
    line.words.push_back({w, {x, 0.1, x + 0.05, 0.12}, 0.9});
    x += 0.06;
  }
  CleanLine(line);
  return line;
}

TEST(OcrTest, CleanLinePutsBackTheDocNumbersBrackets) {
  EXPECT_EQ(LineOf({"东农罚【2021]11号"}).text, "东农罚〔2021〕11号");
  EXPECT_EQ(LineOf({"告(2021]4号"}).text, "告〔2021〕4号");
  EXPECT_EQ(LineOf({"字[2021]第006号"}).text, "字〔2021〕第006号");
  EXPECT_EQ(LineOf({"罚(2021]j4号"}).text, "罚〔2021〕4号");  // the bracket's tail read as a letter
  EXPECT_EQ(LineOf({"东农处罚〔【2021]12号"}).text, "东农处罚〔2021〕12号");  // read twice
  EXPECT_EQ(LineOf({"农罚告【2021]j", "12号"}).text, "农罚告〔2021〕12号");
  // Round parentheses on both sides may be how the agency writes it.
  EXPECT_EQ(LineOf({"东农罚(2021)11号"}).text, "东农罚(2021)11号");
  // Not a year: left alone.
  EXPECT_EQ(LineOf({"第[12]条"}).text, "第[12]条");
}

TEST(OcrTest, CleanLineReadsBracketAmongDigitsAsOne) {
  EXPECT_EQ(LineOf({"2021年1]月]日"}).text, "2021年11月1日");
  EXPECT_EQ(LineOf({"第1页共]页"}).text, "第1页共1页");
  EXPECT_EQ(LineOf({"罚2021]4号"}).text, "罚2021]4号");  // a year's bracket, not a digit
  EXPECT_EQ(LineOf({"2021年11]月11日"}).text, "2021年11月11日");  // a 1 would make 111: noise
}

TEST(OcrTest, CleanLineDropsTableRulesAndKeepsBoxes) {
  TextLine line = LineOf({"送达地点", "|", "鄂尔多斯市", "|东胜区"});
  EXPECT_EQ(line.text, "送达地点鄂尔多斯市东胜区");
  ASSERT_EQ(line.words.size(), 3u);
  EXPECT_EQ(line.words[2].text, "东胜区");
  EXPECT_DOUBLE_EQ(line.words[2].box.x0, 0.18);  // the word keeps its box
  EXPECT_DOUBLE_EQ(line.box.x1, 0.23);
  EXPECT_EQ(LineOf({"|", "¦"}).words.size(), 0u);
  EXPECT_EQ(LineOf({"|", "¦"}).text, "");
  std::vector<TextLine> lines = {LineOf({"送达回证"}), LineOf({"|"}), LineOf({"备注"})};
  lines[1].words = {{"|", {0, 0.3, 0.01, 0.35}, 0.4}};
  lines[1].text = "|";
  CleanLines(lines);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1].text, "备注");
  EXPECT_EQ(LineOf({"受送达人签名〈盖章)"}).text, "受送达人签名（盖章)");
}

// Words with their confidences, cleaned as one line.
TextLine LineRead(std::vector<std::pair<std::string, double>> words) {
  TextLine line;
  double x = 0;
  for (auto& [w, conf] : words) {
    line.words.push_back({w, {x, 0.1, x + 0.05, 0.12}, conf});
    x += 0.06;
  }
  CleanLine(line);
  return line;
}

TEST(OcrTest, CleanLineDropsAScribbleReadAsLatin) {
  // A signature beside its label, as the page reading returned it (seed 7).
  EXPECT_EQ(LineRead({{"当事人签名", 0.93}, {"_-<", 0.12}, {"EECOAE", 0.2}, {"Vv", 0.45}}).text, "当事人签名");
  // Read surely, or with a digit (a credit code), or beside a numeral (the
  // O of 二O二一 is a 〇): kept.
  EXPECT_EQ(LineRead({{"品牌", 0.93}, {"KTV", 0.91}}).text, "品牌KTV");
  EXPECT_EQ(LineRead({{"代码", 0.93}, {"9115060231801516M9", 0.31}}).text, "代码9115060231801516M9");
  EXPECT_EQ(LineRead({{"二", 0.9}, {"O", 0.3}, {"二一年", 0.9}}).text, "二O二一年");
  // Chinese text read unsurely is not the scribble's: kept.
  EXPECT_EQ(LineRead({{"姓名", 0.9}, {"冯磊", 0.2}}).text, "姓名冯磊");
}

TEST(OcrTest, MissingModelSaysHowToInstall) {
  Options options;
  options.tessdata = "/nonexistent";
  auto engine = Engine::Create(options);
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), "dependency_missing");
  EXPECT_NE(engine.status().message().find("tesseract-ocr-chi-sim"), std::string::npos);
}

TEST(OcrTest, ReadsChineseTitleAndNumberThroughRealTesseract) {
  auto engine = Engine::Create(Options{});
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  Image img = LoadGrey("ocr_sample.png");
  auto lines = engine.value()->Read(img, Layout::kPage, 30000);
  ASSERT_TRUE(lines.ok()) << lines.status().ToString();
  std::string all;
  for (const auto& l : *lines) all += l.text + "\n";
  EXPECT_NE(all.find("行政处罚决定书"), std::string::npos) << all;
  EXPECT_NE(all.find("2021"), std::string::npos) << all;
  EXPECT_NE(all.find("申请行政复议"), std::string::npos) << all;
  ASSERT_FALSE(lines->empty());
  const auto& first = lines->front();
  EXPECT_GT(first.confidence, 0.5);
  EXPECT_LT(first.box.y1, 0.35);  // the title is at the top
  EXPECT_GT(first.box.x0, 0.15);  // and centred
}

TEST(OcrTest, TinyTimeLimitIsReportedNotCrashed) {
  auto engine = Engine::Create(Options{});
  ASSERT_TRUE(engine.ok());
  Image img = LoadGrey("ocr_sample.png");
  auto lines = engine.value()->Read(img, Layout::kPage, 1);
  // Either it finished within 1 ms (unlikely) or it reports a timeout.
  if (!lines.ok()) {
    EXPECT_EQ(lines.status().code(), "timeout");
  }
  // The engine is still usable afterwards.
  auto again = engine.value()->Read(img, Layout::kPage, 30000);
  EXPECT_TRUE(again.ok());
}

}  // namespace
}  // namespace pingcha::ocr
