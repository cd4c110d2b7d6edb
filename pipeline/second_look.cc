// Second looks at a page: passes that read parts of it again where the
// page reading (Tesseract's layout analysis over the whole page) misses or
// garbles text — margins, large titles, lines under seals, lines the layout
// dropped, 落款 dates, page numbers. Each keeps a new reading only when it is
// better by a measure stated with it.
#include "pipeline/second_look.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "stages/catalogue/catalogue.h"
#include "stages/catalogue/text.h"
#include "stages/preprocess/preprocess.h"

namespace pingcha {
namespace {

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

// The lines read from `crop` (cut from `grey`) with at least `min_chars`
// characters and `min_confidence`, in page fractions.
std::vector<TextLine> ConfidentLines(ocr::Engine& engine, const Image& grey, const LineCrop& crop, ocr::Layout layout,
                                     int timeout_ms, std::size_t min_chars, double min_confidence) {
  std::vector<TextLine> out;
  if (crop.image.empty()) return out;
  auto read = engine.Read(crop.image, layout, timeout_ms);
  if (!read.ok()) return out;
  for (auto& line : *read) {
    if (InkChars(line.text) < min_chars || MeanConfidence({line}) < min_confidence) continue;
    crop.ToPage(line, grey);
    out.push_back(std::move(line));
  }
  return out;
}

// The median height of the page's lines with ink (a fraction of the page);
// none with fewer than three such lines.
std::optional<double> MedianLineHeight(const Page& page) {
  std::vector<double> heights;
  for (const auto& l : page.lines)
    if (InkChars(l.text) > 0) heights.push_back(l.box.height());
  if (heights.size() < 3) return std::nullopt;
  std::nth_element(heights.begin(), heights.begin() + static_cast<std::ptrdiff_t>(heights.size() / 2), heights.end());
  return heights[heights.size() / 2];
}

// A line found by a later pass goes before the first line below it.
void InsertInReadingOrder(Page& page, TextLine line) {
  auto at = std::find_if(page.lines.begin(), page.lines.end(), [&](const TextLine& l) { return l.box.y0 > line.box.y0; });
  page.lines.insert(at, std::move(line));
}

}  // namespace

double MeanConfidence(const std::vector<TextLine>& lines) {
  double sum = 0;
  int n = 0;
  for (const auto& l : lines)
    for (const auto& w : l.words) { sum += w.confidence; ++n; }
  return n ? sum / n : 0;
}

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
      // The title as first read, in pieces or garbled (当场行政处; 所“网 决定书),
      // gives way: lines of its row lying mostly within the new title's box.
      page.lines.erase(std::remove_if(page.lines.begin(), page.lines.end(), [&](const TextLine& l) {
        const double h = std::min(l.box.y1, line.box.y1) - std::max(l.box.y0, line.box.y0);
        const double w = std::min(l.box.x1, line.box.x1) - std::max(l.box.x0, line.box.x0);
        return h >= 0.5 * l.box.height() && h >= 0.5 * line.box.height() && w >= 0.5 * l.box.width();
      }), page.lines.end());
      page.lines.insert(page.lines.begin(), line);
      return;
    }
  }
}

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

std::optional<PrintedNumber> ReadPageNumber(ocr::Engine& digits, const Image& grey) {
  // An isolated digit is the recogniser's weak case: read alone, a clean 1
  // comes back empty as a line and at 0.34 as a word, a light 2 as 7. So each
  // mark is read four ways (black and white at 150 and 200 — a light scan's
  // thin strokes vanish at 150 — as a line and as a word) and the readings
  // vote: a number is taken when one reading is sure of it (≥ 0.6) or two
  // agree on it (each ≥ 0.2), and no other number is read as surely.
  struct Vote { int count = 0; double best = 0; };
  // Marks are found on ink below 150, then below 200: a light digit breaks
  // apart at 150 (a 2's foot, a 5's bar) and is read whole only at 200.
  for (const BBox& region : {BBox{0.0, 0.88, 1.0, 1.0}, BBox{0.0, 0.0, 1.0, 0.08}})
  for (int ink_below : {150, 200}) {
    auto marks = preprocess::IsolatedMarks(grey, region, ink_below);
    if (region.y0 > 0.5) std::reverse(marks.begin(), marks.end());  // the lowest first
    for (const BBox& mark : marks) {
      std::map<std::string, Vote> votes;
      for (int threshold : {150, 200}) {
        LineCrop crop = CropLine(grey, mark, 255, threshold);
        if (crop.image.empty()) continue;
        const Image big = Doubled(crop.image);
        for (ocr::Layout layout : {ocr::Layout::kLine, ocr::Layout::kWord}) {
          auto read = digits.Read(big, layout, 2000, "0123456789");
          if (!read.ok() || read->size() != 1) continue;
          std::string t = read->front().text;
          const double conf = MeanConfidence(*read);
          if (t.empty() || t.size() > 4 || conf < 0.2 ||
              !std::all_of(t.begin(), t.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
            continue;
          t.erase(0, std::min(t.find_first_not_of('0'), t.size() - 1));
          Vote& v = votes[t];
          ++v.count;
          v.best = std::max(v.best, conf);
        }
      }
      const std::string* winner = nullptr;
      for (const auto& [t, v] : votes)
        if (!winner || v.best > votes[*winner].best) winner = &t;
      if (!winner) continue;
      const Vote& w = votes[*winner];
      if (w.best < 0.6 && w.count < 2) continue;
      const bool contested = std::any_of(votes.begin(), votes.end(), [&](const auto& kv) {
        return kv.first != *winner && (kv.second.best >= 0.6 || (w.best < 0.6 && kv.second.count >= w.count));
      });
      if (contested) continue;
      return PrintedNumber{*winner, mark};
    }
  }
  return std::nullopt;
}

void ReadUnderSealsAgain(ocr::Engine& engine, const Image& grey, const std::vector<Mark>& seals, Page& page) {
  for (const auto& seal : seals) {
    const double w = seal.box.width();
    const BBox band{std::max(0.0, seal.box.x0 - 0.6 * w), seal.box.y0, std::min(1.0, seal.box.x1 + 0.6 * w), seal.box.y1};
    for (auto line : ConfidentLines(engine, grey, CropLine(grey, band, kUnderSealWhite), ocr::Layout::kBlock, 5000, 4, 0.6)) {
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

void RereadSparseLines(ocr::Engine& engine, const Image& grey, Page& page) {
  // Characters read with some confidence: what a reading is worth.
  auto worth = [](const TextLine& l) {
    double n = 0;
    for (const auto& w : l.words)
      if (w.confidence >= 0.6) n += static_cast<double>(InkChars(w.text));
    return n;
  };
  int budget = 6;  // bounded work on a page of handwriting
  std::vector<std::size_t> replaced;
  std::vector<TextLine> found;
  for (std::size_t i = 0; i < page.lines.size() && budget > 0; ++i) {
    const TextLine& line = page.lines[i];
    const double w_px = line.box.width() * grey.width, h_px = line.box.height() * grey.height;
    // A glyph is about as wide as the line is high: a line read with fewer
    // than half the characters its box holds, unsurely, lost the rest.
    if (h_px < 8 || w_px < 3 * h_px || static_cast<double>(InkChars(line.text)) * h_px >= 0.5 * w_px ||
        MeanConfidence({line}) >= 0.8)
      continue;
    --budget;
    std::vector<TextLine> again;
    for (auto& l : ConfidentLines(engine, grey, CropLine(grey, line.box, 255), ocr::Layout::kBlock, 5000, 2, 0.75)) {
      // The crop takes in the edges of the lines above and below: a line
      // the page already has is not added twice.
      const bool known = std::any_of(page.lines.begin(), page.lines.end(), [&](const TextLine& o) {
        return &o != &line && InkChars(o.text) > 0 && Overlaps(o.box, l.box) && SharesRow(o.box, l.box);
      });
      if (!known) again.push_back(std::move(l));
    }
    double gained = 0;
    for (const auto& l : again) gained += worth(l);
    if (gained < 2 * worth(line) + 2) continue;
    replaced.push_back(i);
    for (auto& l : again) found.push_back(std::move(l));
  }
  for (auto it = replaced.rbegin(); it != replaced.rend(); ++it)
    page.lines.erase(page.lines.begin() + static_cast<std::ptrdiff_t>(*it));
  for (auto& l : found) InsertInReadingOrder(page, std::move(l));
}

void ReadMissedLines(ocr::Engine& engine, const Image& grey, Page& page) {
  const auto line_h = MedianLineHeight(page);
  if (!line_h) return;
  std::vector<BBox> covered;
  for (const auto& l : page.lines)
    if (InkChars(l.text) > 0) covered.push_back(l.box);
  int budget = 8;  // bounded work on a page full of handwriting
  for (const BBox& region : preprocess::UncoveredText(grey, covered, *line_h)) {
    if (budget-- == 0) break;
    for (auto line : ConfidentLines(engine, grey, CropLine(grey, region, 255), ocr::Layout::kLine, 3000, 2, 0.7))
      InsertInReadingOrder(page, std::move(line));
  }
}

void ReadRedPrint(ocr::Engine& engine, const Image& red_ink, double skew_degrees, const std::vector<Mark>& seals,
                  Page& page) {
  if (red_ink.empty()) return;
  const auto line_h = MedianLineHeight(page);
  if (!line_h) return;
  // Seals are red ink too: their boxes (found on the page before deskew)
  // turned both ways by the skew, so the box covers the seal either way.
  std::vector<BBox> seal_boxes;
  const double a = skew_degrees * M_PI / 180.0, W = red_ink.width, H = red_ink.height;
  for (const Mark& m : seals) {
    BBox b{1, 1, 0, 0};
    for (double sign : {-1.0, 1.0})
      for (double fx : {m.box.x0, m.box.x1})
        for (double fy : {m.box.y0, m.box.y1}) {
          const double x = (fx - 0.5) * W, y = (fy - 0.5) * H;
          const double rx = x * std::cos(sign * a) - y * std::sin(sign * a), ry = x * std::sin(sign * a) + y * std::cos(sign * a);
          b = {std::min(b.x0, rx / W + 0.5), std::min(b.y0, ry / H + 0.5), std::max(b.x1, rx / W + 0.5), std::max(b.y1, ry / H + 0.5)};
        }
    seal_boxes.push_back(b);
  }
  // A letterhead is set larger than the body: glyphs up to three body lines tall.
  int budget = 4;
  for (const BBox& region : preprocess::UncoveredText(red_ink, seal_boxes, 1.5 * *line_h)) {
    if (budget-- == 0) break;
    for (auto line : ConfidentLines(engine, red_ink, CropLine(red_ink, region, 255), ocr::Layout::kLine, 3000, 3, 0.7)) {
      // Red print the page reading also read (dark red survives the red
      // channel): the better reading stays.
      auto same = std::find_if(page.lines.begin(), page.lines.end(), [&](const TextLine& l) {
        return InkChars(l.text) > 0 && Overlaps(l.box, line.box) && SharesRow(l.box, line.box);
      });
      if (same != page.lines.end()) {
        if (MeanConfidence({*same}) >= MeanConfidence({line})) continue;
        page.lines.erase(same);
      }
      InsertInReadingOrder(page, std::move(line));
    }
  }
}

void RereadDateLines(ocr::Engine& engine, const Image& grey, const std::vector<Mark>& seals, Page& page) {
  static const std::string kDateChars = "〇零一二三四五六七八九十年月日0123456789";
  for (auto& line : page.lines) {
    if (line.box.y0 < 0.3) continue;
    const std::string norm = catalogue::Normalize(line.text);
    const std::u32string free_reading = catalogue::ToU32(norm);
    if (free_reading.size() < 5 || free_reading.size() > 16 || !catalogue::FindDates(norm).empty()) continue;
    if (norm.find("年") == std::string::npos && norm.find("月") == std::string::npos) continue;
    const bool sealed = std::any_of(seals.begin(), seals.end(), [&](const Mark& m) { return Overlaps(line.box, m.box); });
    // Darkest first: a grey scan's seal under the date is mid-grey (at 150
    // its star can join a 1 and make a 4); a light scan's thin strokes
    // vanish below 200. A held-in reading can drop a stroke the free reading
    // saw as a mark (十“月 → 十月): month and day must keep as many
    // characters as the free reading has.
    const auto shape = MonthDayShape(norm);
    struct Reading {
      int greys = 0;
      bool mends_free = false;
      TextLine line;
    };
    std::map<std::string, Reading> readings;  // by the date read
    for (int threshold : {90, 120, 150, 200}) {
      auto again = ReadLineAgain(engine, grey, line, sealed ? kUnderSealWhite : 255, threshold, kDateChars);
      auto dates = again ? catalogue::FindDates(again->text) : std::vector<catalogue::DateMatch>{};
      if (dates.empty()) continue;
      const std::string again_norm = catalogue::Normalize(again->text);
      const auto got = MonthDayShape(again_norm);
      if ((shape.first >= 0 && shape.first != got.first) || (shape.second >= 0 && shape.second != got.second)) continue;
      Reading& r = readings.try_emplace(dates.front().iso, Reading{0, false, *again}).first->second;
      ++r.greys;
      const std::u32string again_chars = catalogue::ToU32(again_norm);  // one character mended, in place
      r.mends_free = r.mends_free || (again_chars.size() == free_reading.size() &&
                                      catalogue::EditDistance(free_reading, again_chars) <= 1);
    }
    if (readings.size() != 1) continue;
    Reading& r = readings.begin()->second;
    if (r.greys >= 2 || r.mends_free) line = std::move(r.line);
  }
}

}  // namespace pingcha
