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

// Seal ink (red stamp-pad ink, dark, faded or pinkish) in an RGB pixel: the
// one colour rule the stages share — seal finding, blank-page measuring, and
// leaving seal ink out of a signature's ink.
inline bool IsSealInk(const std::uint8_t* rgb) {
  const int r = rgb[0], g = rgb[1], b = rgb[2];
  return r > 110 && r - g > 45 && r - b > 30;
}

}  // namespace pingcha
