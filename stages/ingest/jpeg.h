// Inside ingest: a JPEG decoded by libjpeg straight into our image — the
// same pixels Leptonica's reader makes (libjpeg's defaults: the accurate
// integer transform, smooth chroma upsampling), without its copy into
// 32-bit words and ours back out of them (measured: a scanned page's
// decode and scaling 26.8 -> 16.6 ms, that copy and its undoing being most
// of the difference).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "models/image.h"

namespace pingcha::ingest {

struct DecodedJpeg {
  Image image;   // grey (1 channel) or RGB (3), as the JPEG holds it; dpi unset
  int xres = 0;  // pixels per inch the JPEG states (0: none), as Leptonica reads it
};

// nullopt when the data cannot be decoded, when libjpeg warns of damaged
// data while reading the pixels (the decode stops at the first warning),
// when the JPEG holds other than one or three 8-bit components (CMYK,
// YCCK), and when it would take 2^31 bytes or more at 32 bits a pixel:
// callers then decode it as before, with Leptonica. The pixels are
// Leptonica's because both use the same libjpeg (Debian: libjpeg62-turbo).
std::optional<DecodedJpeg> DecodeJpeg(const std::uint8_t* data, std::size_t size);

// Grey expanded to RGB; RGB as is.
Image ExpandedToRgb(Image image, int dpi);

}  // namespace pingcha::ingest
