// Page-level values: what ingest, preprocess and OCR learn about one page.
//
// Units: pixel sizes are of the image the text was read from; every box is a
// BBox (fractions of the stored page). Value types; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "models/geometry.h"
#include "models/image.h"

namespace pingcha {

struct Word {
  std::string text;         // UTF-8
  BBox box;
  double confidence = 0;    // 0..1
};

// One text line in reading order.
struct TextLine {
  std::string text;         // UTF-8, words joined (no spaces between CJK)
  BBox box;
  double confidence = 0;    // mean word confidence, 0..1
  std::vector<Word> words;
};

// A red (or dark) mark found on the colour page, before it is tied to a
// document. Seal candidates and signature strokes both use it.
struct Mark {
  BBox box;
  std::string shape;        // "round" | "oval" | "rect" for seals
  std::string role;         // signatures: "party" | "officer" | "other"
  bool present = true;      // signatures: ink found in the signature area
  std::string label;        // signatures: the label line as read (evidence)
  double confidence = 0;
  std::optional<std::string> ring_text;  // text read along a seal's ring
  Image ring_strip;         // seals: the ring text unwrapped (grey, 40 px tall), to judge the owner on
  Image ring_strip_angle;   // ovals: the same, by even angle (characters spaced by angle)
  std::string crop_png;     // path under OUT/evidence/, relative to OUT; may be empty
};

// A page number as printed in a margin, and where.
struct PrintedNumber {
  std::string text;
  BBox box;
};

struct Page {
  int number = 0;              // 1-based position in the file
  int rotation = 0;            // clockwise degrees applied to read it upright
  double skew_degrees = 0;     // deskew angle applied
  std::string text_from = "ocr";  // "ocr" | "text_layer"
  std::optional<double> mean_confidence;  // null when nothing was read
  std::optional<std::string> printed_number;
  std::optional<BBox> printed_number_box;  // where it is printed, when known
  bool blank = false;
  bool readable = true;        // false: OCR failed or timed out
  bool colour = true;          // false: grey-only scan (seal colour unknown)
  std::string warning;         // why a page is unreadable, if it is
  int width_px = 0, height_px = 0;
  std::vector<TextLine> lines;
  // Lines read again in the top and bottom margins (sparse text), where
  // printed page numbers are; boxes in page fractions like `lines`.
  std::vector<TextLine> margin_lines;
  std::vector<Mark> seals;     // red seal candidates on this page
  std::vector<Mark> signatures;  // signature areas (label + the space after it)
};

}  // namespace pingcha
