// Geometry shared by every stage.
//
// BBox: [x0, y0, x1, y1] as fractions (0..1) of the page *as stored in the
// file*, origin top-left, before any rotation the pipeline applied. Value
// type; thread-compatible.
#pragma once

namespace pingcha {

struct BBox {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  double width() const { return x1 - x0; }
  double height() const { return y1 - y0; }
  bool empty() const { return x1 <= x0 || y1 <= y0; }
  bool operator==(const BBox&) const = default;
};

// Whether the two boxes share any area.
inline bool Overlaps(const BBox& a, const BBox& b) { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1; }

// Whether the two boxes lie on one row: their heights overlap by more than
// half the smaller height (a line read in pieces; a table row's cells).
inline bool SharesRow(const BBox& a, const BBox& b) {
  const double top = a.y0 > b.y0 ? a.y0 : b.y0, bottom = a.y1 < b.y1 ? a.y1 : b.y1;
  const double lower = a.height() < b.height() ? a.height() : b.height();
  return bottom - top > 0.5 * lower;
}

// Smallest box covering both (an empty box is the identity).
inline BBox Union(const BBox& a, const BBox& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return {a.x0 < b.x0 ? a.x0 : b.x0, a.y0 < b.y0 ? a.y0 : b.y0,
          a.x1 > b.x1 ? a.x1 : b.x1, a.y1 > b.y1 ? a.y1 : b.y1};
}

}  // namespace pingcha

namespace pingcha {

// Maps a box measured on an image that was rotated `rotation` degrees
// clockwise (0/90/180/270) from the stored page back onto the stored page.
// `box` is in fractions of the rotated image.
inline BBox UnrotateBox(const BBox& b, int rotation) {
  switch (((rotation % 360) + 360) % 360) {
    case 90:  return {b.y0, 1 - b.x1, b.y1, 1 - b.x0};
    case 180: return {1 - b.x1, 1 - b.y1, 1 - b.x0, 1 - b.y0};
    case 270: return {1 - b.y1, b.x0, 1 - b.y0, b.x1};
    default:  return b;
  }
}

}  // namespace pingcha
