// A raster page image passed between stages (ingest → preprocess → ocr,
// seals). Owns its pixels; 8-bit, interleaved, row-major, no padding.
// channels: 3 (RGB) or 1 (grey). Value type; move it, copying is costly.
#pragma once

#include <cstdint>
#include <vector>

namespace pingcha {

struct Image {
  int width = 0, height = 0;
  int channels = 3;
  int dpi = 0;                   // resolution it was rendered or scanned at
  std::vector<std::uint8_t> pixels;

  bool empty() const { return width <= 0 || height <= 0 || pixels.empty(); }
  const std::uint8_t* at(int x, int y) const {
    return pixels.data() + (static_cast<std::size_t>(y) * width + x) * channels;
  }
};

}  // namespace pingcha
