// Stage "preprocess": turns a rendered colour page into the grey image that
// OCR reads, with Leptonica.
//
// Contract: Prepare() drops red seal ink (it reads the red channel, where red
// ink is as light as paper), flattens the background (paper tint, uneven
// light), rotates the page by `rotation` (clockwise) and corrects skew. It
// never fails on a valid image; the skew applied is reported. Stateless and
// thread-safe.
#pragma once

#include <string>
#include <vector>

#include "models/geometry.h"
#include "models/image.h"

namespace pingcha::preprocess {

struct Prepared {
  Image grey;                 // 1 channel, upright, deskewed
  double skew_degrees = 0;    // rotation applied to correct skew
};

Prepared Prepare(const Image& rgb, int rotation);

// Cheap page statistics on the colour page.
struct PageStats {
  bool grey_only = false;     // no colour information at all (grey scan)
  bool blank = false;         // nothing worth reading
  double ink_ratio = 0;       // share of dark pixels away from the margins
  double red_ratio = 0;       // share of red (seal-coloured) pixels there
};
PageStats Measure(const Image& rgb);

// Rotates clockwise by 0/90/180/270 degrees.
Image RotateImage(const Image& img, int rotation);

// Small, isolated groups of ink inside `region` (fractions of the page) of
// a grey page — a printed page number in a margin looks like this: one to
// four glyphs of body-text size with nothing beside them. Boxes as fractions
// of the page, top to bottom. Ink is what is darker than `ink_below`.
std::vector<BBox> IsolatedMarks(const Image& grey, const BBox& region, int ink_below = 150);

// Ink that no read line covers and that looks like a line of text: glyphs
// of about `line_h` (fraction of the page's height) in a row, table rules
// and underlines left out. Layout analysis drops such lines — a form's
// label in a table cell beside a handwritten signature, for one. Boxes as
// fractions of the page, top to bottom.
std::vector<BBox> UncoveredText(const Image& grey, const std::vector<BBox>& covered, double line_h);

// The page's red ink as dark grey on white, everything else white: a red
// letterhead (红头) or red print that the red channel, read for the body
// text, drops with the seals. Turned by `rotation` and `skew_degrees` as
// Prepare() turns the page, so boxes agree with the lines OCR read there.
// Empty for a grey image.
Image RedInk(const Image& rgb, int rotation, double skew_degrees);

// A grey image turned about its centre by `radians` (clockwise positive),
// white brought in at the edges: each pixel interpolated from the four
// source pixels around its position at sixteenths of a pixel. The same
// bytes as Leptonica's area-map rotation (pixRotate, L_ROTATE_AREA_MAP,
// white, no embedding), at a fraction of the time: the products that depend
// only on the row or only on the column are taken once; on an AVX2
// machine eight pixels at a time where they can be. `grey` as is below
// 0.001 radians. `vectors` false: pixel by pixel, as on a machine without
// AVX2 (tests hold both ways to Leptonica's bytes).
Image RotateGrey(const Image& grey, float radians, bool vectors = true);

// Red channel of an RGB image (grey as is).
Image RedChannel(const Image& rgb);

// Leptonica version ("1.82.0"), for provenance.
std::string LeptonicaVersion();

}  // namespace pingcha::preprocess
