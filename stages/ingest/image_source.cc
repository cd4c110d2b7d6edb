// Case files given as a folder of page images (scanned straight to JPEG/PNG/TIFF).
#include <leptonica/allheaders.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

#include "stages/ingest/ingest.h"
#include "stages/ingest/jpeg.h"
#include "stages/ingest/scanned_page.h"

namespace pingcha::ingest {
namespace {

struct PixDeleter {
  void operator()(PIX* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

class ImageFolderSource : public Source {
 public:
  ImageFolderSource(std::vector<std::string> files, Limits limits)
      : files_(std::move(files)), limits_(limits), infos_(files_.size()) {}

  Status Probe() {
    for (std::size_t i = 0; i < files_.size(); ++i) {
      l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, iscmap = 0;
      if (pixReadHeader(files_[i].c_str(), &format, &w, &h, &bps, &spp, &iscmap) != 0 || w <= 0 ||
          h <= 0) {
        return Status("damaged", files_[i] + ": the page image cannot be read (damaged or not an image)");
      }
      if (static_cast<long long>(w) * h > limits_.max_pixels) {
        return Status("too_large", files_[i] + ": " + std::to_string(w) + "×" + std::to_string(h) +
                                       " pixels, over the limit");
      }
      infos_[i].width_pt = w;
      infos_[i].height_pt = h;
    }
    return Status::Ok();
  }

  int page_count() const override { return static_cast<int>(files_.size()); }
  const PageInfo& info(int index) const override { return infos_.at(static_cast<std::size_t>(index)); }

  Result<Image> RenderPage(int index, int /*dpi*/) override {
    const std::string& file = files_.at(static_cast<std::size_t>(index));
    const auto& info = infos_.at(static_cast<std::size_t>(index));
    if (info.width_pt < limits_.min_side_px || info.height_pt < limits_.min_side_px) {
      return Status("damaged", file + ": " + std::to_string(static_cast<int>(info.width_pt)) + "×" +
                                   std::to_string(static_cast<int>(info.height_pt)) +
                                   " pixels, too small to be a scanned page");
    }
    auto dpi_of = [](int xres) { return xres > 30 && xres < 2400 ? xres : 200; };
    // A JPEG decoded straight into the page image; other formats, and a
    // JPEG libjpeg alone will not take, read by Leptonica.
    if (std::ifstream in{file, std::ios::binary}; in && in.peek() == 0xFF) {
      const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (auto jpeg = DecodeJpeg(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()))
        return ExpandedToRgb(std::move(jpeg->image), dpi_of(jpeg->xres));
    }
    PixPtr pix(pixRead(file.c_str()));
    if (!pix) return Status("damaged", file + ": the page image cannot be decoded");
    Image out = RgbFromPix(pix.get(), dpi_of(pixGetXRes(pix.get())));
    if (out.empty()) return Status("damaged", file + ": the page image has an unsupported format");
    return out;
  }

  std::vector<TextLine> TextLayer(int) override { return {}; }

 private:
  std::vector<std::string> files_;
  Limits limits_;
  std::vector<PageInfo> infos_;
};

}  // namespace

std::unique_ptr<Source> OpenImageFolder(const std::string& path, const Limits& limits,
                                        Status* status) {
  namespace fs = std::filesystem;
  setMsgSeverity(L_SEVERITY_NONE);
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (IsPageImageName(name) && it->is_regular_file(ec)) files.push_back(it->path().string());
  }
  if (ec) {
    *status = Status("io_error", path + ": cannot list the folder: " + ec.message());
    return nullptr;
  }
  if (files.empty()) {
    *status = Status("no_pages", path + ": the folder holds no page images (.jpg, .png, .tif)");
    return nullptr;
  }
  std::sort(files.begin(), files.end());
  if (static_cast<int>(files.size()) > limits.max_pages) {
    *status = Status("too_large", path + ": " + std::to_string(files.size()) + " pages, over the limit");
    return nullptr;
  }
  auto source = std::make_unique<ImageFolderSource>(std::move(files), limits);
  *status = source->Probe();
  if (!status->ok()) return nullptr;
  return source;
}

}  // namespace pingcha::ingest
