// Whose seal: the ring text compared with candidate names, character by
// character, against glyphs rendered from the machine's CJK fonts.
//
// Why not OCR: ring characters on a scan are ~1.5 mm tall, condensed, curved
// and blurred; Tesseract's chi_sim reads almost none of them (measured: the
// agency's name exactly on 4 % of seals). Verifying a *given* name is a much
// easier question than reading an unknown one: each character cell of the
// ring is compared with the candidate's glyph and with the glyphs of every
// other character printed in the case (the cohort), and the candidate's glyph
// must rank at the top. Ranks, not raw similarities, make the test hold across
// fonts (the seal's font is never the one we render).
//
// Contract: the strip comes from seals::RingStrip().
// A GlyphRenderer is used by one thread at a time. Without a CJK font on the machine,
// GlyphRenderer::ok() is false and nothing can be verified (owners stay
// unknown, the checks manual).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/image.h"

namespace pingcha::seals {

// A character's shape as compared: its ink box scaled to a square, blurred,
// zero mean, unit norm.
using Shape = std::vector<float>;
constexpr int kShapeSide = 20;

class RingComparer;

class GlyphRenderer {
 public:
  GlyphRenderer();  // every Chinese font family fontconfig knows, one face each
  ~GlyphRenderer();
  GlyphRenderer(const GlyphRenderer&) = delete;
  GlyphRenderer& operator=(const GlyphRenderer&) = delete;
  bool ok() const;
  // The shapes of `ch`, one per font that has it (cached).
  const std::vector<Shape>& Shapes(char32_t ch);
  std::vector<std::string> fonts() const;  // file paths, for provenance

 private:
  friend class RingComparer;
  static constexpr std::size_t kMaxCachedGlyphs = 6000;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::map<char32_t, std::vector<Shape>> cache_;
  int in_use_ = 0;  // live RingComparers (they hold pointers into cache_)
};

// How well a strip reads as `name`.
struct RingMatch {
  double mean_rank = 1;    // mean fraction of the cohort that looks more alike
  std::vector<double> ranks;  // per character of the name (1 = not compared)
};

struct InkBoxHolder;

// One ring compared with many names: the cells of each character count and
// their likeness to every cohort character are computed once, so trying the
// agency's name with 0–6 unnamed characters before it and with each internal
// unit after it costs little more than one name.
class RingComparer {
 public:
  RingComparer(const Image& strip, std::u32string cohort, GlyphRenderer& glyphs);
  ~RingComparer();
  RingComparer(const RingComparer&) = delete;
  RingComparer& operator=(const RingComparer&) = delete;
  // Cuts the strip into `name`'s characters, evenly spaced as seal makers
  // set them, and ranks each character's glyph among the cohort's (other
  // characters, typically every Han character printed in the case). `prefix`
  // more characters before the name are allowed (a ring with the city's name
  // before a bureau named without it): they take cells but are not compared.
  RingMatch Match(const std::u32string& name, int prefix = 0);

 private:
  struct Layout {
    bool ok = false;
    std::vector<std::vector<Shape>> cells;        // per cell: its shape at three placements
    std::vector<std::vector<float>> cohort_like;  // per cell: likeness of each cohort character
  };
  void Prepare(const Image& strip);
  const Layout& LayoutFor(int cells);
  static float Best(const std::vector<Shape>& shapes, const std::vector<Shape>& glyph);

  std::u32string cohort_;
  GlyphRenderer& glyphs_;
  std::unique_ptr<InkBoxHolder> ink_;
  std::vector<float> cols_;
  int x0_ = 0, x1_ = 0;
  std::vector<const std::vector<Shape>*> others_;
  std::map<int, Layout> layouts_;
};

}  // namespace pingcha::seals
