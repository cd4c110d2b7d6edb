// Stage "ingest": opens a case file (a PDF, or a folder of page images),
// probes it cheaply, then renders one page at a time.
//
// Contract: Open() probes only (magic bytes, encryption, page count, page
// sizes, text layer) and fails with a stable code: not_a_pdf, encrypted,
// damaged, no_pages, too_large, unreadable (missing, a symbolic link loop,
// no permission, not a regular file such as a FIFO: never opened, so never
// blocks), io_error (an image folder cannot be listed). RenderPage() renders a single page
// so a long file never holds all its images at once. A Source is used by one
// thread at a time; separate Sources may be used from separate threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "models/image.h"
#include "models/page.h"
#include "models/status.h"

namespace pingcha::ingest {

struct Limits {
  int max_pages = 2000;
  double max_page_mm = 1500;        // longest side of a PDF page
  long long max_pixels = 120000000; // per rendered/loaded page image
  int min_side_px = 32;             // a page image smaller than this is not a page (RenderPage: damaged)
};

struct PageInfo {
  double width_pt = 0, height_pt = 0;  // PDF points (images: pixels at 72 dpi)
  bool has_text_layer = false;         // enough extractable text to skip OCR
};

class Source {
 public:
  virtual ~Source() = default;
  virtual int page_count() const = 0;
  virtual const PageInfo& info(int index) const = 0;  // index: 0-based
  // Renders page `index` as RGB at `dpi` (an image file: as stored, dpi from
  // its header or 200). Errors: damaged, too_large.
  virtual Result<Image> RenderPage(int index, int dpi) = 0;
  // The words of the page's text layer, boxes as fractions of the page, in
  // reading order, grouped into lines. Empty when there is none.
  virtual std::vector<TextLine> TextLayer(int index) = 0;
  // Poppler version string ("22.12.0"), for provenance.
  static std::string PopplerVersion();
};

// Opens `path` (a .pdf file or a directory of .jpg/.jpeg/.png/.tif/.tiff
// pages in name order).
Result<std::unique_ptr<Source>> Open(const std::string& path, const Limits& limits);

// Free functions, tested directly.
bool LooksLikePdf(const std::string& first_bytes);
bool IsPageImageName(const std::string& filename);

}  // namespace pingcha::ingest
