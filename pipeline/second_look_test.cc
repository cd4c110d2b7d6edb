// Second looks on real scanned crops (tests/data/dates), through real
// Tesseract — no fakes.
#include "pipeline/second_look.h"

#include <gtest/gtest.h>

#include "stages/catalogue/text.h"
#include "stages/ingest/ingest.h"

namespace pingcha {
namespace {

// A folder of one page image, as ingest renders it, in the red channel
// (what OCR reads: the seal's ink dropped).
Image RedChannelOf(const std::string& dir) {
  const char* root = std::getenv("PINGCHA_SOURCE_DIR");
  auto source = ingest::Open(std::string(root ? root : ".") + "/tests/data/dates/" + dir, {});
  EXPECT_TRUE(source.ok());
  if (!source.ok()) return {};
  auto page = (*source)->RenderPage(0, 200);
  EXPECT_TRUE(page.ok());
  if (!page.ok()) return {};
  Image grey;
  grey.channels = 1;
  grey.dpi = page->dpi;
  grey.width = page->width;
  grey.height = page->height;
  grey.pixels.resize(static_cast<std::size_t>(grey.width) * grey.height);
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
