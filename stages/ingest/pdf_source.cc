// PDF case files through poppler-cpp: probe on open, render page by page.
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>
#include <poppler/cpp/poppler-version.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <mutex>

#include "stages/ingest/ingest.h"
#include "stages/ingest/scanned_page.h"

namespace pingcha::ingest {
namespace {

void SilencePoppler() {
  static std::once_flag once;
  std::call_once(once, [] {
    poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr);
  });
}

// The page's one colour when the whole render is flat (every sampled pixel
// within 1 of the first), else -1. A scan is never flat — paper grain and
// compression noise — and a blank born-digital page is pure white (255).
int FlatValue(const poppler::image& img) {
  const int stepx = std::max(1, img.width() / 300), stepy = std::max(1, img.height() / 300);
  const char* data = img.const_data();
  const int first = static_cast<std::uint8_t>(data[0]);
  for (int y = 0; y < img.height(); y += stepy) {
    const auto* row = reinterpret_cast<const std::uint8_t*>(data + static_cast<std::ptrdiff_t>(y) * img.bytes_per_row());
    for (int x = 0; x < img.width(); x += stepx)
      for (int k = 0; k < 3; ++k)  // B, G, R of ARGB32
        if (std::abs(row[4 * x + k] - first) > 1) return -1;
  }
  return first;
}

std::string Utf8(const poppler::ustring& s) {
  auto bytes = s.to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

int CountTextChars(const std::vector<poppler::text_box>& boxes) {
  int n = 0;
  for (const auto& b : boxes) n += static_cast<int>(b.text().size());
  return n;
}

class PdfSource : public Source {
 public:
  PdfSource(std::unique_ptr<poppler::document> doc, std::string path, Limits limits)
      : doc_(std::move(doc)), path_(std::move(path)), limits_(limits), scanned_(path_) {}

  Status Probe() {
    int n = doc_->pages();
    if (n <= 0) return Status("no_pages", path_ + ": the PDF has no pages");
    if (n > limits_.max_pages) {
      return Status("too_large", path_ + ": " + std::to_string(n) + " pages, over the limit of " +
                                     std::to_string(limits_.max_pages));
    }
    infos_.resize(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
      std::unique_ptr<poppler::page> page(doc_->create_page(i));
      if (!page) return Status("damaged", path_ + ": page " + std::to_string(i + 1) + " cannot be read");
      auto rect = page->page_rect(poppler::media_box);
      auto& info = infos_[static_cast<std::size_t>(i)];
      info.width_pt = rect.width();
      info.height_pt = rect.height();
      if (page->orientation() == poppler::page::landscape ||
          page->orientation() == poppler::page::seascape) {
        std::swap(info.width_pt, info.height_pt);
      }
      double longest_mm = std::max(info.width_pt, info.height_pt) / 72.0 * 25.4;
      if (!(info.width_pt > 1 && info.height_pt > 1) || longest_mm > limits_.max_page_mm) {
        return Status("too_large", path_ + ": page " + std::to_string(i + 1) + " measures " +
                                       std::to_string(static_cast<int>(longest_mm)) +
                                       " mm, over the limit");
      }
      info.has_text_layer = CountTextChars(page->text_list()) >= 20;
    }
    return Status::Ok();
  }

  int page_count() const override { return static_cast<int>(infos_.size()); }
  const PageInfo& info(int index) const override { return infos_.at(static_cast<std::size_t>(index)); }

  Result<Image> RenderPage(int index, int dpi) override {
    const auto& info = infos_.at(static_cast<std::size_t>(index));
    double px = info.width_pt / 72.0 * dpi * info.height_pt / 72.0 * dpi;
    if (px > static_cast<double>(limits_.max_pixels)) {
      return Status("too_large", path_ + ": page " + std::to_string(index + 1) +
                                     " would need " + std::to_string(static_cast<long long>(px)) +
                                     " pixels at " + std::to_string(dpi) + " dpi");
    }
    if (!info.has_text_layer)
      if (auto scan = scanned_.Decode(index, dpi)) return std::move(*scan);
    std::unique_ptr<poppler::page> page(doc_->create_page(index));
    if (!page) return Status("damaged", path_ + ": page " + std::to_string(index + 1) + " cannot be read");
    poppler::page_renderer renderer;
    renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
    renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    // Splash draws ARGB32; asking poppler-cpp for RGB24 converts pixel by
    // pixel through SplashBitmap::getPixel (measured: a quarter of the render
    // time). Take ARGB32 (bytes B, G, R, A) and convert here.
    renderer.set_image_format(poppler::image::format_argb32);
    poppler::image img = renderer.render_page(page.get(), dpi, dpi);
    if (!img.is_valid() || img.width() <= 0 || img.height() <= 0) {
      return Status("damaged", path_ + ": page " + std::to_string(index + 1) + " could not be rendered");
    }
    // One flat colour that is not paper white: the page's image could not be
    // decoded (a corrupt JPEG stream draws a uniform grey). Poppler does not
    // report this — libjpeg only prints to stderr — so the render tells.
    if (int flat = FlatValue(img); flat >= 0 && flat < 255 && !info.has_text_layer) {
      return Status("damaged", path_ + ": page " + std::to_string(index + 1) + " is one flat grey (" + std::to_string(flat) +
                                   "): its image could not be decoded");
    }
    Image out;
    out.width = img.width();
    out.height = img.height();
    out.channels = 3;
    out.dpi = dpi;
    out.pixels.resize(static_cast<std::size_t>(out.width) * out.height * 3);
    const char* data = img.const_data();
    const int stride = img.bytes_per_row();
    for (int y = 0; y < out.height; ++y) {
      const auto* src = reinterpret_cast<const std::uint8_t*>(data + static_cast<std::ptrdiff_t>(y) * stride);
      std::uint8_t* dst = out.pixels.data() + static_cast<std::ptrdiff_t>(y) * out.width * 3;
      for (int x = 0; x < out.width; ++x, src += 4, dst += 3) {
        dst[0] = src[2];
        dst[1] = src[1];
        dst[2] = src[0];
      }
    }
    return out;
  }

  std::vector<TextLine> TextLayer(int index) override {
    std::vector<TextLine> lines;
    std::unique_ptr<poppler::page> page(doc_->create_page(index));
    if (!page) return lines;
    auto rect = page->page_rect(poppler::media_box);
    double w = rect.width(), h = rect.height();
    if (page->orientation() == poppler::page::landscape || page->orientation() == poppler::page::seascape)
      std::swap(w, h);
    std::vector<Word> words;
    for (const auto& tb : page->text_list()) {
      auto b = tb.bbox();
      Word word;
      word.text = Utf8(tb.text());
      word.box = {b.left() / w, b.top() / h, b.right() / w, b.bottom() / h};
      word.confidence = 1.0;
      if (!word.text.empty()) words.push_back(std::move(word));
    }
    // Group into lines: boxes whose vertical centres lie within half a height.
    std::stable_sort(words.begin(), words.end(), [](const Word& a, const Word& b) {
      return a.box.y0 + a.box.y1 < b.box.y0 + b.box.y1;
    });
    for (auto& word : words) {
      double cy = (word.box.y0 + word.box.y1) / 2;
      if (!lines.empty()) {
        auto& last = lines.back();
        double lcy = (last.box.y0 + last.box.y1) / 2;
        if (std::abs(cy - lcy) < std::max(last.box.height(), word.box.height()) / 2) {
          last.box = Union(last.box, word.box);
          last.words.push_back(std::move(word));
          continue;
        }
      }
      TextLine line;
      line.box = word.box;
      line.confidence = 1.0;
      line.words.push_back(std::move(word));
      lines.push_back(std::move(line));
    }
    for (auto& line : lines) {
      std::stable_sort(line.words.begin(), line.words.end(),
                       [](const Word& a, const Word& b) { return a.box.x0 < b.box.x0; });
      for (const auto& wd : line.words) line.text += wd.text;
    }
    return lines;
  }

 private:
  std::unique_ptr<poppler::document> doc_;
  std::string path_;
  Limits limits_;
  std::vector<PageInfo> infos_;
  ScannedPages scanned_;  // pages that are one JPEG, decoded without rendering
};

}  // namespace

std::string Source::PopplerVersion() { return poppler::version_string(); }

std::unique_ptr<Source> OpenPdf(const std::string& path, const Limits& limits, Status* status) {
  SilencePoppler();
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(path));
  if (!doc) {
    *status = Status("damaged", path + ": the PDF is damaged or truncated and cannot be opened");
    return nullptr;
  }
  if (doc->is_locked()) {
    *status = Status("encrypted", path + ": the PDF is password-protected (user password); "
                                         "ask the agency for an unprotected copy");
    return nullptr;
  }
  auto source = std::make_unique<PdfSource>(std::move(doc), path, limits);
  *status = source->Probe();
  if (!status->ok()) return nullptr;
  return source;
}

}  // namespace pingcha::ingest
