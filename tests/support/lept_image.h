// Tests' bridge from Leptonica: a Leptonica image as ours, pixel by pixel
// through Leptonica's own accessors (slow and plainly right), for the tests
// that hold our pixel code to Leptonica's bytes.
#pragma once

#include <leptonica/allheaders.h>

#include <cstdint>

#include "models/image.h"

namespace pingcha::testdata {

// 8 bpp as grey, 32 bpp as RGB.
inline Image ImageOf(PIX* pix, int dpi = 200) {
  Image out;
  out.width = pixGetWidth(pix);
  out.height = pixGetHeight(pix);
  out.channels = pixGetDepth(pix) == 32 ? 3 : 1;
  out.dpi = dpi;
  for (int y = 0; y < out.height; ++y)
    for (int x = 0; x < out.width; ++x) {
      l_uint32 v = 0;
      pixGetPixel(pix, x, y, &v);
      if (out.channels == 1) {
        out.pixels.push_back(static_cast<std::uint8_t>(v));
      } else {
        out.pixels.push_back(static_cast<std::uint8_t>(v >> L_RED_SHIFT));
        out.pixels.push_back(static_cast<std::uint8_t>(v >> L_GREEN_SHIFT));
        out.pixels.push_back(static_cast<std::uint8_t>(v >> L_BLUE_SHIFT));
      }
    }
  return out;
}

}  // namespace pingcha::testdata
