// Seal owners verified on real scanned seal crops (tests/data/seals), with
// the fonts the machine has (fontconfig) — no fakes.
#include "pipeline/seal_owner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "stages/ingest/ingest.h"
#include "stages/seals/seals.h"

namespace pingcha {
namespace {

std::string Data(const std::string& rel) {
  const char* root = std::getenv("PINGCHA_SOURCE_DIR");
  return std::string(root ? root : ".") + "/tests/data/seals/" + rel;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Catalogue Names() {
  Catalogue names;
  names.internal_units = {"办公室", "法规科", "执法大队"};
  names.places = {"河北省", "石家庄市", "鄂尔多斯市", "包头市", "鄂州市", "海南藏族自治州", "黄南藏族自治州"};
  names.bodies = {"人民政府", "人民政府办公室", "交通运输局", "生态环境局", "应急管理局", "市场监督管理局"};
  return names;
}
const Catalogue kNames = Names();

Image PageOf(const std::string& dir) {
  auto source = ingest::Open(Data(dir), {});
  EXPECT_TRUE(source.ok());
  if (!source.ok()) return {};
  auto page = (*source)->RenderPage(0, 200);
  EXPECT_TRUE(page.ok());
  return page.ok() ? std::move(page).value() : Image{};
}

Image RingOf(const std::string& dir) {
  const Image page = PageOf(dir);
  auto found = seals::FindSeals(page);
  EXPECT_EQ(found.size(), 1u);
  return found.empty() ? Image{} : seals::RingStrip(page, seals::FitRing(page, found[0].box));
}

// A grey scan's seal: found and fitted on its long strokes, its ring read
// on every grey that is not print.
Image GreyRingOf(const std::string& dir) {
  const seals::GreyInk ink = seals::TintGreySealInk(PageOf(dir));
  auto found = seals::FindSeals(ink.borders, seals::kGreyBridgeMm);
  EXPECT_EQ(found.size(), 1u);
  return found.empty() ? Image{} : seals::RingStrip(ink.rings, seals::FitRing(ink.borders, found[0].box));
}

// Held for the test's length: JudgeRing takes the strips by pointer.
std::vector<const Image*> Strips(const std::string& dir) {
  static std::map<std::string, Image> held;
  held[dir] = RingOf(dir);
  return {&held[dir]};
}

// A seal judged not the agency's: a unit's (`unit`) or another body's, named `owner`.
void ExpectNotTheAgencys(const RingVerdict& ring, bool unit, const std::string& owner) {
  ASSERT_TRUE(ring.is_agency.has_value());
  EXPECT_FALSE(*ring.is_agency);
  EXPECT_EQ(ring.internal_unit, unit);
  EXPECT_EQ(ring.owner, owner);
}

TEST(SealOwner, TheAgencysRingVerifiesWithTheCityPrintedBeforeItsName) {
  seals::GlyphRenderer glyphs;
  ASSERT_TRUE(glyphs.ok()) << "no CJK font found by fontconfig (fonts-noto-cjk)";
  const std::string text = ReadText(Data("agency_ring_case.txt"));
  const auto cohort = CaseCharacters(text);
  const RingVerdict ring = JudgeRing(Strips("agency_ring"), "东胜区农牧局", text, cohort, kNames, glyphs);
  ASSERT_TRUE(ring.is_agency.has_value());
  EXPECT_TRUE(*ring.is_agency);
  EXPECT_FALSE(ring.internal_unit);
  EXPECT_EQ(ring.owner, "鄂尔多斯市东胜区农牧局");  // the ring's 5 more characters, as the case prints them
  EXPECT_LE(ring.mean_rank, 0.10);
}

TEST(SealOwner, AGreyScansSealOfAnInternalUnitIsNotTheAgencys) {
  seals::GlyphRenderer glyphs;
  ASSERT_TRUE(glyphs.ok());
  const std::string text = ReadText(Data("grey_unit_ring_case.txt"));
  static Image strip = GreyRingOf("grey_unit_ring");
  ASSERT_FALSE(strip.empty());
  const RingVerdict ring = JudgeRing({&strip}, "东胜区应急管理局", text, CaseCharacters(text), kNames, glyphs);
  ExpectNotTheAgencys(ring, true, "鄂尔多斯市东胜区应急管理局执法大队");
}

// A unit's seal with a long name (…综合执法局综合执法一中队, 25 characters;
// grey scan, seed 127) whose 康 of 康巴什 the 落款's line hides: the place's
// other characters read as themselves, so the place still counts as shown.
TEST(SealOwner, APlaceWithOneCharacterHiddenStillNamesAUnitsSeal) {
  seals::GlyphRenderer glyphs;
  ASSERT_TRUE(glyphs.ok());
  const std::string text = ReadText(Data("grey_long_unit_ring_case.txt"));
  static Image strip = GreyRingOf("grey_long_unit_ring");
  ASSERT_FALSE(strip.empty());
  Catalogue names = kNames;
  names.internal_units.push_back("综合执法一中队");
  const RingVerdict ring =
      JudgeRing({&strip}, "鄂尔多斯市康巴什区城市管理综合执法局", text, CaseCharacters(text), names, glyphs);
  ExpectNotTheAgencys(ring, true, "鄂尔多斯市康巴什区城市管理综合执法局综合执法一中队");
}

// 鄂尔多斯市东胜区交通运输局's seal on a 东胜区市场监督管理局 decision (grey
// scan). Its ring, as Tesseract reads it: 运输 lost under the print.
constexpr const char* kOtherRingReading = "鄂尔多斯市东胜区交通 皇局";

TEST(SealOwner, AnotherBodysSealTheReadingPointsToVerifiesAsThatBodys) {
  seals::GlyphRenderer glyphs;
  ASSERT_TRUE(glyphs.ok());
  const std::string text = ReadText(Data("grey_other_ring_case.txt"));
  static Image strip = GreyRingOf("grey_other_ring");
  ASSERT_FALSE(strip.empty());
  const auto cohort = CaseCharacters(text);
  const RingVerdict ring =
      JudgeRing({&strip}, "东胜区市场监督管理局", text, cohort, kNames, glyphs, kOtherRingReading);
  ASSERT_TRUE(ring.is_agency.has_value());
  EXPECT_FALSE(*ring.is_agency);
  EXPECT_FALSE(ring.internal_unit);
  // With the city as the case prints it (once, run into 执收单位).
  EXPECT_EQ(ring.owner, "鄂尔多斯市东胜区交通运输局");
  // Without a reading, or with one pointing to a body the ring is not, the
  // glyphs alone say nothing of another body.
  EXPECT_FALSE(JudgeRing({&strip}, "东胜区市场监督管理局", text, cohort, kNames, glyphs).is_agency.has_value());
  EXPECT_FALSE(JudgeRing({&strip}, "东胜区市场监督管理局", text, cohort, kNames, glyphs, "鄂尔多斯市东胜区生态 境局")
                   .is_agency.has_value());
}

TEST(SealOwner, AGreyScansPrintHoldsNoSeal) {
  const Image page = PageOf("grey_print");
  ASSERT_FALSE(page.empty());
  EXPECT_TRUE(seals::FindSeals(seals::TintGreySealInk(page).borders, seals::kGreyBridgeMm).empty());
}

TEST(SealOwner, AFaintRingInAThinFontVerifies) {
  seals::GlyphRenderer glyphs;
  ASSERT_TRUE(glyphs.ok());
  const std::string text = ReadText(Data("faint_ring_case.txt"));
  const RingVerdict ring = JudgeRing(Strips("faint_ring"), "东胜区应急管理局", text, CaseCharacters(text), kNames, glyphs);
  EXPECT_EQ(ring.is_agency, std::optional<bool>(true)) << "mean rank " << ring.mean_rank;
  EXPECT_EQ(ring.owner, "鄂尔多斯市东胜区应急管理局");
  EXPECT_LE(ring.mean_rank, 0.10);
}

TEST(SealOwner, AnotherBodysNameDoesNotVerifyOnTheSameRing) {
  seals::GlyphRenderer glyphs;
  ASSERT_TRUE(glyphs.ok());
  const std::string text = ReadText(Data("agency_ring_case.txt"));
  EXPECT_FALSE(JudgeRing(Strips("agency_ring"), "伊金霍洛旗应急管理局", text, CaseCharacters(text), kNames, glyphs).is_agency);
}

TEST(SealOwner, AnInternalUnitsSealIsNotTakenForTheAgencys) {
  seals::GlyphRenderer glyphs;
  ASSERT_TRUE(glyphs.ok());
  const std::string text = ReadText(Data("office_ring_case.txt"));
  // The ring reads 伊金霍洛旗应急管理局办公室: the agency's name is in it, but
  // the characters do not stand where a ring of the agency's name has them.
  const RingVerdict ring = JudgeRing(Strips("office_ring"), "伊金霍洛旗应急管理局", text, CaseCharacters(text), kNames, glyphs);
  EXPECT_NE(ring.is_agency, std::optional<bool>(true));
}

// 鄂尔多斯市东胜区应急管理局办公室's seal whose 办公室 lies under the 落款's
// date: the unit's characters do not verify, but the agency's stand where a
// ring of its name and three characters more has them — not the agency's
// own seal, whichever unit's it is.
TEST(SealOwner, TheAgencysNameAndHiddenCharactersAfterItIsNotTheAgencysSeal) {
  seals::GlyphRenderer glyphs;
  ASSERT_TRUE(glyphs.ok());
  const std::string text = ReadText(Data("hidden_unit_ring_case.txt"));
  const RingVerdict ring =
      JudgeRing(Strips("hidden_unit_ring"), "鄂尔多斯市东胜区应急管理局", text, CaseCharacters(text), kNames, glyphs);
  ExpectNotTheAgencys(ring, true, "鄂尔多斯市东胜区应急管理局□□□");
  // Named without its city, the agency's name is found after five unnamed characters.
  const RingVerdict short_name =
      JudgeRing(Strips("hidden_unit_ring"), "东胜区应急管理局", text, CaseCharacters(text), kNames, glyphs);
  EXPECT_EQ(short_name.is_agency, std::optional<bool>(false));
}

// 鄂尔多斯市东胜区人民政府办公室's seal on a 东胜区生态环境局 notice, no ring
// reading given: the district government office's own characters (人民政府
// 办公室, none of them in the agency's name) read themselves on the glyphs.
TEST(SealOwner, AnotherBodysSealIsNamedOnItsOwnCharacters) {
  seals::GlyphRenderer glyphs;
  ASSERT_TRUE(glyphs.ok());
  const std::string text = ReadText(Data("body_ring_case.txt"));
  const RingVerdict ring = JudgeRing(Strips("body_ring"), "东胜区生态环境局", text, CaseCharacters(text), kNames, glyphs);
  ExpectNotTheAgencys(ring, false, "鄂尔多斯市东胜区人民政府办公室");
  // Without that body among the known ones, the seal stays unknown.
  Catalogue fewer = kNames;
  fewer.bodies.erase(std::remove(fewer.bodies.begin(), fewer.bodies.end(), "人民政府办公室"), fewer.bodies.end());
  EXPECT_FALSE(JudgeRing(Strips("body_ring"), "东胜区生态环境局", text, CaseCharacters(text), fewer, glyphs).is_agency);
}

// A pale seal on yellowed paper, scanned washed out (a degraded copy of seed
// 11's 东环查封2021-2 page 5: paper r−g 15, the seal's pink 25–45): no seal
// ink on the page itself; with the paper made white and the ink
// strengthened, a round seal whose ring verifies as the agency's.
TEST(SealOwner, APaleSealOnYellowedPaperIsFoundOnTheStrengthenedInk) {
  const Image page = PageOf("pale_on_yellow");
  ASSERT_FALSE(page.empty());
  EXPECT_TRUE(seals::FindSeals(page).empty());
  const Image strong = seals::StrengthenedInk(page);
  const auto found = seals::FindSeals(strong);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].shape, "round");
  // Found without making the strengthened image: the same mark.
  const auto direct = seals::FindStrengthenedSeals(page);
  ASSERT_EQ(direct.size(), 1u);
  EXPECT_EQ(direct[0].shape, found[0].shape);
  EXPECT_EQ(direct[0].box.x0, found[0].box.x0);
  EXPECT_EQ(direct[0].box.y1, found[0].box.y1);
  EXPECT_EQ(direct[0].confidence, found[0].confidence);
  seals::GlyphRenderer glyphs;
  ASSERT_TRUE(glyphs.ok());
  const std::string text = ReadText(Data("agency_ring_case.txt")) + "鄂尔多斯市东胜区生态环境局\n";
  static Image strip;
  strip = seals::RingStrip(strong, seals::FitRing(strong, found[0].box));
  const RingVerdict ring = JudgeRing({&strip}, "东胜区生态环境局", text, CaseCharacters(text), kNames, glyphs);
  EXPECT_EQ(ring.is_agency, std::optional<bool>(true)) << "mean rank " << ring.mean_rank;
}

// Another district's body (康巴什区市场监督管理局) on a 东胜区生态环境局 decision:
// the agency's place fails, so does its own body's name after it; the
// listed districts' names with the bodies' name it.
TEST(SealOwner, AnotherDistrictsBodysSealIsNamed) {
  seals::GlyphRenderer glyphs;
  ASSERT_TRUE(glyphs.ok());
  const std::string text = ReadText(Data("other_county_ring_case.txt"));
  Catalogue names = kNames;
  const RingVerdict unlisted =
      JudgeRing(Strips("other_county_ring"), "东胜区生态环境局", text, CaseCharacters(text), names, glyphs);
  EXPECT_FALSE(unlisted.is_agency.has_value());
  names.counties = {"东胜区", "康巴什区", "达拉特旗", "准格尔旗", "伊金霍洛旗"};
  const RingVerdict ring =
      JudgeRing(Strips("other_county_ring"), "东胜区生态环境局", text, CaseCharacters(text), names, glyphs);
  ExpectNotTheAgencys(ring, false, "鄂尔多斯市康巴什区市场监督管理局");
}

TEST(SealOwner, NoStripOrShortNameIsUnknown) {
  seals::GlyphRenderer glyphs;
  EXPECT_FALSE(JudgeRing({}, "东胜区农牧局", "", U"东胜区", kNames, glyphs).is_agency);
  EXPECT_FALSE(JudgeRing(Strips("agency_ring"), "农局", "", U"东胜区", kNames, glyphs).is_agency);
}

TEST(SealOwner, TheOwnerIsTheAgencyAsTheCasePrintsIt) {
  const std::string text = "鄂尔多斯市东胜区农牧局\n行政处罚决定书\n鄂尔多斯市东胜区农牧局\n（尔多斯市东胜区农牧局）\n";
  // A ring of five characters more: the city as printed, not a piece of it.
  EXPECT_EQ(PrintedOwner("东胜区农牧局", text, 5, {}), "鄂尔多斯市东胜区农牧局");
  EXPECT_EQ(PrintedOwner("东胜区农牧局", text, 4, {}), "鄂尔多斯市东胜区农牧局");  // the ring's count ±1
  EXPECT_EQ(PrintedOwner("东胜区农牧局", text, 0, {}), "东胜区农牧局");
  EXPECT_EQ(PrintedOwner("东胜区农牧局", "东胜区农牧局\n", 5, {}), "东胜区农牧局");  // no place printed
}

TEST(SealOwner, APlaceMisreadThroughTheCaseIsSpeltAsListed) {
  // OCR read 鄂 as 哪 every time the case prints the city.
  const std::string misread = "哪尔多斯市东胜区农牧局\n行政处罚决定书\n哪尔多斯市东胜区农牧局\n";
  EXPECT_EQ(PrintedOwner("东胜区农牧局", misread, 5, kNames.places), "鄂尔多斯市东胜区农牧局");
  EXPECT_EQ(PrintedOwner("东胜区农牧局", misread, 5, {}), "哪尔多斯市东胜区农牧局");  // without the list: as printed
  // A listed place is kept; so is the province before it, corrected or not.
  EXPECT_EQ(PrintedOwner("东胜区农牧局", "包头市东胜区农牧局\n", 3, kNames.places), "包头市东胜区农牧局");
  EXPECT_EQ(PrintedOwner("东胜区农牧局", "河北省石家压市东胜区农牧局\n", 7, kNames.places), "河北省石家庄市东胜区农牧局");
  // Three characters are too few to correct (哪州市 could be a place not listed),
  // and a misreading near two listed places is left as printed.
  EXPECT_EQ(PrintedOwner("东胜区农牧局", "哪州市东胜区农牧局\n", 3, kNames.places), "哪州市东胜区农牧局");
  EXPECT_EQ(PrintedOwner("东胜区农牧局", "哪南藏族自治州东胜区农牧局\n", 7, kNames.places), "哪南藏族自治州东胜区农牧局");
  // A label run into the city by OCR, the only place the case prints it:
  // the city, not the label with it.
  EXPECT_EQ(PrintedOwner("东胜区农牧局", "执收单位哇尔多斯市东胜区农牧局\n", 5, kNames.places), "鄂尔多斯市东胜区农牧局");
}

TEST(SealOwner, CaseCharactersAreDistinctHan) {
  EXPECT_EQ(CaseCharacters("东胜区 东胜区农牧局 2021年"), U"东胜区农牧局年");
}

}  // namespace
}  // namespace pingcha
