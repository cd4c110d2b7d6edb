// Inside ingest: a scan scaled to the resolution asked for, as 8-bit RGB, in
// one pass from Leptonica's decoded image. The arithmetic is Leptonica's
// general linear interpolation (pixScaleGeneral without sharpening, for
// factors of 0.7 and more): each output pixel's corner falls at sixteenths
// of a source pixel and takes the four source pixels around it, weighted by
// the sixteenths' areas. Here it is done as a pass along each source row
// then one down the columns (the weights factor, so the sums are the same
// integers), straight into RGB — the same bytes at a third of the time
// (measured: pixScaleColorLI and the conversion were 5 % of a case's time).
#pragma once

#include <optional>

#include "models/image.h"

typedef struct Pix PIX;

namespace pingcha::ingest {

// `pix` (8-bit grey or 32-bit RGB, no colour map) scaled by `scalex`,
// `scaley` and expanded to RGB, identical to pixScaleGeneral(pix, scalex,
// scaley, 0, 0) then RgbFromPix. nullopt for what that function does
// otherwise (a factor under 0.7: area mapping; 1, 2 or 4 in both: its
// special cases) and for other depths: the caller uses Leptonica.
std::optional<Image> ScaleLinearToRgb(PIX* pix, float scalex, float scaley, int dpi);

}  // namespace pingcha::ingest
