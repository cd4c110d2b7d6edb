#include "stages/ingest/scanned_page.h"

#include "stages/ingest/jpeg.h"
#include "stages/ingest/resample.h"

#include <leptonica/allheaders.h>
#define POINTERHOLDER_TRANSITION 4  // qpdf: std::shared_ptr only
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include <cmath>
#include <vector>

namespace pingcha::ingest {
namespace {

struct PixDeleter {
  void operator()(PIX* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

// The page's drawing operators with their operands.
struct Operators : QPDFObjectHandle::ParserCallbacks {
  struct Op {
    std::string name;
    std::vector<QPDFObjectHandle> operands;
  };
  std::vector<Op> ops;
  std::vector<QPDFObjectHandle> operands;
  void handleObject(QPDFObjectHandle obj) override {
    if (obj.isOperator()) {
      ops.push_back({obj.getOperatorValue(), std::move(operands)});
      operands.clear();
    } else {
      operands.push_back(obj);
    }
  }
  void handleEOF() override {}
};

// A grey or RGB image as a Leptonica image (8 or 32 bits a pixel).
PIX* PixOf(const Image& img) {
  PIX* pix = pixCreate(img.width, img.height, img.channels == 3 ? 32 : 8);
  if (!pix) return nullptr;
  l_uint32* data = pixGetData(pix);
  const int wpl = pixGetWpl(pix);
  const std::uint8_t* p = img.pixels.data();
  for (int y = 0; y < img.height; ++y) {
    l_uint32* line = data + static_cast<std::ptrdiff_t>(y) * wpl;
    for (int x = 0; x < img.width; ++x, p += img.channels) {
      if (img.channels == 3) composeRGBPixel(p[0], p[1], p[2], line + x);
      else SET_DATA_BYTE(line, x, p[0]);
    }
  }
  return pix;
}

bool Near(double a, double b) { return std::abs(a - b) <= 1.0; }  // points

// The filter is DCTDecode alone.
bool JpegOnly(QPDFObjectHandle filter) {
  if (filter.isName()) return filter.getName() == "/DCTDecode";
  if (filter.isArray() && filter.getArrayNItems() == 1) return JpegOnly(filter.getArrayItem(0));
  return false;
}

}  // namespace

struct ScannedPages::Impl {
  std::string path;
  bool opened = false;
  std::unique_ptr<QPDF> pdf;
  std::vector<QPDFPageObjectHelper> pages;

  struct Jpeg {
    std::string bytes;
    int width = 0, height = 0;  // of the page at the resolution asked for
  };
  // The JPEG of page `index` when it is a full-page scan.
  std::optional<Jpeg> PageJpeg(int index, int dpi) {
    if (!opened) {
      opened = true;
      try {
        auto doc = std::make_unique<QPDF>();
        doc->setSuppressWarnings(true);
        doc->processFile(path.c_str());
        if (doc->isEncrypted()) return std::nullopt;
        pages = QPDFPageDocumentHelper(*doc).getAllPages();
        pdf = std::move(doc);
      } catch (const std::exception&) {
        return std::nullopt;
      }
    }
    if (!pdf || index < 0 || index >= static_cast<int>(pages.size())) return std::nullopt;
    try {
      QPDFPageObjectHelper& page = pages[static_cast<std::size_t>(index)];
      QPDFObjectHandle rotate = page.getAttribute("/Rotate", false);
      if (rotate.isInteger() && rotate.getIntValue() % 360 != 0) return std::nullopt;
      QPDFObjectHandle::Rectangle media = page.getMediaBox().getArrayAsRectangle();
      if (QPDFObjectHandle crop = page.getAttribute("/CropBox", false); crop.isRectangle()) {
        auto c = crop.getArrayAsRectangle();
        if (!Near(c.llx, media.llx) || !Near(c.lly, media.lly) || !Near(c.urx, media.urx) || !Near(c.ury, media.ury))
          return std::nullopt;
      }
      Operators content;
      page.parseContents(&content);
      // q, one cm filling the page, one Do, Q — nothing else drawn.
      Operators::Op* cm = nullptr;
      Operators::Op* draw = nullptr;
      for (auto& op : content.ops) {
        if (op.name == "q" || op.name == "Q") continue;
        if (op.name == "cm" && !cm && !draw) cm = &op;
        else if (op.name == "Do" && !draw && cm) draw = &op;
        else return std::nullopt;
      }
      if (!cm || !draw || cm->operands.size() != 6 || draw->operands.size() != 1 || !draw->operands[0].isName())
        return std::nullopt;
      double m[6];
      for (int k = 0; k < 6; ++k) {
        if (!cm->operands[static_cast<std::size_t>(k)].isNumber()) return std::nullopt;
        m[k] = cm->operands[static_cast<std::size_t>(k)].getNumericValue();
      }
      const double page_w = media.urx - media.llx, page_h = media.ury - media.lly;
      if (!Near(m[0], page_w) || m[1] != 0 || m[2] != 0 || !Near(m[3], page_h) || !Near(m[4], media.llx) ||
          !Near(m[5], media.lly))
        return std::nullopt;
      auto images = page.getImages();
      auto it = images.find(draw->operands[0].getName());
      if (it == images.end()) return std::nullopt;
      QPDFObjectHandle image = it->second;
      QPDFObjectHandle dict = image.getDict();
      QPDFObjectHandle space = dict.getKey("/ColorSpace"), bits = dict.getKey("/BitsPerComponent");
      if (!JpegOnly(dict.getKey("/Filter")) || !space.isName() ||
          (space.getName() != "/DeviceRGB" && space.getName() != "/DeviceGray") || !bits.isInteger() ||
          bits.getIntValue() != 8 || dict.hasKey("/Decode") || dict.hasKey("/SMask") || dict.hasKey("/Mask") ||
          dict.hasKey("/DecodeParms"))
        return std::nullopt;
      std::shared_ptr<Buffer> data = image.getRawStreamData();
      if (!data || data->getSize() == 0) return std::nullopt;
      return Jpeg{std::string(reinterpret_cast<const char*>(data->getBuffer()), data->getSize()),
                  static_cast<int>(std::lround(page_w / 72.0 * dpi)), static_cast<int>(std::lround(page_h / 72.0 * dpi))};
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
};

ScannedPages::ScannedPages(std::string path) : impl_(std::make_unique<Impl>()) { impl_->path = std::move(path); }
ScannedPages::~ScannedPages() = default;

std::optional<Image> ScannedPages::Decode(int index, int dpi) {
  auto jpeg = impl_->PageJpeg(index, dpi);
  if (!jpeg || jpeg->width < 1 || jpeg->height < 1) return std::nullopt;
  Image scan;
  if (auto decoded = DecodeJpeg(reinterpret_cast<const std::uint8_t*>(jpeg->bytes.data()), jpeg->bytes.size())) {
    scan = std::move(decoded->image);
  } else {
    // What libjpeg alone declines (damaged, CMYK …), Leptonica's reader as
    // before: taken unless it warns.
    l_int32 warnings = 0;
    PixPtr pix(pixReadMemJpeg(reinterpret_cast<const l_uint8*>(jpeg->bytes.data()), jpeg->bytes.size(), 0, 1, &warnings, 0));
    if (!pix || warnings > 0) return std::nullopt;
    scan = RgbFromPix(pix.get(), 0);
    if (scan.empty()) return std::nullopt;
  }
  // Scanned at another resolution (150, 170, 203 dpi …): scaled to the one
  // asked for, as the render would (linear interpolation up, smoothing down).
  const int w = scan.width, h = scan.height;
  if (std::abs(w - jpeg->width) > jpeg->width / 200 || std::abs(h - jpeg->height) > jpeg->height / 200) {
    // Without pixScale's unsharp masking (measured: ten times the cost of
    // the interpolation itself).
    const auto sx = static_cast<l_float32>(jpeg->width) / static_cast<l_float32>(w);
    const auto sy = static_cast<l_float32>(jpeg->height) / static_cast<l_float32>(h);
    if (auto scaled = ScaleToRgb(scan, sx, sy, dpi)) return scaled;
    // Leptonica's special factors (2×, ½ …), by Leptonica.
    PixPtr pix(PixOf(scan));
    PixPtr scaled(pix ? pixScaleGeneral(pix.get(), sx, sy, 0.0f, 0) : nullptr);
    if (!scaled) return std::nullopt;
    Image out = RgbFromPix(scaled.get(), dpi);
    if (out.empty()) return std::nullopt;
    return out;
  }
  return ExpandedToRgb(std::move(scan), dpi);
}

Image RgbFromPix(PIX* pix, int dpi) {
  // A colour image is read in place; others are converted first.
  PixPtr converted(pixGetDepth(pix) == 32 ? nullptr : pixConvertTo32(pix));
  if (pixGetDepth(pix) != 32 && !converted) return {};
  PIX* rgb = converted ? converted.get() : pix;
  Image out;
  out.width = pixGetWidth(rgb);
  out.height = pixGetHeight(rgb);
  out.channels = 3;
  out.dpi = dpi;
  out.pixels.resize(static_cast<std::size_t>(out.width) * out.height * 3);
  const l_uint32* data = pixGetData(rgb);
  const int wpl = pixGetWpl(rgb);
  auto* dst = out.pixels.data();
  for (int y = 0; y < out.height; ++y) {
    const l_uint32* row = data + static_cast<std::ptrdiff_t>(y) * wpl;
    for (int x = 0; x < out.width; ++x) {
      const l_uint32 v = row[x];
      *dst++ = static_cast<std::uint8_t>(v >> L_RED_SHIFT);
      *dst++ = static_cast<std::uint8_t>(v >> L_GREEN_SHIFT);
      *dst++ = static_cast<std::uint8_t>(v >> L_BLUE_SHIFT);
    }
  }
  return out;
}

}  // namespace pingcha::ingest
