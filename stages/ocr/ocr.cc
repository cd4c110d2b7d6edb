#include "stages/ocr/ocr.h"

#include "models/cpu_clock.h"

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>
#include <tesseract/resultiterator.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>

namespace pingcha::ocr {
namespace {

struct ApiDeleter {
  void operator()(tesseract::TessBaseAPI* api) const {
    api->End();
    delete api;
  }
};
using ApiPtr = std::unique_ptr<tesseract::TessBaseAPI, ApiDeleter>;

struct TextDeleter {
  void operator()(char* p) const { delete[] p; }
};

bool IsAsciiAlnum(unsigned char c) { return c < 0x80 && std::isalnum(c); }

}  // namespace

struct Engine::Impl {
  ApiPtr api;
  ApiPtr osd;  // lazily created orientation detector; may stay null
  bool osd_tried = false;
  std::string tessdata;
  std::string language;
  double seconds = 0;
};

std::string DefaultTessdata() {
  if (const char* env = std::getenv("TESSDATA_PREFIX"); env && *env) return env;
  for (const char* dir : {"/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                          "/usr/share/tessdata"}) {
    if (std::filesystem::exists(std::string(dir) + "/chi_sim.traineddata")) return dir;
  }
  return "/usr/share/tesseract-ocr/5/tessdata";
}

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::Create(const Options& options) {
  auto impl = std::make_unique<Impl>();
  impl->tessdata = options.tessdata.empty() ? DefaultTessdata() : options.tessdata;
  impl->language = options.language;
  std::string model = impl->tessdata + "/" + options.language + ".traineddata";
  if (!std::filesystem::exists(model)) {
    return Status("dependency_missing",
                  "OCR model " + model + " not found; install it with "
                  "`apt-get install tesseract-ocr-chi-sim` (or set TESSDATA_PREFIX)");
  }
  impl->api.reset(new tesseract::TessBaseAPI());
  if (impl->api->Init(impl->tessdata.c_str(), options.language.c_str(), tesseract::OEM_LSTM_ONLY) != 0) {
    return Status("dependency_missing", "Tesseract could not load " + model);
  }
  impl->api->SetVariable("debug_file", "/dev/null");
  return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

double Engine::recognition_seconds() const { return impl_->seconds; }

std::string Engine::Version() { return tesseract::TessBaseAPI::Version(); }
std::string Engine::ModelPath() const {
  return impl_->tessdata + "/" + impl_->language + ".traineddata";
}

std::string JoinWords(const std::vector<Word>& words) {
  std::string out;
  for (const auto& w : words) {
    if (w.text.empty()) continue;
    if (!out.empty() && IsAsciiAlnum(static_cast<unsigned char>(out.back())) &&
        IsAsciiAlnum(static_cast<unsigned char>(w.text.front()))) {
      out += ' ';
    }
    out += w.text;
  }
  return out;
}

namespace {

bool IsDigit(char32_t c) { return c >= U'0' && c <= U'9'; }
bool IsOneOf(char32_t c, std::u32string_view set) { return set.find(c) != std::u32string_view::npos; }

// A handwritten signature's or a scribble's strokes read as Latin letters
// and ASCII marks (-_<>=~): a word made only of those, read unsurely, is no
// text of a Chinese official paper. Measured on the sample sets' words:
// such words below 0.7 matched the printed text in 1 of 5 characters. Latin
// with digits (a credit code's …M9) is kept, and so is a word beside a
// numeral (二O二一: the O is a misread 〇).
constexpr double kNoiseWordConfidence = 0.7;
bool NoiseOnly(std::u32string_view word) {
  constexpr std::u32string_view kMarks = U"-_<>=~\\&;[]`^*'\"\u201c\u201d";
  for (char32_t c : word)
    if (!((c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z') || IsOneOf(c, kMarks))) return false;
  return !word.empty();
}
bool IsNumeral(char32_t c) { return IsDigit(c) || IsOneOf(c, U"〇零一二三四五六七八九十"); }

// A year, 19xx or 20xx, in cs[i, i+4).
bool YearAt(const std::u32string& cs, std::size_t i) {
  if (i + 4 > cs.size()) return false;
  for (std::size_t k = i; k < i + 4; ++k)
    if (!IsDigit(cs[k])) return false;
  return (cs[i] == U'1' && cs[i + 1] == U'9') || (cs[i] == U'2' && cs[i + 1] == U'0');
}

// A line's box, confidence and text from its words (none: all empty).
void FinishLine(TextLine& line) {
  line.box = {};
  line.text.clear();
  line.confidence = 0;
  if (line.words.empty()) return;
  double sum = 0;
  for (const auto& wd : line.words) {
    line.box = Union(line.box, wd.box);
    sum += wd.confidence;
  }
  line.confidence = sum / static_cast<double>(line.words.size());
  line.text = JoinWords(line.words);
}

void AppendUtf8(std::string& out, char32_t c) {
  char buf[4];
  int32_t n = 0;
  UBool error = false;
  U8_APPEND(buf, n, 4, static_cast<UChar32>(c), error);
  if (!error) out.append(buf, static_cast<std::size_t>(n));
}

}  // namespace

void CleanLine(TextLine& line) {
  // The line's characters, each with its word, cleaned in the line's context.
  std::u32string cs;
  std::vector<std::size_t> word_of;
  for (std::size_t k = 0; k < line.words.size(); ++k) {
    const std::string& t = line.words[k].text;
    for (int32_t i = 0, n = static_cast<int32_t>(t.size()); i < n;) {
      UChar32 c;
      U8_NEXT(t.data(), i, n, c);
      if (c < 0) c = 0xFFFD;
      cs.push_back(static_cast<char32_t>(c));
      word_of.push_back(k);
    }
  }
  constexpr char32_t kDrop = 0;
  const std::u32string_view openers = U"[【(（〔〈<{「";
  const std::u32string_view closers = U"]】)）〕〉>}」jJl|";
  for (std::size_t i = 0; i < cs.size(); ++i) {
    const char32_t c = cs[i];
    if (c == U'|' || c == U'¦') {
      // A rule read as a character — unless it closes a bracketed year.
      if (!(i >= 5 && YearAt(cs, i - 4) && IsOneOf(cs[i - 5], openers))) cs[i] = kDrop;
    } else if (c == U'〈') {
      cs[i] = U'（';
    } else if (c == U'〉') {
      cs[i] = U'）';
    }
  }
  for (std::size_t i = 0; i + 5 < cs.size(); ++i) {
    if (!IsOneOf(cs[i], openers) || !YearAt(cs, i + 1) || !IsOneOf(cs[i + 5], closers)) continue;
    const bool round = IsOneOf(cs[i], U"(（") && IsOneOf(cs[i + 5], U")）");
    if (round) continue;
    cs[i] = U'〔', cs[i + 5] = U'〕';
    // The bracket read twice (〔【2021]) or its tail read as a letter
    // (【2021]j 12号): one bracket.
    if (i > 0 && IsOneOf(cs[i - 1], openers)) cs[i - 1] = kDrop;
    if (i + 7 < cs.size() && IsOneOf(cs[i + 6], U"]】〕jJl|") && (IsDigit(cs[i + 7]) || cs[i + 7] == U'第'))
      cs[i + 6] = kDrop;
  }
  for (std::size_t i = 1; i + 1 < cs.size(); ++i) {
    if (cs[i] != U']') continue;
    const char32_t before = cs[i - 1], after = cs[i + 1];
    if (i >= 4 && YearAt(cs, i - 4)) continue;  // 2021]: a year's bracket, not a digit
    if (!(IsDigit(before) || IsOneOf(before, U"年月第共")) || !(IsDigit(after) || IsOneOf(after, U"月日页号"))) continue;
    // A 1 — or, where a 1 would make a month or day of three digits
    // (11]月 for 11月), noise.
    int run = 0;
    for (std::size_t k = i; k-- > 0 && IsDigit(cs[k]);) ++run;
    for (std::size_t k = i + 1; k < cs.size() && IsDigit(cs[k]); ++k) ++run;
    if (run <= 1) cs[i] = U'1';
    else if (IsOneOf(before, U"年月") || IsOneOf(after, U"月日")) cs[i] = kDrop;
  }
  std::vector<std::u32string> chars(line.words.size());
  for (std::size_t i = 0; i < cs.size(); ++i)
    if (cs[i] != kDrop) chars[word_of[i]].push_back(cs[i]);
  std::vector<Word> kept;
  for (std::size_t k = 0; k < line.words.size(); ++k) {
    if (chars[k].empty()) continue;
    const bool by_numeral = (k > 0 && !chars[k - 1].empty() && IsNumeral(chars[k - 1].back())) ||
                            (k + 1 < chars.size() && !chars[k + 1].empty() && IsNumeral(chars[k + 1].front()));
    if (line.words[k].confidence < kNoiseWordConfidence && NoiseOnly(chars[k]) && !by_numeral) continue;
    std::string text;
    for (char32_t c : chars[k]) AppendUtf8(text, c);
    line.words[k].text = std::move(text);
    kept.push_back(std::move(line.words[k]));
  }
  line.words = std::move(kept);
  FinishLine(line);
}

void CleanLines(std::vector<TextLine>& lines) {
  for (auto& l : lines) CleanLine(l);
  lines.erase(std::remove_if(lines.begin(), lines.end(), [](const TextLine& l) { return l.text.empty(); }), lines.end());
}

namespace {

// The grey image handed to Tesseract as the 8-bit Leptonica image its
// SetImage(bytes) would make (same pixels, no resolution set), built a
// word at a time: Tesseract's own copy goes pixel by pixel (measured: 0.5 %
// of a batch, outside recognition). Leptonica keeps four pixels to a 32-bit
// word, the first in the high byte: on a little-endian machine, the row's
// bytes reversed in each word.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "pixel words are laid out for a little-endian machine");
struct PixFree {
  void operator()(Pix* p) const { pixDestroy(&p); }
};
std::unique_ptr<Pix, PixFree> TesseractImage(const Image& grey) {
  std::unique_ptr<Pix, PixFree> pix(pixCreate(grey.width, grey.height, 8));
  if (!pix) return pix;
  l_uint32* data = pixGetData(pix.get());
  const int wpl = pixGetWpl(pix.get());
  for (int y = 0; y < grey.height; ++y) {
    l_uint32* line = data + static_cast<std::ptrdiff_t>(y) * wpl;
    std::memcpy(line, grey.pixels.data() + static_cast<std::ptrdiff_t>(y) * grey.width, static_cast<std::size_t>(grey.width));
    for (int k = 0; k < (grey.width + 3) / 4; ++k) line[k] = __builtin_bswap32(line[k]);
  }
  return pix;
}

}  // namespace

Result<std::vector<TextLine>> Engine::Read(const Image& grey, Layout layout, int timeout_ms,
                                           const std::string& whitelist) {
  if (grey.empty() || grey.channels != 1) return Status("ocr_failed", "empty or non-grey image");
  auto* api = impl_->api.get();
  switch (layout) {
    case Layout::kPage: api->SetPageSegMode(tesseract::PSM_AUTO); break;
    case Layout::kBlock: api->SetPageSegMode(tesseract::PSM_SINGLE_BLOCK); break;
    case Layout::kLine: api->SetPageSegMode(tesseract::PSM_SINGLE_LINE); break;
    case Layout::kWord: api->SetPageSegMode(tesseract::PSM_SINGLE_WORD); break;
    case Layout::kSparse: api->SetPageSegMode(tesseract::PSM_SPARSE_TEXT); break;
  }
  {
    auto pix = TesseractImage(grey);
    if (!pix) return Status("ocr_failed", "out of memory for the page image");
    api->SetImage(pix.get());  // Tesseract keeps its own copy
  }
  if (grey.dpi > 0) api->SetSourceResolution(grey.dpi);
  tesseract::ETEXT_DESC monitor;
  if (timeout_ms > 0) monitor.set_deadline_msecs(timeout_ms);
  api->SetVariable("tessedit_char_whitelist", whitelist.c_str());
  const double t0 = ThreadCpuSeconds();
  int rc = api->Recognize(&monitor);
  if (!whitelist.empty()) api->SetVariable("tessedit_char_whitelist", "");
  impl_->seconds += ThreadCpuSeconds() - t0;
  if (timeout_ms > 0 && monitor.deadline_exceeded()) {
    api->Clear();
    return Status("timeout", "OCR exceeded " + std::to_string(timeout_ms / 1000) + " s");
  }
  if (rc != 0) {
    api->Clear();
    return Status("ocr_failed", "Tesseract could not recognise the page");
  }
  std::vector<TextLine> lines;
  std::unique_ptr<tesseract::ResultIterator> it(api->GetIterator());
  const double w = grey.width, h = grey.height;
  if (it) {
    do {
      if (it->Empty(tesseract::RIL_WORD)) continue;
      if (lines.empty() || it->IsAtBeginningOf(tesseract::RIL_TEXTLINE)) lines.emplace_back();
      std::unique_ptr<char, TextDeleter> text(it->GetUTF8Text(tesseract::RIL_WORD));
      int x0, y0, x1, y1;
      if (!text || !it->BoundingBox(tesseract::RIL_WORD, &x0, &y0, &x1, &y1)) continue;
      Word word;
      word.text = text.get();
      word.box = {x0 / w, y0 / h, x1 / w, y1 / h};
      word.confidence = it->Confidence(tesseract::RIL_WORD) / 100.0;
      lines.back().words.push_back(std::move(word));
    } while (it->Next(tesseract::RIL_WORD));
  }
  api->Clear();
  std::vector<TextLine> out;
  for (auto& line : lines) {
    FinishLine(line);
    if (!line.text.empty()) out.push_back(std::move(line));
  }
  return out;
}

std::pair<int, double> Engine::DetectUpright(const Image& grey) {
  if (!impl_->osd_tried) {
    impl_->osd_tried = true;
    if (std::filesystem::exists(impl_->tessdata + "/osd.traineddata")) {
      impl_->osd.reset(new tesseract::TessBaseAPI());
      if (impl_->osd->Init(impl_->tessdata.c_str(), "osd", tesseract::OEM_TESSERACT_ONLY) != 0) {
        impl_->osd.reset();
      } else {
        impl_->osd->SetVariable("debug_file", "/dev/null");
        impl_->osd->SetPageSegMode(tesseract::PSM_OSD_ONLY);
      }
    }
  }
  if (!impl_->osd || grey.empty()) return {0, 0};
  auto* api = impl_->osd.get();
  {
    auto pix = TesseractImage(grey);
    if (!pix) return {0, 0};
    api->SetImage(pix.get());
  }
  if (grey.dpi > 0) api->SetSourceResolution(grey.dpi);
  int deg = 0;
  float conf = 0;
  const char* script = nullptr;
  float script_conf = 0;
  const double t0 = ThreadCpuSeconds();
  bool ok = api->DetectOrientationScript(&deg, &conf, &script, &script_conf);
  impl_->seconds += ThreadCpuSeconds() - t0;
  api->Clear();
  if (!ok) return {0, 0};
  // Tesseract reports the page's clockwise rotation; undo it.
  return {(360 - deg) % 360, conf};
}

}  // namespace pingcha::ocr
