// Stage "seals": red official seals (公章) and handwritten signatures on the
// upright colour page.
//
// Contract: FindSeals() returns red components shaped like seals (round,
// oval or rectangular, 20–60 mm, with a continuous border), never red
// letterheads, rules, ticks or underlines. On a grey-only page it returns
// nothing: the caller must treat seal presence as unknown there.
// FindSignatureAreas() locates signature labels in the OCR lines and reports
// whether ink follows them. Boxes are fractions of the given image. Pure
// functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "models/image.h"
#include "models/page.h"
#include "models/status.h"

namespace pingcha::seals {

std::vector<Mark> FindSeals(const Image& rgb);

// The band of ring text of a seal, unwrapped into a horizontal grey strip
// (red ink dark, everything else light), ready for single-line OCR.
// `band` is the band's depth as a fraction of the radius.
Image UnwrapRing(const Image& rgb, const BBox& seal, double band = 0.34);

// The ring-text band unwrapped along the arc into a grey strip 40 px tall
// (ink dark, paper 255), from just before the first to just after the last
// inked column; empty when the seal shows no ring text. Small enough to keep
// with the page (it is what the seal's owner is judged on, see ring_match.h).
// Seal makers space ring characters evenly along the arc or by the angle
// from the centre; on a round seal the two are one, on an oval they differ,
// and the strip is made for one of them (its characters then stand evenly).
enum class RingSpacing { kArc, kAngle };
Image RingStrip(const Image& rgb, const BBox& seal, RingSpacing spacing = RingSpacing::kArc);

// The seal's outer border fitted on the red pixels (pixels of `rgb`): centre,
// semi-axes and where the border's ink ends on the inside (fraction of the
// radius). `ok` is false when the fit failed and the box was used instead.
struct RingFit {
  double cx = 0, cy = 0, rx = 0, ry = 0;
  double border_inner = 0.93;
  bool ok = false;
};
RingFit FitRing(const Image& rgb, const BBox& seal);

std::vector<Mark> FindSignatureAreas(const Image& rgb, const std::vector<TextLine>& lines);

// Writes the region `box` (fractions, padded by `pad`) of `rgb` as a PNG.
Status WriteCrop(const Image& rgb, const BBox& box, double pad, const std::string& path, int max_width = 300);

}  // namespace pingcha::seals
