#include "pipeline/case_runner.h"

#include "pipeline/seal_owner.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <numeric>
#include <optional>
#include <stdexcept>

#include "stages/catalogue/catalogue.h"
#include "stages/catalogue/text.h"
#include "stages/checks/digest.h"
#include "stages/checks/engine.h"
#include "stages/preprocess/preprocess.h"
#include "stages/report/report.h"
#include "stages/score/score.h"
#include "stages/seals/ring_match.h"
#include "stages/seals/seals.h"

namespace pingcha {
namespace {

namespace fs = std::filesystem;

// Ring OCR below this mean word confidence is noise, not a reading.
constexpr double kRingConfidenceFloor = 0.15;
// What a cached page holds; a page cached in an older form is read again
// (2: seals keep their ring strip, which their owner is judged on; 3: ovals
// also keep it by even angle; 5: punctuation cleaned, ocr::CleanLines;
// 6: rectangular stamps pressed askew found).
constexpr const char* kPageFormat = "page-6";

// How much a reading is worth: confident characters.
double ReadingScore(const std::vector<TextLine>& lines) {
  double s = 0;
  for (const auto& l : lines)
    for (const auto& w : l.words) s += w.confidence > 0.6 ? static_cast<double>(w.text.size()) / 3.0 : 0;
  return s;
}

// Tesseract reads a page turned by 90° line by line as vertical text, with
// good confidence: the text comes out right but every box stands on end,
// and no title is found at the top. Most text lines taller than wide say so.
bool MostlyVertical(const std::vector<TextLine>& lines) {
  int vertical = 0, counted = 0;
  for (const auto& l : lines) {
    if (l.text.size() < 9) continue;  // three CJK characters or more
    ++counted;
    vertical += l.box.height() > 1.5 * l.box.width();
  }
  return counted >= 3 && vertical * 2 > counted;
}

// A page read upside down comes out as Chinese-looking noise with Latin
// letters in it ("tTL|日08昌9韦LZ0Z" is 2021年…08 turned over): letters are
// rare on a Chinese page (a credit code's two).
bool ManyLatinLetters(const std::vector<TextLine>& lines) {
  int letters = 0, all = 0;
  for (const auto& l : lines)
    for (char32_t ch : catalogue::ToU32(l.text)) {
      if (ch == U' ') continue;
      ++all;
      letters += (ch >= U'A' && ch <= U'Z') || (ch >= U'a' && ch <= U'z');
    }
  return all >= 20 && letters * 100 > all * 12;
}

double MeanConfidence(const std::vector<TextLine>& lines) {
  double sum = 0;
  int n = 0;
  for (const auto& l : lines)
    for (const auto& w : l.words) { sum += w.confidence; ++n; }
  return n ? sum / n : 0;
}

// Printed page numbers are small and isolated: full-page layout analysis
// often drops them. Read the top and bottom margins again as sparse text.
std::vector<TextLine> ReadMargins(ocr::Engine& engine, const Image& grey) {
  std::vector<TextLine> out;
  for (auto [y0, y1] : {std::pair{0.0, 0.08}, std::pair{0.90, 1.0}}) {
    Image strip;
    strip.channels = 1;
    strip.dpi = grey.dpi;
    strip.width = grey.width;
    int top = static_cast<int>(y0 * grey.height), bottom = static_cast<int>(y1 * grey.height);
    strip.height = bottom - top;
    if (strip.height <= 0) continue;
    strip.pixels.assign(grey.pixels.begin() + static_cast<std::ptrdiff_t>(top) * grey.width,
                        grey.pixels.begin() + static_cast<std::ptrdiff_t>(bottom) * grey.width);
    auto lines = engine.Read(strip, ocr::Layout::kSparse, 10000);
    if (!lines.ok()) continue;
    const double scale = static_cast<double>(strip.height) / grey.height, off = static_cast<double>(top) / grey.height;
    for (auto line : *lines) {
      auto fix = [&](BBox& b) { b.y0 = off + b.y0 * scale; b.y1 = off + b.y1 * scale; };
      fix(line.box);
      for (auto& w : line.words) fix(w.box);
      out.push_back(std::move(line));
    }
  }
  return out;
}

// Large, letter-spaced titles fall apart at body-text resolution (a cover's
// "行 政 处 罚 案 卷" reads as scattered characters). Read the top of the page
// again at half resolution; keep a line only if it is a title.
void ReadTitleSmaller(ocr::Engine& engine, const Image& grey, const Catalogue& catalogue, Page& page) {
  const double top = 0.35;
  Image half;
  half.channels = 1;
  half.dpi = grey.dpi / 2;
  half.width = grey.width / 2;
  half.height = static_cast<int>(grey.height * top) / 2;
  if (half.width < 16 || half.height < 16) return;
  half.pixels.resize(static_cast<std::size_t>(half.width) * half.height);
  for (int y = 0; y < half.height; ++y)
    for (int x = 0; x < half.width; ++x) {
      const std::uint8_t* a = grey.pixels.data() + static_cast<std::size_t>(2 * y) * grey.width + 2 * x;
      const std::uint8_t* b = a + grey.width;
      half.pixels[static_cast<std::size_t>(y) * half.width + x] = static_cast<std::uint8_t>((a[0] + a[1] + b[0] + b[1] + 2) / 4);
    }
  auto lines = engine.Read(half, ocr::Layout::kBlock, 10000);
  if (!lines.ok()) return;
  Page probe;
  probe.lines = page.lines;  // keeps the page's median line height for the "large" test
  const double scale = static_cast<double>(half.height * 2) / grey.height;
  for (auto line : *lines) {
    auto fix = [&](BBox& b) { b.y0 *= scale; b.y1 *= scale; };
    fix(line.box);
    for (auto& w : line.words) fix(w.box);
    probe.lines.push_back(line);
    auto title = catalogue::FindTitle(probe, catalogue);
    probe.lines.pop_back();
    if (title && title->line == static_cast<int>(probe.lines.size())) {
      page.lines.insert(page.lines.begin(), line);
      return;
    }
  }
}

// A seal stamped over the 落款 leaves, after the red drop-out, light traces
// that join the characters under it ("二口汪=年二月村为华"). Lines a seal
// overlaps are read again alone, with everything lighter than
// kUnderSealWhite taken as paper. Only these lines: a global white point
// loses faint strokes elsewhere (measured: CER rose from 6.3% to 7.7%).
constexpr int kUnderSealWhite = 205;

// The line's box with a margin, cut from `grey` onto white paper with a
// border (the recogniser misreads glyphs that touch the image's edge).
// Greys of `white` and lighter become paper; or, with `threshold` > 0, the
// crop is made black and white at that grey. Empty when too small.
struct LineCrop {
  Image image;
  int x0 = 0, y0 = 0, pad = 0;  // where the cut starts on the page; border added
  // A line read from the crop, its boxes moved to fractions of the page.
  void ToPage(TextLine& line, const Image& page) const {
    const double cw = image.width, ch = image.height;
    auto fix = [&](BBox& b) {
      b = {(x0 - pad + b.x0 * cw) / page.width, (y0 - pad + b.y0 * ch) / page.height,
           (x0 - pad + b.x1 * cw) / page.width, (y0 - pad + b.y1 * ch) / page.height};
    };
    fix(line.box);
    for (auto& w : line.words) fix(w.box);
  }
};
LineCrop CropLine(const Image& grey, const BBox& box, int white, int threshold = 0) {
  LineCrop out;
  const double h = box.y1 - box.y0;
  out.x0 = std::max(0, static_cast<int>((box.x0 - 0.02) * grey.width));
  out.y0 = std::max(0, static_cast<int>((box.y0 - 0.1 * h) * grey.height));  // not into the next line
  const int x1 = std::min(grey.width, static_cast<int>((box.x1 + 0.02) * grey.width));
  const int y1 = std::min(grey.height, static_cast<int>((box.y1 + 0.1 * h) * grey.height));
  if (x1 - out.x0 < 16 || y1 - out.y0 < 8) return out;
  out.pad = std::max(8, static_cast<int>(0.6 * h * grey.height));
  Image& crop = out.image;
  crop.channels = 1;
  crop.dpi = grey.dpi;
  crop.width = x1 - out.x0 + 2 * out.pad;
  crop.height = y1 - out.y0 + 2 * out.pad;
  crop.pixels.assign(static_cast<std::size_t>(crop.width) * crop.height, 255);
  for (int y = out.y0; y < y1; ++y)
    for (int x = out.x0; x < x1; ++x) {
      int v = grey.pixels[static_cast<std::size_t>(y) * grey.width + x];
      v = threshold > 0 ? (v < threshold ? 0 : 255) : v >= white ? 255 : v * 255 / white;
      crop.pixels[static_cast<std::size_t>(y - out.y0 + out.pad) * crop.width + (x - out.x0 + out.pad)] = static_cast<std::uint8_t>(v);
    }
  return out;
}

// Reads `line` again from a crop; the longest line read, in page fractions.
std::optional<TextLine> ReadLineAgain(ocr::Engine& engine, const Image& grey, const TextLine& line, int white,
                                      int threshold = 0, const std::string& whitelist = "") {
  LineCrop crop = CropLine(grey, line.box, white, threshold);
  if (crop.image.empty()) return std::nullopt;
  auto again = engine.Read(crop.image, ocr::Layout::kLine, 5000, whitelist);
  if (!again.ok() || again->empty()) return std::nullopt;
  TextLine best = again->front();
  for (const auto& l : *again)
    if (l.text.size() > best.text.size()) best = l;
  if (best.text.empty()) return std::nullopt;
  crop.ToPage(best, grey);
  return best;
}

// Characters other than spaces.
std::size_t InkChars(const std::string& text) {
  std::size_t n = 0;
  for (char32_t ch : catalogue::ToU32(text)) n += ch != U' ' && ch != U'\u3000';
  return n;
}

// Lines under a seal: the new reading replaces the old one when the
// recogniser is more confident of it.
void RereadUnderSeals(ocr::Engine& engine, const Image& grey, const std::vector<Mark>& seals, Page& page) {
  for (auto& line : page.lines) {
    if (std::none_of(seals.begin(), seals.end(), [&](const Mark& m) { return Overlaps(line.box, m.box); })) continue;
    auto again = ReadLineAgain(engine, grey, line, kUnderSealWhite);
    // More confident, and not by reading less (a blank is read confidently).
    if (again && MeanConfidence({*again}) > MeanConfidence({line}) &&
        InkChars(again->text) * 10 >= InkChars(line.text) * 7)
      line = std::move(*again);
  }
}

// Characters between 年 and 月, and after 月 (to the line's end, trailing
// punctuation aside); -1 where the line has no such part.
std::pair<int, int> MonthDayShape(const std::string& norm) {
  std::u32string s = catalogue::ToU32(norm);
  while (!s.empty() && (s.back() == U'。' || s.back() == U')' || s.back() == U'|' || s.back() == U',')) s.pop_back();
  auto nian = s.find(U'年');
  auto yue = s.find(U'月', nian == std::u32string::npos ? 0 : nian);
  int month = nian != std::u32string::npos && yue != std::u32string::npos ? static_cast<int>(yue - nian - 1) : -1;
  int day = yue != std::u32string::npos ? static_cast<int>(s.size() - yue - 1) : -1;
  return {month, day};
}

// A grey image twice the size, each pixel repeated (a black-and-white crop stays sharp).
Image Doubled(const Image& img) {
  Image big;
  big.channels = 1;
  big.dpi = img.dpi * 2;
  big.width = img.width * 2;
  big.height = img.height * 2;
  big.pixels.resize(static_cast<std::size_t>(big.width) * big.height);
  for (int y = 0; y < big.height; ++y)
    for (int x = 0; x < big.width; ++x)
      big.pixels[static_cast<std::size_t>(y) * big.width + x] = img.pixels[static_cast<std::size_t>(y / 2) * img.width + x / 2];
  return big;
}

// A page number stands alone in a margin, small. The Chinese model reads an
// isolated digit as a look-alike character (9 → 弓, 7 → 了); the Latin one,
// held to digits, on a clean black-and-white crop twice the size, reads it.
std::optional<std::string> ReadPageNumber(ocr::Engine& digits, const Image& grey) {
  for (const BBox& region : {BBox{0.0, 0.88, 1.0, 1.0}, BBox{0.0, 0.0, 1.0, 0.08}}) {
    auto marks = preprocess::IsolatedMarks(grey, region);
    if (region.y0 > 0.5) std::reverse(marks.begin(), marks.end());  // the lowest first
    for (const BBox& mark : marks) {
      // Black and white at 150; a light scan's thin digit vanishes there
      // (its strokes break up) and is read at 200.
      for (int threshold : {150, 200}) {
        LineCrop crop = CropLine(grey, mark, 255, threshold);
        if (crop.image.empty()) continue;
        auto read = digits.Read(Doubled(crop.image), ocr::Layout::kLine, 2000, "0123456789");
        if (!read.ok() || read->size() != 1) continue;
        const std::string& t = read->front().text;
        if (t.empty() || t.size() > 4 || MeanConfidence(*read) < 0.6 ||
            !std::all_of(t.begin(), t.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
          continue;
        std::string n = t;
        n.erase(0, std::min(n.find_first_not_of('0'), n.size() - 1));
        return n;
      }
    }
  }
  return std::nullopt;
}

// A line found by a later pass goes before the first line below it.
void InsertInReadingOrder(Page& page, TextLine line) {
  auto at = std::find_if(page.lines.begin(), page.lines.end(), [&](const TextLine& l) { return l.box.y0 > line.box.y0; });
  page.lines.insert(at, std::move(line));
}

// Layout analysis can drop the lines under a seal altogether (the 落款
// agency and date with the seal's traces across them). Read each seal's
// band of the page again as a block, traces taken as paper, and add the
// lines that the page reading does not have.
void ReadUnderSealsAgain(ocr::Engine& engine, const Image& grey, const std::vector<Mark>& seals, Page& page) {
  for (const auto& seal : seals) {
    const double w = seal.box.width();
    const BBox band{std::max(0.0, seal.box.x0 - 0.6 * w), seal.box.y0, std::min(1.0, seal.box.x1 + 0.6 * w), seal.box.y1};
    LineCrop crop = CropLine(grey, band, kUnderSealWhite);
    if (crop.image.empty()) continue;
    auto read = engine.Read(crop.image, ocr::Layout::kBlock, 5000);
    if (!read.ok()) continue;
    for (auto line : *read) {
      if (InkChars(line.text) < 4 || MeanConfidence({line}) < 0.6) continue;
      crop.ToPage(line, grey);
      // Already read: a page line covering the middle of this one.
      const double my = (line.box.y0 + line.box.y1) / 2, mx = (line.box.x0 + line.box.x1) / 2;
      bool known = std::any_of(page.lines.begin(), page.lines.end(), [&](const TextLine& l) {
        return InkChars(l.text) > 0 && my > l.box.y0 && my < l.box.y1 && mx > l.box.x0 - 0.05 && mx < l.box.x1 + 0.05;
      });
      if (known) continue;
      InsertInReadingOrder(page, std::move(line));
    }
  }
}

// Layout analysis also drops lines elsewhere: a form's label in a table
// cell beside a handwritten signature (受送达人签名（盖章）) is the common
// case. Ink that looks like a line of text and that no line read covers is
// read again as one line; a confident reading joins the page.
void ReadMissedLines(ocr::Engine& engine, const Image& grey, Page& page) {
  std::vector<BBox> covered;
  std::vector<double> heights;
  for (const auto& l : page.lines) {
    if (InkChars(l.text) == 0) continue;
    covered.push_back(l.box);
    heights.push_back(l.box.height());
  }
  if (heights.size() < 3) return;
  std::nth_element(heights.begin(), heights.begin() + static_cast<std::ptrdiff_t>(heights.size() / 2), heights.end());
  const double line_h = heights[heights.size() / 2];
  int budget = 8;  // bounded work on a page full of handwriting
  for (const BBox& region : preprocess::UncoveredText(grey, covered, line_h)) {
    if (budget-- == 0) break;
    LineCrop crop = CropLine(grey, region, 255);
    if (crop.image.empty()) continue;
    auto read = engine.Read(crop.image, ocr::Layout::kLine, 3000);
    if (!read.ok()) continue;
    for (auto line : *read) {
      if (InkChars(line.text) < 2 || MeanConfidence({line}) < 0.7) continue;
      crop.ToPage(line, grey);
      InsertInReadingOrder(page, std::move(line));
    }
  }
}

// A 落款 date is a short line of its own in the lower part of the page. One
// that does not read as a date ("二口汪=年二月村为华") is read again with the
// recogniser held to a date's characters; the new reading is kept only if it
// is a whole, valid date, the same at two binarisations.
void RereadDateLines(ocr::Engine& engine, const Image& grey, const std::vector<Mark>& seals, Page& page) {
  static const std::string kDateChars = "〇零一二三四五六七八九十年月日0123456789";
  for (auto& line : page.lines) {
    if (line.box.y0 < 0.3) continue;
    const std::string norm = catalogue::Normalize(line.text);
    const std::size_t len = catalogue::ToU32(norm).size();
    if (len < 5 || len > 16 || !catalogue::FindDates(norm).empty()) continue;
    if (norm.find("年") == std::string::npos && norm.find("月") == std::string::npos) continue;
    const bool sealed = std::any_of(seals.begin(), seals.end(), [&](const Mark& m) { return Overlaps(line.box, m.box); });
    // Black and white at two greys. A held-in reading can drop a stroke the
    // free reading saw as a mark (十“月 → 十月): month and day must keep as
    // many characters as the free reading has, and both greys must agree.
    const auto shape = MonthDayShape(norm);
    std::optional<TextLine> first;
    std::string agreed;
    for (int threshold : {150, 200}) {
      auto again = ReadLineAgain(engine, grey, line, sealed ? kUnderSealWhite : 255, threshold, kDateChars);
      auto dates = again ? catalogue::FindDates(again->text) : std::vector<catalogue::DateMatch>{};
      if (dates.empty()) break;
      const auto got = MonthDayShape(catalogue::Normalize(again->text));
      if ((shape.first >= 0 && shape.first != got.first) || (shape.second >= 0 && shape.second != got.second)) break;
      if (!first) {
        first = std::move(again);
        agreed = dates.front().iso;
      } else if (dates.front().iso == agreed) {
        line = std::move(*first);
      }
    }
  }
}

Case ErrorCase(Case c, const Status& st) {
  c.status = "error";
  c.error = CaseError{st.code(), st.message()};
  return c;
}

// Calibration (PINGCHA_RING_NAMES=NAME,NAME…): whether each name would be
// taken for the seal's owner by the same judgement as the agency's, one "RV"
// line per name on stderr. bench/owner_stress counts how often a name that
// is not the seal's verifies (with a generated truth).
void PrintRingNameVerdicts(const std::string& names, const Case& c, int page, const Mark& m, const std::string& case_text,
                           const std::u32string& cohort, const Catalogue& names_known, seals::GlyphRenderer& glyphs) {
  for (std::size_t at = 0; at < names.size();) {
    const std::size_t k = std::min(names.find(',', at), names.size());
    const std::string name = names.substr(at, k - at);
    at = k + 1;
    if (name.empty()) continue;
    const RingVerdict v = JudgeRing({&m.ring_strip, &m.ring_strip_angle}, name, case_text, cohort, names_known, glyphs);
    std::fprintf(stderr, "RV\t%s\t%d\t%f\t%f\t%s\t%s\t%.3f\n", c.case_id.c_str(), page, m.box.x0, m.box.y0, name.c_str(),
                 v.is_agency ? (*v.is_agency ? "agency" : "unit") : "unknown", v.mean_rank);
  }
}

}  // namespace

Result<std::string> HashInput(const std::string& path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return checks::Sha256File(path);
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(path, ec))
    if (e.is_regular_file(ec) && ingest::IsPageImageName(e.path().filename().string())) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::string all;
  for (const auto& f : files) {
    auto h = checks::Sha256File(f.string());
    if (!h.ok()) return h.status();
    all += f.filename().string() + ":" + *h + "\n";
  }
  return checks::Sha256Hex(all);
}

CaseRunner::CaseRunner(const Standard& standard, const RunOptions& options, std::unique_ptr<ocr::Engine> engine)
    : standard_(standard), options_(options), engine_(std::move(engine)) {}

ocr::Engine& CaseRunner::Engine() {
  if (!engine_) {
    auto made = ocr::Engine::Create(ocr::Options{});
    // The model was checked at start-up; failing now is an internal error,
    // reported for the case at hand by the batch runner.
    if (!made.ok()) throw std::runtime_error(made.status().message());
    engine_ = std::move(made).value();
  }
  return *engine_;
}

ocr::Engine& CaseRunner::DigitEngine() {
  if (!digit_engine_) {
    ocr::Options o;
    o.language = "eng";
    auto made = ocr::Engine::Create(o);
    if (!made.ok()) throw std::runtime_error(made.status().message());
    digit_engine_ = std::move(made).value();
  }
  return *digit_engine_;
}

void CaseRunner::ReadPage(ingest::Source& source, int index, const std::string& case_id, Case& c) {
  Page page;
  page.number = index + 1;
  const auto& info = source.info(index);
  // Born-digital pages: words and boxes from the text layer; a light render for seals.
  int dpi = info.has_text_layer ? 100 : options_.dpi;
  Phase phase(*this, "reading");
  auto rendered = [&] {
    Phase render(*this, "render");
    return source.RenderPage(index, dpi);
  }();
  if (!rendered.ok()) {
    page.readable = false;
    page.warning = rendered.status().code();
    c.warnings.push_back("page " + std::to_string(page.number) + ": " + rendered.status().message());
    c.pages.push_back(std::move(page));
    return;
  }
  Image rgb = std::move(rendered).value();
  page.width_px = rgb.width;
  page.height_px = rgb.height;
  auto stats = [&] {
    Phase measure(*this, "prepare");
    return preprocess::Measure(rgb);
  }();
  page.colour = !stats.grey_only;
  preprocess::Prepared prepared;  // the image OCR read (upright, deskewed)
  bool ocr_read = false;
  if (info.has_text_layer) {
    page.text_from = "text_layer";
    page.lines = source.TextLayer(index);
    page.mean_confidence = page.lines.empty() ? std::optional<double>() : 1.0;
  } else if (stats.blank) {
    page.blank = true;
  } else {
    ocr_read = true;
    {
      Phase prepare(*this, "prepare");
      prepared = preprocess::Prepare(rgb, 0);
    }
    if (const char* dbg = std::getenv("PINGCHA_DEBUG_DIR"))
      (void)seals::WriteCrop(prepared.grey, {0, 0, 1, 1}, 0, std::string(dbg) + "/p" + std::to_string(page.number) + ".png", 5000);
    auto lines = Engine().Read(prepared.grey, ocr::Layout::kPage, options_.page_timeout_ms);
    if (lines.ok()) {
      page.skew_degrees = prepared.skew_degrees;
      // A page that reads poorly may be turned: ask the orientation detector.
      const double mean_conf = MeanConfidence(*lines);
      const bool latin = ManyLatinLetters(*lines);
      if (mean_conf < 0.75 || ReadingScore(*lines) < 40 || MostlyVertical(*lines) || latin) {
        auto [rotation, conf] = Engine().DetectUpright(prepared.grey);
        // The detector unsure and the page read as noise: a page fed upside
        // down is the common case (measured: a grey table page, detector 0°
        // at 0.33 on the prepared image). Try it; the better reading wins.
        if ((rotation == 0 || conf <= 0.5) && (mean_conf < 0.6 || latin)) {
          rotation = 180;
          conf = 1;
        }
        if (rotation != 0 && conf > 0.5) {
          auto turned = [&] {
            Phase prepare(*this, "prepare");
            return preprocess::Prepare(rgb, rotation);
          }();
          auto again = Engine().Read(turned.grey, ocr::Layout::kPage, options_.page_timeout_ms);
          // Better read, or as well read and no longer standing on end.
          const bool better = again.ok() && ReadingScore(*again) > ReadingScore(*lines) * 1.2;
          const bool upright_now = again.ok() && MostlyVertical(*lines) && !MostlyVertical(*again) &&
                                   ReadingScore(*again) >= 0.8 * ReadingScore(*lines);
          if (better || upright_now) {
            lines = std::move(again);
            page.rotation = rotation;
            page.skew_degrees = turned.skew_degrees;
            prepared = std::move(turned);  // the upright image, for the passes below
          }
        }
      }
      page.lines = std::move(lines).value();
      page.mean_confidence = MeanConfidence(page.lines);
      const Image& grey = prepared.grey;
      page.margin_lines = ReadMargins(Engine(), grey);
      if (!catalogue::FindTitle(page, standard_.catalogue)) ReadTitleSmaller(Engine(), grey, standard_.catalogue, page);
    } else {
      page.readable = false;
      page.warning = lines.status().code();
      c.warnings.push_back("page " + std::to_string(page.number) + ": " + lines.status().message());
    }
  }
  if (!page.blank) {
    Image turned;  // only when the page was read turned: an A4 page at 200 dpi is 11 MB
    if (page.rotation != 0) turned = preprocess::RotateImage(rgb, page.rotation);
    const Image& upright = page.rotation != 0 ? turned : rgb;
    if (page.colour) {
      {
        Phase find(*this, "seals");
        page.seals = seals::FindSeals(upright);
      }
      if (ocr_read && page.readable && !page.seals.empty()) {
        Phase reread(*this, "reading under seals");
        RereadUnderSeals(Engine(), prepared.grey, page.seals, page);
        ReadUnderSealsAgain(Engine(), prepared.grey, page.seals, page);
      }
      for (std::size_t k = 0; k < page.seals.size(); ++k) {
        auto& seal = page.seals[k];
        // A rectangular stamp (a bank's 转讫) has no ring: its owner stays
        // unknown rather than read off a ring that is not there.
        if (seal.shape == "rect") continue;
        // Ring text: unwrap bands of a few depths, keep the most confident
        // reading. A reading below the credibility floor stays unread.
        Phase rings(*this, "seal rings");
        const seals::RingFit ring = seals::FitRing(upright, seal.box);
        double best_conf = 0;
        for (double band : {0.30, 0.34, 0.38}) {
          Image strip = seals::UnwrapRing(upright, ring, band);
          if (const char* dbg = std::getenv("PINGCHA_DEBUG_DIR"))
            (void)seals::WriteCrop(strip, {0, 0, 1, 1}, 0, std::string(dbg) + "/p" + std::to_string(page.number) + "_ring" + std::to_string(k) + "_" + std::to_string(static_cast<int>(band * 100)) + ".png", 5000);
          auto read = Engine().Read(strip, ocr::Layout::kLine, 10000);
          if (!read.ok()) continue;
          std::string text;
          double sum = 0;
          int n = 0;
          for (const auto& l : *read) {
            text += l.text;
            for (const auto& w : l.words) { sum += w.confidence; ++n; }
          }
          double conf = n ? sum / n : 0;
          if (!text.empty() && conf > best_conf) { best_conf = conf; seal.ring_text = text; }
        }
        if (best_conf < kRingConfidenceFloor) seal.ring_text.reset();
        seal.ring_strip = seals::RingStrip(upright, ring);
        if (seal.shape == "oval") seal.ring_strip_angle = seals::RingStrip(upright, ring, seals::RingSpacing::kAngle);
      }
      Phase crops(*this, "evidence crops");
      WriteSealCrops(upright, case_id, page);
    }
    if (ocr_read && page.readable) {
      Phase reread(*this, "reading missed lines");
      ReadMissedLines(Engine(), prepared.grey, page);
      RereadDateLines(Engine(), prepared.grey, page.seals, page);
    }
    Phase signatures(*this, "signatures");
    // Signatures on the image OCR read: deskewed (the table rules that bound
    // a signature cell run straight) and in the frame of the line boxes; the
    // red channel drops seal ink and keeps blue and black pen.
    page.signatures = seals::FindSignatureAreas(ocr_read && !prepared.grey.empty() ? prepared.grey : upright, page.lines);
  }
  // An isolated number read by the digit reader first; a number with words
  // or dashes ("第9页", "- 9 -") from the margin lines.
  Phase number(*this, "page number");
  if (ocr_read && page.readable) page.printed_number = ReadPageNumber(DigitEngine(), prepared.grey);
  if (!page.printed_number) page.printed_number = catalogue::PrintedPageNumber(page);
  // The text as reported and catalogued, with the punctuation the
  // recogniser misreads put back — after the passes above, which read the
  // page's geometry from the lines as recognised.
  if (ocr_read) ocr::CleanLines(page.lines);
  c.pages.push_back(std::move(page));
}

void CaseRunner::WriteSealCrops(const Image& upright, const std::string& case_id, Page& page) const {
  for (std::size_t k = 0; k < page.seals.size(); ++k) {
    auto& seal = page.seals[k];
    std::string rel = "evidence/" + case_id + "/p" + std::to_string(page.number) + "_seal" + std::to_string(k + 1) + ".png";
    std::string abs = options_.out_dir + "/" + rel;
    std::error_code ec;
    fs::create_directories(fs::path(abs).parent_path(), ec);
    std::string tmp = abs + ".tmp.png";
    if (!ec && seals::WriteCrop(upright, seal.box, 0.01, tmp).ok()) {
      fs::rename(tmp, abs, ec);
      if (!ec) seal.crop_png = rel;
    }
  }
}

void CaseRunner::ReadPageCached(ingest::Source& source, int index, const CaseInput& input, Case& c) {
  // The page as read depends on the file, the page, the engines and the
  // reading parameters, not on the rubrics: a rubric change re-checks
  // without OCR.
  Phase phase(*this, "page cache");
  std::string key;
  if (options_.cache && !input.input_sha.empty()) {
    key = checks::Sha256Hex(input.input_sha + ":" + std::to_string(index) + ":" + std::to_string(options_.dpi) + ":" +
                            kPageFormat + ":" +
                            options_.provenance.pingcha + ":" + options_.provenance.tesseract + ":" +
                            options_.provenance.ocr_model + ":" + standard_.catalogue.sha256);
    if (auto hit = options_.cache->CachedPage(key)) {
      if (auto page = report::PageFromJson(*hit); page.ok()) {
        Page p = std::move(page).value();
        bool crops_missing = false;
        for (std::size_t k = 0; k < p.seals.size(); ++k) {
          std::string rel = "evidence/" + c.case_id + "/p" + std::to_string(p.number) + "_seal" + std::to_string(k + 1) + ".png";
          if (fs::exists(options_.out_dir + "/" + rel)) p.seals[k].crop_png = rel;
          else crops_missing = true;
        }
        if (crops_missing) {
          auto rgb = source.RenderPage(index, source.info(index).has_text_layer ? 100 : options_.dpi);
          if (rgb.ok()) WriteSealCrops(preprocess::RotateImage(*rgb, p.rotation), c.case_id, p);
        }
        c.pages.push_back(std::move(p));
        return;
      }
    }
  }
  ReadPage(source, index, c.case_id, c);
  // Fresh and cached pages must lead to the same report: both go through
  // the cache's form.
  Page& fresh = c.pages.back();
  std::string json = report::PageToJson(fresh);
  if (auto back = report::PageFromJson(json); back.ok()) {
    std::vector<std::string> crops;
    for (const auto& m : fresh.seals) crops.push_back(m.crop_png);
    fresh = std::move(back).value();
    for (std::size_t k = 0; k < crops.size() && k < fresh.seals.size(); ++k) fresh.seals[k].crop_png = crops[k];
  }
  if (!key.empty() && fresh.readable) (void)options_.cache->PutPage(key, json);
}

seals::GlyphRenderer& CaseRunner::Glyphs() const {
  if (!glyphs_) glyphs_ = std::make_unique<seals::GlyphRenderer>();
  return *glyphs_;
}

void CaseRunner::TieMarksToDocuments(Case& c) const {
  std::string case_text;  // what the case prints (its documents' text): the places a seal may name
  for (const auto& d : c.documents) case_text += d.text + "\n";
  const std::u32string cohort = CaseCharacters(case_text);
  for (auto& d : c.documents) {
    const DocType* type = standard_.catalogue.Find(d.type);
    bool party_needed = type && type->party;
    int party_areas = 0, party_signed = 0;
    for (int p = d.first_page; p <= d.last_page; ++p) {
      const Page& page = c.pages[static_cast<std::size_t>(p - 1)];
      if (page.blank) continue;
      if (!page.colour) d.seal_colour_known = false;
      for (const auto& m : page.seals) {
        Seal s;
        s.page = p;
        s.bbox = m.box;
        s.shape = m.shape;
        s.confidence = m.confidence;
        s.crop_png = m.crop_png;
        if (std::getenv("PINGCHA_RING_DEBUG"))  // calibration of seal_owner.cc against a generated truth
          std::fprintf(stderr, "RING\t%s\t%d\t%f\t%f\t%zu\t%s\n", c.case_id.c_str(), p, m.box.x0, m.box.y0, cohort.size(),
                       RingRanks(m.ring_strip, c.agency, cohort, standard_.catalogue.internal_units, Glyphs()).c_str());
        if (const char* names = std::getenv("PINGCHA_RING_NAMES"))  // calibration: other agencies' names on this ring
          PrintRingNameVerdicts(names, c, p, m, case_text, cohort, standard_.catalogue, Glyphs());
        // The agency's name verified on the ring's glyphs; failing that, the
        // ring as read (which alone can say "another body").
        const RingVerdict ring = JudgeRing({&m.ring_strip, &m.ring_strip_angle}, c.agency, case_text, cohort,
                                           standard_.catalogue, Glyphs());
        if (ring.is_agency) {
          s.owner = ring.owner;
          s.is_agency_seal = ring.is_agency;
        } else if (m.ring_text) {
          auto verdict = catalogue::JudgeOwner(*m.ring_text, c.agency, case_text);
          // A reading that decides nothing is noise (人全发洛疏全交管理息): no
          // owner. One that is the agency's, garbled as ring readings are
          // (日尔多戎市东区农履局), names the agency as the case prints it.
          if (verdict.is_agency == std::optional<bool>(true)) {
            const int extra = static_cast<int>(catalogue::HanOnly(verdict.cleaned).size()) -
                              static_cast<int>(catalogue::HanOnly(c.agency).size());
            s.owner = PrintedOwner(c.agency, case_text, extra, standard_.catalogue.places);
          } else if (verdict.is_agency == std::optional<bool>(false) && !verdict.cleaned.empty()) {
            s.owner = verdict.cleaned;
          }
          s.is_agency_seal = verdict.is_agency;
        }
        d.seals.push_back(std::move(s));
      }
      for (const auto& sig : page.signatures) {
        if (sig.role != "party") continue;
        ++party_areas;
        party_signed += sig.present;
      }
    }
    if (party_needed) {
      if (party_areas == 0) d.party_signed = std::nullopt;  // no signature line found: cannot tell
      else d.party_signed = party_signed == party_areas;
    }
  }
}

void CaseRunner::Judge(Case& c) const {
  auto it = standard_.rubrics.find(c.case_type);
  if (it == standard_.rubrics.end()) {
    c.warnings.push_back("no rubric for case type '" + c.case_type + "'");
    return;
  }
  const Rubric& rubric = it->second;
  c.provenance.rubric = rubric.id + " sha256:" + rubric.sha256;
  checks::Context ctx{rubric, standard_.catalogue, standard_.calendar};
  c.findings = checks::RunChecks(c, ctx);
  c.score = score::Compute(c.findings, rubric);
}

Case CaseRunner::Review(const CaseInput& input) {
  Case c;
  c.case_id = input.case_id;
  c.source.path = input.rel_path;
  c.provenance = options_.provenance;
  c.provenance.catalogue = "sha256:" + standard_.catalogue.sha256;
  c.agency = input.agency;
  c.agency_from = input.agency_from;
  c.case_type = input.case_type;
  c.case_type_from = input.case_type_from;
  auto hash = input.input_sha.empty() ? HashInput(input.path) : Result<std::string>(input.input_sha);
  if (!hash.ok()) return ErrorCase(c, Status(hash.status().code(), Relativise(hash.status().message(), input.path, input.rel_path)));
  c.source.sha256 = *hash;
  auto opened = ingest::Open(input.path, options_.limits);
  if (!opened.ok())
    return ErrorCase(c, Status(opened.status().code(), Relativise(opened.status().message(), input.path, input.rel_path)));
  auto& source = *opened.value();
  c.source.pages = source.page_count();
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < source.page_count(); ++i) {
    if (options_.stop && options_.stop->load()) return ErrorCase(c, Status("interrupted", input.rel_path + ": interrupted"));
    double spent = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (options_.case_timeout_s > 0 && spent > options_.case_timeout_s)
      return ErrorCase(c, Status("timeout", input.rel_path + ": the case took over " + std::to_string(options_.case_timeout_s) +
                                                " s (" + std::to_string(i) + " of " + std::to_string(source.page_count()) +
                                                " pages read); raise --case-timeout to review it"));
    ReadPageCached(source, i, input, c);
    if (options_.write_text) {
      Phase phase(*this, "text files");
      std::string text;
      const Page& page = c.pages.back();
      for (const auto& l : page.lines) text += l.text + "\n";
      // The printed page number, read in the margin pass, is part of the page.
      if (page.printed_number && text.find(*page.printed_number + "\n") == std::string::npos)
        text += *page.printed_number + "\n";
      auto st = report::WriteAtomic(options_.out_dir + "/text/" + c.case_id + "/" + std::to_string(i + 1) + ".txt", text);
      if (!st.ok()) c.warnings.push_back(st.message());
    }
  }
  if (std::none_of(c.pages.begin(), c.pages.end(), [](const Page& p) { return p.readable; }))
    return ErrorCase(c, Status("unreadable", input.rel_path + ": no page could be read" +
                                                 (c.warnings.empty() ? std::string()
                                                                     : " (" + Relativise(c.warnings.front(), input.path, input.rel_path) + ")")));

  // Nothing on any page: a scan that failed, or page images that could not
  // be decoded (Poppler draws a corrupt JPEG stream as white paper).
  if (std::all_of(c.pages.begin(), c.pages.end(), [](const Page& p) { return p.blank || !p.readable; }))
    return ErrorCase(c, Status("unreadable", input.rel_path + ": every page is blank (" + std::to_string(c.pages.size()) +
                                                 " pages): nothing to review — a failed scan, or page images that could not be decoded"));
  Phase phase(*this, "catalogue and checks");
  c.documents = catalogue::BuildDocuments(c.pages, standard_.catalogue);
  if (c.agency.empty()) {
    c.agency = catalogue::DetectAgency(c.pages);
    c.agency_from = c.agency.empty() ? "" : "detected";
  }
  if (c.case_type.empty()) {
    c.case_type = catalogue::DetectCaseType(c.documents, standard_.catalogue);
    c.case_type_from = c.case_type.empty() ? "" : "detected";
  }
  c.procedure = input.procedure.empty() ? catalogue::DetectProcedure(c.documents) : input.procedure;
  {
    Phase owners(*this, "seal owners");
    TieMarksToDocuments(c);
  }
  if (c.case_type.empty()) return ErrorCase(c, Status("unknown_case_type", input.rel_path + ": no document says what kind of case this is"));
  Judge(c);

  // The report gives boxes on the page as stored: undo the reading rotation.
  auto rotation_of = [&](int page) { return page >= 1 && page <= static_cast<int>(c.pages.size()) ? c.pages[static_cast<std::size_t>(page - 1)].rotation : 0; };
  for (auto& d : c.documents)
    for (auto& s : d.seals) s.bbox = UnrotateBox(s.bbox, rotation_of(s.page));
  for (auto& f : c.findings)
    for (auto& e : f.evidence) e.bbox = UnrotateBox(e.bbox, rotation_of(e.page));
  for (auto& p : c.pages) p.lines.clear(), p.seals.clear(), p.signatures.clear();  // not reported
  return c;
}

}  // namespace pingcha
