// Stage "seals": red official seals (公章) and handwritten signatures on the
// upright colour page.
//
// Contract: FindSeals() returns red components shaped like seals (round,
// oval or rectangular, 20–60 mm, with a continuous border), never red
// letterheads, rules, ticks or underlines. On a grey-only page it returns
// nothing; TintGreySealInk() first draws a grey scan's seal ink red. A seal
// found on a grey page is evidence; none found there proves nothing (a seal
// pressed as dark as print is not told from it): the caller treats seal
// presence as unknown on a grey page where no seal was found.
// FindSignatureAreas() locates signature labels in the OCR lines and reports
// whether ink follows them. Boxes are fractions of the given image. Pure
// functions; thread-safe.
#pragma once

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "models/image.h"
#include "models/page.h"
#include "models/status.h"

namespace pingcha::seals {

// `bridge_mm`: the widest break in a border that is still joined (4 mm: a
// worn ring breaks into arcs; more on a grey scan, where each line of print
// crossing the ring cuts it, see TintGreySealInk).
std::vector<Mark> FindSeals(const Image& rgb, double bridge_mm = 4.0);

// `rgb` (a colour page) with its paper made white and the ink about it
// `gain` times as strong, channel by channel (2: a pale seal's ring still
// reads; 3 blurs it): a seal pressed pale, or scanned washed out on yellowed
// paper (pink with r−g 25–45 where the paper's is 15), reaches seal ink
// there, while print stays neutral and paper white. Where the page itself
// shows no seal, look for one here.
Image StrengthenedInk(const Image& rgb, double gain = 2.0);
// FindSeals(StrengthenedInk(rgb, gain)) without making that image: the
// same marks (the image is worth making only where one is found).
std::vector<Mark> FindStrengthenedSeals(const Image& rgb, double gain = 2.0);

// A grey scan keeps a red seal as mid-grey ink: lighter than black print,
// darker than paper. RGB copies of a grey `page` (1 channel, or 3 equal
// ones) in which such ink is drawn red and the rest left grey, so that the
// colour-scan code works on them: `borders` only long strokes of mid-grey
// plateaus (10 mm or more: find and fit seals on it); `rings` every grey
// that is not print or beside it (thin strokes of ring characters keep no
// plateau: read a ring on it). `ink`: the mask of plateau ink (strokes of
// seals; some print greyed by a blurred scan among them). A seal pressed as
// dark as black print stays grey. `paper`: the page's paper grey.
struct GreyInk {
  Image rings, borders;
  std::vector<std::uint8_t> ink;
  int paper = 255;
};
GreyInk TintGreySealInk(const Image& page);
// On a grey scan each line of print crossing a seal cuts its border (print
// is not seal ink, nor the grey beside it): FindSeals(borders,
// kGreyBridgeMm) joins arcs across two lines.
constexpr double kGreyBridgeMm = 7.0;
// `page` with the plateau ink inside the boxes of `seals` painted paper:
// the grey scan's seal dropped out before OCR, as the red channel drops it
// on a colour scan. Print under the seal, inked over and so a darker grey
// than the seal's own, stays.
Image DropTintedInk(const Image& page, const GreyInk& ink, const std::vector<Mark>& seals);

// The seal's outer border fitted on the red pixels (pixels of `rgb`): centre,
// semi-axes and where the border's ink ends on the inside (fraction of the
// radius). `ok` is false when the fit failed and the box was used instead.
// A stamp is rarely straight: the ellipse may be turned by `angle` (radians,
// clockwise on the page); rx is the semi-axis nearest the page's horizontal.
struct RingFit {
  double cx = 0, cy = 0, rx = 0, ry = 0;
  double angle = 0;
  double border_inner = 0.93;
  bool ok = false;
  // The point at `f` of the radii, at angle `t` from the seal's top, clockwise.
  void At(double f, double t, double& x, double& y) const {
    const double ex = f * rx * std::sin(t), ey = -f * ry * std::cos(t);
    const double c = std::cos(angle), s = std::sin(angle);
    x = cx + ex * c - ey * s;
    y = cy + ex * s + ey * c;
  }
  // The unit tangent (clockwise) of the ellipse at `t`.
  void Tangent(double t, double& vx, double& vy) const {
    const double ex = rx * std::cos(t), ey = ry * std::sin(t);
    const double c = std::cos(angle), s = std::sin(angle);
    vx = ex * c - ey * s;
    vy = ex * s + ey * c;
    const double n = std::max(1e-9, std::hypot(vx, vy));
    vx /= n;
    vy /= n;
  }
};
RingFit FitRing(const Image& rgb, const BBox& seal);

// The ring is fitted once per seal (FitRing) and unwrapped from the fit:
// the band of ring text of a seal, unwrapped into a horizontal grey strip
// (red ink dark, everything else light), ready for single-line OCR.
// `band` is the band's depth as a fraction of the radius.
Image UnwrapRing(const Image& rgb, const RingFit& ring, double band = 0.34);

// The ring-text band unwrapped along the arc into a grey strip 40 px tall
// (ink dark, paper 255), from just before the first to just after the last
// inked column; empty when the seal shows no ring text. Small enough to keep
// with the page (it is what the seal's owner is judged on, see ring_match.h).
// Seal makers space ring characters evenly along the arc or by the angle
// from the centre; on a round seal the two are one, on an oval they differ,
// and the strip is made for one of them (its characters then stand evenly).
enum class RingSpacing { kArc, kAngle };
Image RingStrip(const Image& rgb, const RingFit& ring, RingSpacing spacing = RingSpacing::kArc);


std::vector<Mark> FindSignatureAreas(const Image& rgb, const std::vector<TextLine>& lines);

// Writes the region `box` (fractions, padded by `pad`) of `rgb` as a PNG.
Status WriteCrop(const Image& rgb, const BBox& box, double pad, const std::string& path, int max_width = 300);

}  // namespace pingcha::seals
