// Second looks on real scanned crops (tests/data/dates), through real
// Tesseract — no fakes.
#include "pipeline/second_look.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "stages/catalogue/text.h"
#include "stages/ingest/ingest.h"

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

}  // namespace
}  // namespace pingcha
