// Inside ingest: a scan scaled to the resolution asked for, as 8-bit RGB, in
// one pass from the decoded scan, with Leptonica's own arithmetic
// (pixScaleGeneral without sharpening): linear interpolation at sixteenths
// of a pixel for factors of 0.7 and more (each output pixel's corner takes
// the four source pixels around it), area mapping below (each output pixel
// the average of the source pixels its square covers, weighted by the
// sixteenths covered). Both weightings factor by rows and columns, so here
// they run along each source row, then down the columns, straight into RGB:
// the same bytes in a fraction of the time (measured: Leptonica's scaling
// and the conversion were 5 % of a case's time; its general area mapping
// is its slowest scaling).
#pragma once

#include <optional>

#include "models/image.h"

namespace pingcha::ingest {

// An RGB image of the size given, its pixels to be written.
Image RgbImage(int width, int height, int dpi);

// `src` (8-bit grey or RGB) scaled by `scalex`, `scaley` and expanded to
// RGB, identical to pixScaleGeneral(pix, scalex, scaley, 0, 0) then
// RgbFromPix on the same pixels as a Leptonica image. nullopt where that
// function takes one of its special cases (1, 2 or 4 in both factors; 1/2,
// 1/4, 1/8, 1/16) and for other layouts: the caller uses Leptonica.
// `vectors` false: value by value, as on a machine without AVX2 (tests
// hold both ways to Leptonica's bytes).
std::optional<Image> ScaleToRgb(const Image& src, float scalex, float scaley, int dpi, bool vectors = true);

}  // namespace pingcha::ingest
