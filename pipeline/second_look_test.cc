// Second looks on real scanned crops (tests/data/dates), through real
// Tesseract — no fakes.
#include "pipeline/second_look.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "stages/catalogue/text.h"
#include "stages/ingest/ingest.h"
#include "stages/preprocess/preprocess.h"
#include "stages/seals/seals.h"

namespace pingcha {
namespace {

// A folder of one page image under tests/data/, as ingest renders it.
Result<Image> ImageIn(const std::string& dir) {
  const char* root = std::getenv("PINGCHA_SOURCE_DIR");
  auto source = ingest::Open(std::string(root ? root : ".") + "/tests/data/" + dir, {});
  if (!source.ok()) return source.status();
  return (*source)->RenderPage(0, 200);
}

// A grey image of one shade.
Image Grey(int width, int height, int dpi, std::uint8_t shade) {
  Image grey;
  grey.channels = 1;
  grey.dpi = dpi;
  grey.width = width;
  grey.height = height;
  grey.pixels.assign(static_cast<std::size_t>(width) * height, shade);
  return grey;
}

// The page in the red channel (what OCR reads: the seal's ink dropped).
Image RedChannelOf(const std::string& dir) {
  auto page = ImageIn("dates/" + dir);
  EXPECT_TRUE(page.ok());
  if (!page.ok()) return {};
  Image grey = Grey(page->width, page->height, page->dpi, 0);
  for (std::size_t i = 0; i < grey.pixels.size(); ++i) grey.pixels[i] = page->pixels[i * page->channels];
  return grey;
}

// The 落款 of a grey scan with the seal's mid-grey star behind "19": the page
// reading made it 2021年8月49日 (no date), so the decision's date was lost.
Page DateLineUnderGreySeal(const std::string& free_reading) {
  Page page;
  TextLine line;
  line.text = free_reading;
  line.box = {0.343, 0.539, 0.691, 0.638};  // measured on the crop
  page.lines.push_back(line);
  return page;
}

std::unique_ptr<ocr::Engine> MakeEngine() {
  auto engine = ocr::Engine::Create(ocr::Options{});
  EXPECT_TRUE(engine.ok()) << engine.status().ToString();
  return engine.ok() ? std::move(*engine) : nullptr;
}

// A page number's corner of a scanned page (seed 89, 东城管强扣2021-11,
// pages 3, 5 and 9: a 1, and a 2 and a 5 printed light), put back where it
// stood on the page OCR reads (200 dpi, upright, the red channel).
Image PageWithNumberCorner(const std::string& dir) {
  auto corner = ImageIn("page_numbers/" + dir);
  EXPECT_TRUE(corner.ok());
  if (!corner.ok()) return {};
  Image page = Grey(1654, 2339, 200, 235);
  for (int y = 0; y < corner->height; ++y)
    for (int x = 0; x < corner->width; ++x)
      page.pixels[static_cast<std::size_t>(y + 23) * page.width + x + 1356] = *corner->at(x, y);
  return page;
}

TEST(SecondLook, PageNumbersAloneInTheMarginAreRead) {
  ocr::Options latin;
  latin.language = "eng";
  auto digits = ocr::Engine::Create(latin);
  ASSERT_TRUE(digits.ok()) << digits.status().ToString();
  // A lone 1 reads at 0.34 as a word and not at all as a line: two readings agree.
  auto one = ReadPageNumber(**digits, PageWithNumberCorner("one"));
  ASSERT_TRUE(one);
  EXPECT_EQ(one->text, "1");
  EXPECT_GT(one->box.y0, 0.02);
  EXPECT_LT(one->box.y1, 0.05);
  // Light print breaks apart at the first threshold (the 2's foot, the 5's bar).
  auto two = ReadPageNumber(**digits, PageWithNumberCorner("light_two"));
  ASSERT_TRUE(two);
  EXPECT_EQ(two->text, "2");
  auto five = ReadPageNumber(**digits, PageWithNumberCorner("light_five"));
  ASSERT_TRUE(five);
  EXPECT_EQ(five->text, "5");
  // Paper alone holds no number.
  Image blank = PageWithNumberCorner("one");
  std::fill(blank.pixels.begin(), blank.pixels.end(), 235);
  EXPECT_FALSE(ReadPageNumber(**digits, blank));
}

TEST(SecondLook, ADateMisreadUnderAGreySealIsMended) {
  auto engine = MakeEngine();
  ASSERT_TRUE(engine);
  const Image grey = RedChannelOf("grey_seal");
  ASSERT_FALSE(grey.empty());
  Page page = DateLineUnderGreySeal("2021年8月49日");
  RereadDateLines(*engine, grey, {}, page);
  const auto dates = catalogue::FindDates(page.lines[0].text);
  ASSERT_EQ(dates.size(), 1u) << page.lines[0].text;
  EXPECT_EQ(dates[0].iso, "2021-08-19");
}

TEST(SecondLook, ALineThatReadsAsADateOrIsHighOnThePageIsLeftAlone) {
  auto engine = MakeEngine();
  ASSERT_TRUE(engine);
  const Image grey = RedChannelOf("grey_seal");
  Page dated = DateLineUnderGreySeal("2021年8月18日");  // already a date: not read again
  RereadDateLines(*engine, grey, {}, dated);
  EXPECT_EQ(dated.lines[0].text, "2021年8月18日");
  Page high = DateLineUnderGreySeal("2021年8月49日");
  high.lines[0].box.y0 = 0.1;  // a date line in the upper part of a page is no 落款
  RereadDateLines(*engine, grey, {}, high);
  EXPECT_EQ(high.lines[0].text, "2021年8月49日");
}

TEST(SecondLook, NoDateIsMadeWhereNoneIsPrinted) {
  auto engine = MakeEngine();
  ASSERT_TRUE(engine);
  Image blank;
  blank.channels = 1;
  blank.dpi = 200;
  blank.width = 660;
  blank.height = 300;
  blank.pixels.assign(static_cast<std::size_t>(blank.width) * blank.height, 255);
  Page page = DateLineUnderGreySeal("2021年8月49日");
  RereadDateLines(*engine, blank, {}, page);
  EXPECT_EQ(page.lines[0].text, "2021年8月49日");
}

// The top of a penalty decision (seed 7, 东农行罚2021-7 page 12): the
// agency's red letterhead over the black title and number. The page reading
// (red channel) drops the letterhead with the seals' ink; the red print
// pass reads it on the red ink and puts it first.
TEST(SecondLook, ARedLetterheadIsReadOnItsInk) {
  auto engine = MakeEngine();
  ASSERT_TRUE(engine);
  auto rgb = ImageIn("red_print/letterhead");
  ASSERT_TRUE(rgb.ok()) << rgb.status().ToString();
  const preprocess::Prepared prepared = preprocess::Prepare(*rgb, 0);
  auto lines = engine->Read(prepared.grey, ocr::Layout::kPage, 20000);
  ASSERT_TRUE(lines.ok());
  Page page;
  page.lines = *lines;
  auto has = [&](const std::string& s) {
    return std::any_of(page.lines.begin(), page.lines.end(), [&](const TextLine& l) { return l.text.find(s) != std::string::npos; });
  };
  ASSERT_TRUE(has("处罚决定书"));
  ASSERT_FALSE(has("农牧局"));  // dropped with the red ink
  ReadRedPrint(*engine, preprocess::RedInk(*rgb, 0, prepared.skew_degrees), prepared.skew_degrees, {}, page);
  ASSERT_FALSE(page.lines.empty());
  EXPECT_NE(page.lines.front().text.find("东胜区农牧局"), std::string::npos) << page.lines.front().text;
  EXPECT_TRUE(has("处罚决定书"));
}

// A seal is red ink too, but no print: nothing is read from it (its ring's
// characters, on an arc, make no row of glyphs; and its box is left out).
TEST(SecondLook, ASealIsNoRedPrint) {
  auto engine = MakeEngine();
  ASSERT_TRUE(engine);
  auto rgb = ImageIn("seals/agency_ring");
  ASSERT_TRUE(rgb.ok()) << rgb.status().ToString();
  const auto seals = seals::FindSeals(*rgb);
  ASSERT_FALSE(seals.empty());
  Page page;
  for (double y : {0.1, 0.2, 0.3}) {  // three lines read elsewhere (a line height to measure)
    TextLine l;
    l.text = "正文";
    l.box = {0.0, y, 0.05, y + 0.03};
    page.lines.push_back(l);
  }
  ReadRedPrint(*engine, preprocess::RedInk(*rgb, 0, 0), 0, seals, page);
  EXPECT_EQ(page.lines.size(), 3u);
}

// The top of a penalty notice (seed 7, 东环处罚2021-30 page 13, its upper
// 30%) with the lines the page reading gave it: the 文号 read as "人" and a
// line of body text as "|Tt", over a box the next line's start shares.
TEST(SecondLook, ALineReadAsACharacterOrTwoIsReadAgain) {
  auto engine = MakeEngine();
  ASSERT_TRUE(engine);
  auto rgb = ImageIn("sparse_lines/notice_top");
  ASSERT_TRUE(rgb.ok()) << rgb.status().ToString();
  const Image grey = preprocess::Prepare(*rgb, 0).grey;
  auto line = [](const std::string& text, double x0, double y0, double x1, double y1, double conf) {
    TextLine l;
    l.text = text;
    l.box = {x0, y0 / 0.3, x1, y1 / 0.3};  // measured on the whole page
    l.words.push_back({text, l.box, conf});
    l.confidence = conf;
    return l;
  };
  Page page;
  page.lines = {line("鄂尔多斯市东胜区生态环境局", 0.351, 0.083, 0.652, 0.108, 0.94),
                line("行政处罚告知书", 0.386, 0.119, 0.619, 0.154, 0.94),
                line("人", 0.364, 0.163, 0.644, 0.205, 0.05),
                line("鄂尔多斯市东胜区安泰商贸有限公", 0.111, 0.189, 0.441, 0.21, 0.85),
                line("|Tt", 0.090, 0.191, 0.770, 0.230, 0.56)};
  RereadSparseLines(*engine, grey, page);
  std::string text;
  for (const auto& l : page.lines) text += l.text + "\n";
  EXPECT_NE(text.find("东环罚告字"), std::string::npos) << text;
  EXPECT_NE(text.find("经查"), std::string::npos) << text;
  EXPECT_NE(text.find("扬尘污染"), std::string::npos) << text;
  EXPECT_EQ(text.find("|Tt"), std::string::npos) << text;
  EXPECT_EQ(text.find("人\n"), std::string::npos) << text;
  // Read well, left as they were; the company's line not added twice.
  EXPECT_EQ(page.lines[0].text, "鄂尔多斯市东胜区生态环境局");
  EXPECT_EQ(page.lines[1].text, "行政处罚告知书");
  EXPECT_EQ(std::count_if(page.lines.begin(), page.lines.end(),
                          [](const TextLine& l) { return l.text.find("安泰商贸") != std::string::npos; }),
            1);
}

}  // namespace
}  // namespace pingcha
