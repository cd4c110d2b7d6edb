// Inside ingest: a PDF page that is a scan as scanners write it — one JPEG
// drawn over the whole page and nothing else — decoded straight from its
// JPEG stream instead of being rendered (measured: the render took five
// times as long as the decode, and draws the same pixels at the image's own
// resolution). Anything else is rendered by Poppler.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "models/image.h"

typedef struct Pix PIX;

namespace pingcha::ingest {

class ScannedPages {
 public:
  explicit ScannedPages(std::string path);
  ~ScannedPages();
  ScannedPages(const ScannedPages&) = delete;
  ScannedPages& operator=(const ScannedPages&) = delete;

  // Page `index` decoded from its JPEG when the page is one RGB or grey
  // JPEG filling the page (no rotation, no crop, no other content, no mask),
  // at `dpi` (a scan at another resolution is scaled to it); nullopt
  // otherwise, and when the JPEG data is damaged (libjpeg warns): the
  // caller renders the page.
  std::optional<Image> Decode(int index, int dpi);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A Leptonica image as 8-bit RGB (grey and colour-mapped images expanded);
// empty when the format cannot be converted.
Image RgbFromPix(PIX* pix, int dpi);

}  // namespace pingcha::ingest
