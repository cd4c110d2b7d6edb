#include "stages/seals/ring_match.h"

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <tuple>

namespace pingcha::seals {
namespace {

constexpr int kBlurPasses = 2;
// Share of stroke directions in the likeness (the rest: the blurred ink).
constexpr float kDirectionWeight = 0.5f;

// Ink weights (0 paper … 1 ink) of a w×h region, row-major.
struct InkBox {
  int w = 0, h = 0;
  std::vector<float> ink;
  float at(int x, int y) const { return ink[static_cast<std::size_t>(y) * w + x]; }
};

// A 3×3 box blur of an S×S image (edges averaged over what is inside).
std::vector<float> BoxBlur(const std::vector<float>& g) {
  constexpr int S = kShapeSide;
  std::vector<float> out(g.size(), 0);
  for (int j = 0; j < S; ++j)
    for (int i = 0; i < S; ++i) {
      float sum = 0;
      int n = 0;
      for (int dj = -1; dj <= 1; ++dj)
        for (int di = -1; di <= 1; ++di) {
          const int a = i + di, c = j + dj;
          if (a < 0 || c < 0 || a >= S || c >= S) continue;
          sum += g[static_cast<std::size_t>(c * S + a)];
          ++n;
        }
      out[static_cast<std::size_t>(j * S + i)] = sum / n;
    }
  return out;
}

// Histogram of edge directions (8 bins over 180°, magnitude-weighted) in a
// 4×4 grid of an S×S ink image, square-rooted and unit norm.
Shape GradientHistogram(const std::vector<float>& g) {
  constexpr int S = kShapeSide, G = 4, B = 8;
  // One light blur first: edges of a pixel-wide stroke are then not noise.
  const std::vector<float> b = BoxBlur(g);
  Shape h(G * G * B, 0);
  for (int j = 1; j < S - 1; ++j)
    for (int i = 1; i < S - 1; ++i) {
      const float gx = b[static_cast<std::size_t>(j * S + i + 1)] - b[static_cast<std::size_t>(j * S + i - 1)];
      const float gy = b[static_cast<std::size_t>((j + 1) * S + i)] - b[static_cast<std::size_t>((j - 1) * S + i)];
      const float mag = std::sqrt(gx * gx + gy * gy);
      if (mag < 1e-4f) continue;
      double angle = std::atan2(static_cast<double>(gy), static_cast<double>(gx));
      if (angle < 0) angle += M_PI;
      if (angle >= M_PI) angle -= M_PI;  // fold into [0, π)
      const double pos = angle / M_PI * B;  // soft between the two nearest bins
      const int b0 = static_cast<int>(pos) % B, b1 = (b0 + 1) % B;
      const float w1 = static_cast<float>(pos - std::floor(pos));
      const int cell = (j * G / S) * G + (i * G / S);
      h[static_cast<std::size_t>(cell * B + b0)] += mag * (1 - w1);
      h[static_cast<std::size_t>(cell * B + b1)] += mag * w1;
    }
  double norm = 0;
  for (float& v : h) {
    v = std::sqrt(v);
    norm += v * v;
  }
  if (norm <= 1e-12) return {};
  double mean = 0;
  for (float v : h) mean += v / std::sqrt(norm);
  mean /= h.size();
  double norm2 = 0;
  for (float& v : h) {
    v = static_cast<float>(v / std::sqrt(norm) - mean);
    norm2 += v * v;
  }
  if (norm2 <= 1e-12) return {};
  for (float& v : h) v = static_cast<float>(v / std::sqrt(norm2));
  return h;
}

// The ink's box (rows and columns holding at least a little ink) scaled to a
// kShapeSide square, blurred, zero mean, unit norm; empty without ink. A
// flat character keeps at least a third of the region's height, so 一 is not
// stretched into a block.
Shape ShapeOf(const InkBox& b, int window = 0) {
  if (b.w < 2 || b.h < 2) return {};
  std::vector<float> cols(static_cast<std::size_t>(b.w), 0);
  for (int y = 0; y < b.h; ++y)
    for (int x = 0; x < b.w; ++x) cols[static_cast<std::size_t>(x)] += b.at(x, y);
  auto extent = [](const std::vector<float>& v, int& lo, int& hi) {
    const float top = *std::max_element(v.begin(), v.end());
    lo = 0;
    hi = static_cast<int>(v.size()) - 1;
    if (top <= 0) return false;
    while (lo < hi && v[static_cast<std::size_t>(lo)] < 0.12f * top) ++lo;
    while (hi > lo && v[static_cast<std::size_t>(hi)] < 0.12f * top) --hi;
    return true;
  };
  int x0, x1, y0, y1;
  if (!extent(cols, x0, x1)) return {};
  if (window > 1 && window < b.w) {
    // A ring cell also catches the edges of its neighbours: the character
    // is the window of its expected width holding the most ink.
    float sum = 0, best_sum = -1;
    int best_at = 0;
    for (int x = 0; x < b.w; ++x) {
      sum += cols[static_cast<std::size_t>(x)];
      if (x >= window) sum -= cols[static_cast<std::size_t>(x - window)];
      if (x >= window - 1 && sum > best_sum) { best_sum = sum; best_at = x - window + 1; }
    }
    std::vector<float> inside(cols.begin() + best_at, cols.begin() + best_at + window);
    if (!extent(inside, x0, x1)) return {};
    x0 += best_at;
    x1 += best_at;
  }
  std::vector<float> rows(static_cast<std::size_t>(b.h), 0);
  for (int y = 0; y < b.h; ++y)
    for (int x = x0; x <= x1; ++x) rows[static_cast<std::size_t>(y)] += b.at(x, y);
  if (!extent(rows, y0, y1)) return {};
  const int min_h = b.h / 3;
  if (y1 - y0 + 1 < min_h) {
    const int c = (y0 + y1) / 2;
    y0 = std::max(0, c - min_h / 2);
    y1 = std::min(b.h - 1, y0 + min_h);
  }
  constexpr int S = kShapeSide;
  std::vector<float> g(S * S, 0);
  const double sx = (x1 - x0 + 1.0) / S, sy = (y1 - y0 + 1.0) / S;
  for (int j = 0; j < S; ++j)
    for (int i = 0; i < S; ++i) {
      // Mean of the source area the target pixel covers (3×3 samples).
      float sum = 0;
      for (int v = 0; v < 3; ++v)
        for (int u = 0; u < 3; ++u) {
          int x = x0 + static_cast<int>((i + (u + 0.5) / 3) * sx);
          int y = y0 + static_cast<int>((j + (v + 0.5) / 3) * sy);
          sum += b.at(std::min(x, b.w - 1), std::min(y, b.h - 1));
        }
      g[static_cast<std::size_t>(j * S + i)] = sum / 9;
    }
  // Blurred (box filter, kBlurPasses times): a scan's bold, blurred strokes
  // and a font's crisp ones meet halfway.
  Shape out = g;
  for (int pass = 0; pass < kBlurPasses; ++pass) out = BoxBlur(out);
  double mean = 0;
  for (float v : out) mean += v;
  mean /= S * S;
  double norm = 0;
  for (float& v : out) {
    v = static_cast<float>(v - mean);
    norm += v * v;
  }
  if (norm <= 1e-9) return {};
  for (float& v : out) v = static_cast<float>(v / std::sqrt(norm));
  // Stroke directions: where the ink's edges run (横, 竖, 撇, 捺), in a 4×4
  // grid — they hold when stroke weight and blur differ between the seal's
  // font and ours, where raw ink does not.
  Shape dirs = GradientHistogram(g);
  if (dirs.empty()) return {};
  Shape both;
  both.reserve(out.size() + dirs.size());
  const float wp = std::sqrt(1.0f - kDirectionWeight), wd = std::sqrt(kDirectionWeight);
  for (float v : out) both.push_back(wp * v);
  for (float v : dirs) both.push_back(wd * v);
  return both;
}

// Eight running sums, so the compiler can keep them in vector registers (a
// single sum is a chain it may not reorder): the cohort comparison is most
// of the seal-owner time. Built twice, the machine's AVX2 chosen when it
// has it (one register holds the eight sums; no fused multiply-add, so the
// sums are the same to the bit either way).
// Dot's eight sums and its tail added in one fixed order.
float Total(const float* part, float tail) {
  return ((part[0] + part[1]) + (part[2] + part[3])) + ((part[4] + part[5]) + (part[6] + part[7])) + tail;
}

__attribute__((target_clones("avx2", "default"))) float Dot(const Shape& a, const Shape& b) {
  float part[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  const std::size_t n = std::min(a.size(), b.size());
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (std::size_t j = 0; j < 8; ++j) part[j] += a[i + j] * b[i + j];
  float tail = 0;
  for (; i < n; ++i) tail += a[i] * b[i];
  return Total(part, tail);
}

// Dot(a[k], b) for three shapes of one size at once, each sum run as Dot
// runs it (eight lanes, the same order: the same floats to the bit), the
// glyph read once for the three.
__attribute__((target_clones("avx2", "default"))) void Dot3(const float* a0, const float* a1, const float* a2,
                                                          const float* b, std::size_t n, float out[3]) {
  typedef float Lanes __attribute__((vector_size(32)));  // Dot's eight sums
  Lanes p0 = {}, p1 = {}, p2 = {};
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    Lanes g, x0, x1, x2;  // unaligned loads
    std::memcpy(&g, b + i, sizeof g);
    std::memcpy(&x0, a0 + i, sizeof x0);
    std::memcpy(&x1, a1 + i, sizeof x1);
    std::memcpy(&x2, a2 + i, sizeof x2);
    p0 += x0 * g;
    p1 += x1 * g;
    p2 += x2 * g;
  }
  float t0 = 0, t1 = 0, t2 = 0;
  for (; i < n; ++i) t0 += a0[i] * b[i], t1 += a1[i] * b[i], t2 += a2[i] * b[i];
  float lanes[3][8];
  std::memcpy(lanes[0], &p0, sizeof p0);
  std::memcpy(lanes[1], &p1, sizeof p1);
  std::memcpy(lanes[2], &p2, sizeof p2);
  out[0] = Total(lanes[0], t0);
  out[1] = Total(lanes[1], t1);
  out[2] = Total(lanes[2], t2);
}

// The best likeness of a cell to a character over the fonts' glyphs.
float Likeness(const Shape& cell, const std::vector<Shape>& glyphs) {
  float best = -1;
  for (const auto& g : glyphs)
    if (!g.empty()) best = std::max(best, Dot(cell, g));
  return best;
}

}  // namespace

struct GlyphRenderer::Impl {
  FT_Library lib = nullptr;
  std::vector<FT_Face> faces;
  std::vector<std::string> files;
  ~Impl() {
    for (FT_Face f : faces) FT_Done_Face(f);
    if (lib) FT_Done_FreeType(lib);
  }
};

GlyphRenderer::GlyphRenderer() : impl_(std::make_unique<Impl>()) {
  if (FT_Init_FreeType(&impl_->lib) != 0) {
    impl_->lib = nullptr;
    return;
  }
  // Seals are cut in Song, Ming, Kai, Hei or FangSong characters, and a
  // scanned ring matches its own style best: every Chinese font installed,
  // one face of each family — its simplified-Chinese face (…SC, …CN) or the
  // file's first, its boldest weight, no monospace faces.
  FcConfig* config = FcInitLoadConfigAndFonts();
  if (!config) return;
  FcPattern* want = FcNameParse(reinterpret_cast<const FcChar8*>(":lang=zh-cn"));
  FcObjectSet* fields = FcObjectSetBuild(FC_FILE, FC_INDEX, FC_FAMILY, FC_WEIGHT, FC_SPACING, FC_CHARSET, nullptr);
  FcFontSet* list = want && fields ? FcFontList(config, want, fields) : nullptr;
  struct Face {
    std::string file, family;
    int index = 0, weight = 0;
  };
  std::map<std::string, Face> by_family;  // base family (region dropped) → its face
  auto ends_with = [](const std::string& s, const char* tail) {
    const std::size_t n = std::strlen(tail);
    return s.size() >= n && s.compare(s.size() - n, n, tail) == 0;
  };
  for (int i = 0; list && i < list->nfont; ++i) {
    FcPattern* font = list->fonts[i];
    FcChar8* file = nullptr;
    FcChar8* family = nullptr;
    FcCharSet* cs = nullptr;
    int index = 0, weight = 0, spacing = FC_PROPORTIONAL;
    if (FcPatternGetString(font, FC_FILE, 0, &file) != FcResultMatch ||
        FcPatternGetString(font, FC_FAMILY, 0, &family) != FcResultMatch ||
        FcPatternGetCharSet(font, FC_CHARSET, 0, &cs) != FcResultMatch || !FcCharSetHasChar(cs, U'局'))
      continue;
    FcPatternGetInteger(font, FC_INDEX, 0, &index);
    FcPatternGetInteger(font, FC_WEIGHT, 0, &weight);
    FcPatternGetInteger(font, FC_SPACING, 0, &spacing);
    Face face{reinterpret_cast<const char*>(file), reinterpret_cast<const char*>(family), index, weight};
    if (spacing == FC_MONO || face.family.find("Mono") != std::string::npos) continue;
    const bool simplified = ends_with(face.family, " SC") || ends_with(face.family, " CN");
    const bool regional = simplified || ends_with(face.family, " TC") || ends_with(face.family, " HK") ||
                          ends_with(face.family, " JP") || ends_with(face.family, " KR") ||
                          ends_with(face.family, " TW") || ends_with(face.family, " MBE");
    if (regional && !simplified) continue;  // other regions draw some characters otherwise
    const std::string base = simplified ? face.family.substr(0, face.family.size() - 3) : face.family;
    auto [at, fresh] = by_family.try_emplace(base, face);
    const Face& had = at->second;
    if (!fresh && (face.weight > had.weight ||
                   (face.weight == had.weight && std::tie(face.file, face.index) < std::tie(had.file, had.index))))
      at->second = face;
  }
  if (list) FcFontSetDestroy(list);
  if (fields) FcObjectSetDestroy(fields);
  if (want) FcPatternDestroy(want);
  // One face per file (a file's several families are one design), in file order.
  std::map<std::string, Face> by_file;
  for (const auto& [base, face] : by_family) {
    auto [at, fresh] = by_file.try_emplace(face.file, face);
    if (!fresh && face.index < at->second.index) at->second = face;
  }
  for (const auto& [path, face] : by_file) {
    FT_Face ft = nullptr;
    if (FT_New_Face(impl_->lib, path.c_str(), face.index, &ft) != 0) continue;
    FT_Set_Pixel_Sizes(ft, 0, 64);
    impl_->faces.push_back(ft);
    impl_->files.push_back(path);
  }
  FcConfigDestroy(config);
}

GlyphRenderer::~GlyphRenderer() = default;

bool GlyphRenderer::ok() const { return !impl_->faces.empty(); }

std::vector<std::string> GlyphRenderer::fonts() const { return impl_->files; }

const std::vector<Shape>& GlyphRenderer::Shapes(char32_t ch) {
  auto it = cache_.find(ch);
  if (it != cache_.end()) return it->second;

  std::vector<Shape> shapes;
  for (FT_Face face : impl_->faces) {
    if (FT_Get_Char_Index(face, ch) == 0 || FT_Load_Char(face, ch, FT_LOAD_RENDER) != 0) continue;
    const FT_Bitmap& bm = face->glyph->bitmap;
    if (bm.pixel_mode != FT_PIXEL_MODE_GRAY || bm.width == 0 || bm.rows == 0) continue;
    InkBox b;
    b.w = static_cast<int>(bm.width);
    b.h = 64;  // the em square's height: a flat glyph keeps its flatness
    b.ink.assign(static_cast<std::size_t>(b.w) * b.h, 0);
    const int top = std::clamp(52 - face->glyph->bitmap_top, 0, 63);  // baseline ≈ 52 px down at 64 px
    for (unsigned y = 0; y < bm.rows && top + static_cast<int>(y) < b.h; ++y)
      for (unsigned x = 0; x < bm.width; ++x)
        b.ink[static_cast<std::size_t>(top + static_cast<int>(y)) * b.w + x] = bm.buffer[static_cast<std::ptrdiff_t>(y) * bm.pitch + x] / 255.0f;
    shapes.push_back(ShapeOf(b));
  }
  return cache_.emplace(ch, std::move(shapes)).first->second;
}

namespace {

// The strip's ink with the seal's border lines taken out: a horizontal run of
// ink longer than two characters is a ring line (the border, an inner
// circle), never a stroke; it and its pixels above and below are erased.
InkBox StripInk(const Image& strip) {
  InkBox all;
  all.w = strip.width;
  all.h = strip.height;
  all.ink.resize(strip.pixels.size());
  // A faint ring (a dry pad, text lighter than the border) is brought up to
  // full strength: its strong ink (the 90th percentile of what is inked at
  // all) counts as full ink. Faint tint (paper, haze) is not ink: 20 % of
  // full strength and less is paper.
  std::vector<float> inked;
  for (std::uint8_t v : strip.pixels)
    if (v < 215) inked.push_back((255 - v) / 255.0f);
  float strong = 1;
  if (inked.size() > 50) {
    const std::size_t k = inked.size() * 9 / 10;
    std::nth_element(inked.begin(), inked.begin() + static_cast<std::ptrdiff_t>(k), inked.end());
    strong = std::clamp(inked[k], 0.3f, 1.0f);
  }
  for (std::size_t i = 0; i < strip.pixels.size(); ++i)
    all.ink[i] = std::clamp(((255 - strip.pixels[i]) / 255.0f / strong - 0.2f) / 0.6f, 0.0f, 1.0f);
  const int longest = 2 * all.h;
  std::vector<std::uint8_t> erase(all.ink.size(), 0);
  for (int y = 0; y < all.h; ++y) {
    int x = 0;
    while (x < all.w) {
      if (all.at(x, y) < 0.35f) { ++x; continue; }
      int e = x;
      while (e < all.w && all.at(e, y) >= 0.35f) ++e;
      if (e - x > longest)
        for (int dy = -1; dy <= 1; ++dy)
          if (y + dy >= 0 && y + dy < all.h)
            for (int i = x; i < e; ++i) erase[static_cast<std::size_t>(y + dy) * all.w + i] = 1;
      x = e;
    }
  }
  // The band's edges: a row there inked across much of the strip is what is
  // left of the border (often dotted, so no single long run).
  const int edge = std::max(2, all.h / 6);
  for (int y = 0; y < all.h; ++y) {
    if (y >= edge && y < all.h - edge) continue;
    int inked = 0;
    for (int x = 0; x < all.w; ++x) inked += all.at(x, y) >= 0.35f;
    if (inked > 0.3 * all.w)
      for (int x = 0; x < all.w; ++x) erase[static_cast<std::size_t>(y) * all.w + x] = 1;
  }
  // Pieces of a broken or wavy border line: flat, longer than most of a
  // character, in the top third or bottom fifth of the band.
  {
    std::vector<int> label(all.ink.size(), -1);
    std::vector<std::pair<int, int>> stack;
    for (int y0 = 0; y0 < all.h; ++y0)
      for (int x0 = 0; x0 < all.w; ++x0) {
        const std::size_t i0 = static_cast<std::size_t>(y0) * all.w + x0;
        if (label[i0] >= 0 || all.ink[i0] < 0.35f) continue;
        std::vector<std::size_t> members;
        int bx0 = x0, bx1 = x0, by0 = y0, by1 = y0;
        label[i0] = 1;
        stack.push_back({x0, y0});
        while (!stack.empty()) {
          auto [x, y] = stack.back();
          stack.pop_back();
          members.push_back(static_cast<std::size_t>(y) * all.w + x);
          bx0 = std::min(bx0, x); bx1 = std::max(bx1, x); by0 = std::min(by0, y); by1 = std::max(by1, y);
          for (int dy = -1; dy <= 1; ++dy)
            for (int dx = -1; dx <= 1; ++dx) {
              const int nx = x + dx, ny = y + dy;
              if (nx < 0 || ny < 0 || nx >= all.w || ny >= all.h) continue;
              const std::size_t j = static_cast<std::size_t>(ny) * all.w + nx;
              if (label[j] >= 0 || all.ink[j] < 0.35f) continue;
              label[j] = 1;
              stack.push_back({nx, ny});
            }
        }
        const double cy = (by0 + by1) / 2.0;
        const bool flat = by1 - by0 + 1 <= 0.25 * all.h && bx1 - bx0 + 1 >= 0.8 * all.h;
        if (flat && (cy < 0.35 * all.h || cy > 0.8 * all.h))
          for (std::size_t m : members) {  // with its faint halo
            const int mx = static_cast<int>(m % all.w), my = static_cast<int>(m / all.w);
            for (int dy = -1; dy <= 1; ++dy)
              for (int dx = -1; dx <= 1; ++dx)
                if (mx + dx >= 0 && my + dy >= 0 && mx + dx < all.w && my + dy < all.h &&
                    all.ink[static_cast<std::size_t>(my + dy) * all.w + mx + dx] < 0.35f)
                  erase[static_cast<std::size_t>(my + dy) * all.w + mx + dx] = 1;
            erase[m] = 1;
          }
      }
  }
  for (std::size_t i = 0; i < erase.size(); ++i)
    if (erase[i]) all.ink[i] = 0;
  // The text line: the heaviest run of inked rows. A border line running
  // apart from the characters forms a thinner run of its own, dropped.
  std::vector<float> rows(static_cast<std::size_t>(all.h), 0);
  for (int y = 0; y < all.h; ++y)
    for (int x = 0; x < all.w; ++x) rows[static_cast<std::size_t>(y)] += all.at(x, y);
  const float top = *std::max_element(rows.begin(), rows.end());
  int keep0 = 0, keep1 = all.h - 1;
  float best = 0;
  for (int y = 0; y < all.h;) {
    if (rows[static_cast<std::size_t>(y)] <= 0.2f * top) { ++y; continue; }
    int e = y;
    float mass = 0;
    while (e < all.h && rows[static_cast<std::size_t>(e)] > 0.2f * top) mass += rows[static_cast<std::size_t>(e++)];
    if (mass > best) { best = mass; keep0 = y; keep1 = e - 1; }
    y = e;
  }
  for (int y = 0; y < all.h; ++y)
    if (y < keep0 - 1 || y > keep1 + 1)
      for (int x = 0; x < all.w; ++x) all.ink[static_cast<std::size_t>(y) * all.w + x] = 0;
  return all;
}

Shape CellShape(const InkBox& all, double c0, double c1, int window) {
  InkBox cell;
  const int a = std::max(0, static_cast<int>(c0)), b = std::min(all.w, static_cast<int>(std::ceil(c1)));
  cell.w = b - a;
  cell.h = all.h;
  if (cell.w < 2) return {};
  cell.ink.resize(static_cast<std::size_t>(cell.w) * cell.h);
  for (int y = 0; y < cell.h; ++y)
    for (int x = 0; x < cell.w; ++x) cell.ink[static_cast<std::size_t>(y) * cell.w + x] = all.at(a + x, y);
  return ShapeOf(cell, window);
}

}  // namespace

struct InkBoxHolder {
  InkBox box;
};

RingComparer::RingComparer(const Image& strip, std::u32string cohort, GlyphRenderer& glyphs)
    : cohort_(std::move(cohort)), glyphs_(glyphs) {
  // A night's batch meets a few thousand characters (~4 KB of shapes each);
  // past kMaxCachedGlyphs the cache starts again rather than grow with the
  // archive — only while no other comparer holds pointers into it.
  if (glyphs_.in_use_ == 0 && glyphs_.cache_.size() >= GlyphRenderer::kMaxCachedGlyphs) glyphs_.cache_.clear();
  ++glyphs_.in_use_;
  try {
    Prepare(strip);
  } catch (...) {
    --glyphs_.in_use_;  // the destructor of a half-made comparer does not run
    throw;
  }
}

void RingComparer::Prepare(const Image& strip) {
  if (strip.empty() || strip.channels != 1 || !glyphs_.ok()) return;
  ink_ = std::make_unique<InkBoxHolder>();
  ink_->box = StripInk(strip);
  const InkBox& all = ink_->box;
  if (const char* dump = std::getenv("PINGCHA_RING_DUMP")) {  // development: the ink as compared
    if (std::FILE* f = std::fopen((std::string(dump) + "/strip.pgm").c_str(), "wb")) {
      std::fprintf(f, "P5 %d %d 255\n", all.w, all.h);
      for (float v : all.ink) std::fputc(255 - static_cast<int>(255 * v), f);
      std::fclose(f);
    }
  }
  cols_.assign(static_cast<std::size_t>(all.w), 0);
  for (int y = 0; y < all.h; ++y)
    for (int x = 0; x < all.w; ++x) cols_[static_cast<std::size_t>(x)] += all.at(x, y);
  // The text's extent: first and last column with a little ink, smoothed
  // over a quarter of a character so specks and dots do not count.
  std::vector<float> smooth(cols_.size(), 0);
  const int half = std::max(1, all.h / 8);
  for (int x = 0; x < all.w; ++x) {
    float sum = 0;
    int n = 0;
    for (int d = -half; d <= half; ++d)
      if (x + d >= 0 && x + d < all.w) { sum += cols_[static_cast<std::size_t>(x + d)]; ++n; }
    smooth[static_cast<std::size_t>(x)] = sum / n;
  }
  x0_ = 0;
  x1_ = all.w - 1;
  const float floor = 0.1f * all.h;
  while (x0_ < x1_ && smooth[static_cast<std::size_t>(x0_)] < floor) ++x0_;
  while (x1_ > x0_ && smooth[static_cast<std::size_t>(x1_)] < floor) --x1_;
  for (char32_t c : cohort_) others_.push_back(&glyphs_.Shapes(c));
}

RingComparer::~RingComparer() { --glyphs_.in_use_; }

const RingComparer::Layout& RingComparer::LayoutFor(int n) {
  auto it = layouts_.find(n);
  if (it != layouts_.end()) return it->second;
  Layout& out = layouts_[n];
  if (!ink_ || x1_ - x0_ < n * 3 || n < 2) return out;
  const InkBox& all = ink_->box;
  const auto& cols = cols_;
  const int x0 = x0_, x1 = x1_;
  // Where the characters stand: evenly spaced cells (seal makers space ring
  // text evenly) whose gaps fall where the strip has least ink; the text's
  // extent gives the pitch for each fill (characters fill 70–95 % of their
  // pitch). Chosen from the ink alone, never from a name: a placement
  // fitted to the name would make any ring look like it.
  double best_cost = 1e18, pitch = 0, origin = x0, fill = 0.8;
  double mean_col = 0;
  for (int x = x0; x <= x1; ++x) mean_col += cols[static_cast<std::size_t>(x)];
  mean_col = std::max(1e-6, mean_col / (x1 - x0 + 1));
  // The extent may hold more than the name: the seal's purpose text or star
  // where the ring's gap should be (the strip then starts or ends in it), so
  // the text may cover as little as 80 % of it, anywhere inside.
  for (double f = 0.70; f <= 0.951; f += 0.05) {
    for (double stretch = 0.80; stretch <= 1.041; stretch += 0.02) {
      const double p = (x1 - x0 + 1) / (n - 1 + f) * stretch;
      const double slack = (x1 - x0 + 1) - (n - 1 + f) * p;
      for (double o = x0 - 0.1 * p; o <= x0 + std::max(0.0, slack) + 0.1 * p; o += std::max(1.0, 0.05 * p)) {
        double cost = 0;
        for (int k = 1; k < n; ++k) {
          const int g = static_cast<int>(std::lround(o + k * p - (1 - f) * p / 2));
          float lowest = 1e9f;
          for (int d = -1; d <= 1; ++d)
            if (g + d >= 0 && g + d < all.w) lowest = std::min(lowest, cols[static_cast<std::size_t>(g + d)]);
          cost += lowest / mean_col;
        }
        // Ink left outside the cells counts against the placement.
        double outside = 0;
        const double end = o + (n - 1 + f) * p;
        for (int x = x0; x <= x1; ++x)
          if (x < o - 1 || x > end + 1) outside += cols[static_cast<std::size_t>(x)];
        cost = cost / (n - 1) + outside / (mean_col * p);
        if (cost < best_cost) { best_cost = cost; pitch = p; origin = o; fill = f; }
      }
    }
  }
  out.ok = true;
  for (int k = 0; k < n; ++k) {
    // Each character may sit a little off its cell: every glyph, the name's
    // and the cohort's alike, gets the best of three placements.
    std::vector<Shape> shapes;
    for (double jitter : {-0.12, 0.0, 0.12}) {
      Shape sh = CellShape(all, origin + (k + jitter) * pitch - 0.15 * pitch, origin + (k + jitter + fill) * pitch + 0.15 * pitch,
                           static_cast<int>(std::lround(fill * pitch)));
      if (!sh.empty()) shapes.push_back(std::move(sh));
    }
    std::vector<float> like(cohort_.size(), -1);
    if (!shapes.empty())
      for (std::size_t i = 0; i < cohort_.size(); ++i) like[i] = Best(shapes, *others_[i]);
    out.cells.push_back(std::move(shapes));
    out.cohort_like.push_back(std::move(like));
  }
  return out;
}

float RingComparer::Best(const std::vector<Shape>& shapes, const std::vector<Shape>& glyph) {
  float b = -1;
  // The usual case, a cell's three placements of one size: the three dots
  // with each glyph at once (the maximum is the same taken in any order).
  if (shapes.size() == 3 && shapes[1].size() == shapes[0].size() && shapes[2].size() == shapes[0].size()) {
    for (const auto& g : glyph) {
      if (g.empty()) continue;
      float d[3];
      Dot3(shapes[0].data(), shapes[1].data(), shapes[2].data(), g.data(), std::min(shapes[0].size(), g.size()), d);
      b = std::max({b, d[0], d[1], d[2]});
    }
    return b;
  }
  for (const auto& sh : shapes) b = std::max(b, Likeness(sh, glyph));
  return b;
}

RingMatch RingComparer::Match(const std::u32string& name, int prefix) {
  RingMatch best;
  const int n = prefix + static_cast<int>(name.size());
  if (name.empty()) return best;
  const Layout& layout = LayoutFor(n);
  if (!layout.ok) return best;
  int compared = 0;
  double rank_sum = 0;
  for (int k = prefix; k < n; ++k) {
    const char32_t want = name[static_cast<std::size_t>(k - prefix)];
    const auto& own = glyphs_.Shapes(want);
    const auto& shapes = layout.cells[static_cast<std::size_t>(k)];
    ++compared;  // a character no font has cannot be verified: it counts as rank 1 everywhere
    if (own.empty()) { rank_sum += 1; best.ranks.push_back(1); continue; }
    if (shapes.empty()) { rank_sum += 1; best.ranks.push_back(1); continue; }
    const float mine = Best(shapes, own);
    if (const char* dump = std::getenv("PINGCHA_RING_DUMP")) {  // development: cells beside glyphs
      if (std::FILE* f = std::fopen((std::string(dump) + "/cell" + std::to_string(k) + ".pgm").c_str(), "wb")) {
        const int S = kShapeSide;
        std::fprintf(f, "P5 %d %d 255\n", S * (1 + static_cast<int>(own.size())), S);
        for (int y = 0; y < S; ++y)
          for (std::size_t g = 0; g <= own.size(); ++g)
            for (int x = 0; x < S; ++x) {
              const Shape& sh = g == 0 ? shapes[shapes.size() / 2] : own[g - 1];
              std::fputc(sh.empty() ? 128 : std::clamp(static_cast<int>(128 - 2000 * sh[static_cast<std::size_t>(y * S + x)]), 0, 255), f);
            }
        std::fclose(f);
      }
    }
    const auto& like = layout.cohort_like[static_cast<std::size_t>(k)];
    int above = 0, total = 0;
    for (std::size_t i = 0; i < cohort_.size(); ++i) {
      if (cohort_[i] == want || others_[i]->empty()) continue;
      ++total;
      above += like[i] >= mine;
    }
    const double rank = total ? static_cast<double>(above) / total : 1;
    rank_sum += rank;
    best.ranks.push_back(rank);
  }
  if (compared == 0) return best;
  best.mean_rank = rank_sum / compared;
  return best;
}

}  // namespace pingcha::seals
