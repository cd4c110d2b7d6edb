#include "stages/ocr/ocr.h"

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>
#include <tesseract/resultiterator.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>

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

Result<std::vector<TextLine>> Engine::Read(const Image& grey, Layout layout, int timeout_ms,
                                           const std::string& whitelist) {
  if (grey.empty() || grey.channels != 1) return Status("ocr_failed", "empty or non-grey image");
  auto* api = impl_->api.get();
  switch (layout) {
    case Layout::kPage: api->SetPageSegMode(tesseract::PSM_AUTO); break;
    case Layout::kBlock: api->SetPageSegMode(tesseract::PSM_SINGLE_BLOCK); break;
    case Layout::kLine: api->SetPageSegMode(tesseract::PSM_SINGLE_LINE); break;
    case Layout::kSparse: api->SetPageSegMode(tesseract::PSM_SPARSE_TEXT); break;
  }
  api->SetImage(grey.pixels.data(), grey.width, grey.height, 1, grey.width);
  if (grey.dpi > 0) api->SetSourceResolution(grey.dpi);
  tesseract::ETEXT_DESC monitor;
  if (timeout_ms > 0) monitor.set_deadline_msecs(timeout_ms);
  api->SetVariable("tessedit_char_whitelist", whitelist.c_str());
  auto t0 = std::chrono::steady_clock::now();
  int rc = api->Recognize(&monitor);
  if (!whitelist.empty()) api->SetVariable("tessedit_char_whitelist", "");
  impl_->seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
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
    if (line.words.empty()) continue;
    double sum = 0;
    for (const auto& wd : line.words) {
      line.box = Union(line.box, wd.box);
      sum += wd.confidence;
    }
    line.confidence = sum / static_cast<double>(line.words.size());
    line.text = JoinWords(line.words);
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
  api->SetImage(grey.pixels.data(), grey.width, grey.height, 1, grey.width);
  if (grey.dpi > 0) api->SetSourceResolution(grey.dpi);
  int deg = 0;
  float conf = 0;
  const char* script = nullptr;
  float script_conf = 0;
  auto t0 = std::chrono::steady_clock::now();
  bool ok = api->DetectOrientationScript(&deg, &conf, &script, &script_conf);
  impl_->seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  api->Clear();
  if (!ok) return {0, 0};
  // Tesseract reports the page's clockwise rotation; undo it.
  return {(360 - deg) % 360, conf};
}

}  // namespace pingcha::ocr
