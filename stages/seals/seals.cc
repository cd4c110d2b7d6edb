#include "stages/seals/seals.h"

#include "stages/seals/levels.h"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <cstdlib>
#include <cmath>
#include <memory>
#include <optional>

namespace pingcha::seals {
namespace {

// Seal ink: clearly redder than green and blue. Holds for dark red, pinkish
// and faded ink; paper tint (yellowish: R≈G) and black or blue ink fail it.
struct Grid {
  int w = 0, h = 0, step = 1;
  std::vector<std::uint8_t> cells;  // 1 = red
  std::uint8_t at(int x, int y) const { return cells[static_cast<std::size_t>(y) * w + x]; }
};

// Which of `n` RGB pixels are seal ink, a byte each (the loop vectorises).
__attribute__((target_clones("avx2", "default"))) void SealInkFlags(const std::uint8_t* rgb, std::uint8_t* flags, int n) {
  for (int i = 0; i < n; ++i) flags[i] = IsSealInk(rgb + 3 * i);
}

// Which of `n` RGB pixels have red at least `r0` and green and blue below
// `g1` and `b1` (the loop vectorises).
__attribute__((target_clones("avx2", "default"))) void Candidates(const std::uint8_t* rgb, std::uint8_t* flags, int n,
                                                                  int r0, int g1, int b1) {
  for (int i = 0; i < n; ++i) flags[i] = (rgb[3 * i] >= r0) & (rgb[3 * i + 1] < g1) & (rgb[3 * i + 2] < b1);
}

// Seal ink of a row of pixels as `maps` tone them, a byte each. Toned ink
// needs toned red over 110 and toned green and blue well under the
// brightest toned red, so the untoned pixel needs red at least the first
// value toned over 110 and green and blue under the first values toned
// within reach of that red: pixels without them are not looked up.
class TonedInk {
 public:
  explicit TonedInk(const ChannelMaps& maps) : maps_(maps) {
    const int brightest = *std::max_element(maps[0].begin(), maps[0].end());
    while (r0_ < 256 && maps[0][static_cast<std::size_t>(r0_)] <= 110) ++r0_;
    // One past the last value toned under the brightest red less the margin.
    for (int v = 0; v < 256; ++v) {
      if (maps[1][static_cast<std::size_t>(v)] < brightest - 45) g1_ = v + 1;
      if (maps[2][static_cast<std::size_t>(v)] < brightest - 30) b1_ = v + 1;
    }
  }
  void Flags(const std::uint8_t* rgb, std::uint8_t* flags, int n) const {
    Candidates(rgb, flags, n, r0_, g1_, b1_);
    for (int i = 0; i < n; ++i) {
      if (!flags[i]) continue;
      const std::uint8_t* p = rgb + 3 * i;
      const std::uint8_t toned[3] = {maps_[0][p[0]], maps_[1][p[1]], maps_[2][p[2]]};
      flags[i] = IsSealInk(toned);
    }
  }

 private:
  const ChannelMaps& maps_;
  int r0_ = 0, g1_ = 0, b1_ = 0;
};

// Red mask sampled at ~75 dpi: enough for 20–60 mm seals, cheap on 300 dpi
// pages. With `maps`, of the page as they would tone it.
Grid RedGrid(const Image& rgb, const ChannelMaps* maps) {
  Grid g;
  g.step = std::max(1, rgb.dpi > 0 ? rgb.dpi / 75 : rgb.width / 620);
  g.w = rgb.width / g.step;
  g.h = rgb.height / g.step;
  g.cells.assign(static_cast<std::size_t>(g.w) * g.h, 0);
  // Any red pixel in the cell marks it (thin ring lines survive sampling);
  // pixels sampled every half cell, row by row.
  const int sample = std::max(1, g.step / 2);
  if (sample == 1) {
    std::optional<TonedInk> toned;
    if (maps) toned.emplace(*maps);
    // Every pixel sampled (200 dpi and less): each row's pixels judged at
    // once, a cell row's rows merged, then gathered into cells.
    const int n = g.w * g.step;
    std::vector<std::uint8_t> flags(static_cast<std::size_t>(n)), merged(static_cast<std::size_t>(n));
    for (int y = 0; y < g.h; ++y) {
      for (int dy = 0; dy < g.step; ++dy) {
        const std::uint8_t* row = rgb.at(0, y * g.step + dy);
        std::uint8_t* into = dy == 0 ? merged.data() : flags.data();
        if (toned) toned->Flags(row, into, n);
        else SealInkFlags(row, into, n);
        if (dy > 0)
          for (int i = 0; i < n; ++i) merged[static_cast<std::size_t>(i)] |= flags[static_cast<std::size_t>(i)];
      }
      std::uint8_t* cells = g.cells.data() + static_cast<std::size_t>(y) * g.w;
      if (g.step == 2) {
        for (int x = 0; x < g.w; ++x) cells[x] = merged[2 * static_cast<std::size_t>(x)] | merged[2 * static_cast<std::size_t>(x) + 1];
      } else {
        for (int x = 0; x < g.w; ++x)
          for (int dx = 0; dx < g.step; ++dx) cells[x] |= merged[static_cast<std::size_t>(x * g.step + dx)];
      }
    }
    return g;
  }
  for (int y = 0; y < g.h; ++y) {
    std::uint8_t* cells = g.cells.data() + static_cast<std::size_t>(y) * g.w;
    for (int dy = 0; dy < g.step; dy += sample) {
      const std::uint8_t* row = rgb.at(0, y * g.step + dy);
      for (int x = 0; x < g.w; ++x) {
        std::uint8_t red = 0;
        for (int dx = 0; dx < g.step; dx += sample) {
          const std::uint8_t* p = row + 3 * (x * g.step + dx);
          if (maps) {
            const std::uint8_t tone[3] = {(*maps)[0][p[0]], (*maps)[1][p[1]], (*maps)[2][p[2]]};
            red |= IsSealInk(tone);
          } else {
            red |= IsSealInk(p);
          }
        }
        cells[x] |= red;
      }
    }
  }
  return g;
}

// Every cell within `r` of a marked one (a square), by rows then columns.
Grid Dilate(const Grid& g, int r) {
  Grid rows = g, out = g;
  for (int y = 0; y < g.h; ++y) {
    int last = -1 - r;  // the last marked cell seen, or beyond reach
    for (int x = 0; x < g.w + r; ++x) {
      if (x < g.w && g.at(x, y)) last = x;
      const int tx = x - r;  // cells up to r left of a mark, and r right
      if (tx >= 0 && x - last <= 2 * r) rows.cells[static_cast<std::size_t>(y) * g.w + tx] = 1;
    }
  }
  // Down the columns, a row at a time: the last marked row seen in each.
  std::vector<int> last(static_cast<std::size_t>(g.w), -1 - r);
  for (int y = 0; y < g.h + r; ++y) {
    if (y < g.h) {
      const std::uint8_t* row = rows.cells.data() + static_cast<std::size_t>(y) * g.w;
      for (int x = 0; x < g.w; ++x)
        if (row[x]) last[static_cast<std::size_t>(x)] = y;
    }
    const int ty = y - r;
    if (ty < 0) continue;
    std::uint8_t* row = out.cells.data() + static_cast<std::size_t>(ty) * g.w;
    for (int x = 0; x < g.w; ++x)
      if (y - last[static_cast<std::size_t>(x)] <= 2 * r) row[x] = 1;
  }
  return out;
}

struct Component {
  int x0, y0, x1, y1;  // inclusive grid cells
  int count = 0;
};

std::vector<Component> Components(const Grid& g) {
  std::vector<int> label(g.cells.size(), 0);
  std::vector<Component> out;
  std::vector<int> stack;
  for (int y = 0; y < g.h; ++y)
    for (int x = 0; x < g.w; ++x) {
      std::size_t i = static_cast<std::size_t>(y) * g.w + x;
      if (!g.cells[i] || label[i]) continue;
      Component c{x, y, x, y, 0};
      label[i] = static_cast<int>(out.size()) + 1;
      stack.push_back(static_cast<int>(i));
      while (!stack.empty()) {
        int k = stack.back();
        stack.pop_back();
        int cx = k % g.w, cy = k / g.w;
        ++c.count;
        c.x0 = std::min(c.x0, cx); c.x1 = std::max(c.x1, cx);
        c.y0 = std::min(c.y0, cy); c.y1 = std::max(c.y1, cy);
        const int nb[4][2] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
        for (auto& d : nb) {
          int nx = cx + d[0], ny = cy + d[1];
          if (nx < 0 || ny < 0 || nx >= g.w || ny >= g.h) continue;
          std::size_t j = static_cast<std::size_t>(ny) * g.w + nx;
          if (g.cells[j] && !label[j]) {
            label[j] = label[i];
            stack.push_back(static_cast<int>(j));
          }
        }
      }
      out.push_back(c);
    }
  return out;
}

// Share of angular sectors that have red ink near the ellipse border: a seal's
// outer ring is continuous; handwriting and letterheads are not.
double RingCoverage(const Grid& g, const Component& c) {
  const double cx = (c.x0 + c.x1) / 2.0, cy = (c.y0 + c.y1) / 2.0;
  const double rx = (c.x1 - c.x0 + 1) / 2.0, ry = (c.y1 - c.y0 + 1) / 2.0;
  const int sectors = 36;
  int hit = 0;
  for (int s = 0; s < sectors; ++s) {
    double a = 2 * M_PI * (s + 0.5) / sectors;
    bool found = false;
    for (double f = 0.80; f <= 1.02 && !found; f += 0.03) {
      int x = static_cast<int>(std::lround(cx + f * rx * std::cos(a)));
      int y = static_cast<int>(std::lround(cy + f * ry * std::sin(a)));
      if (x >= 0 && y >= 0 && x < g.w && y < g.h && g.at(x, y)) found = true;
    }
    hit += found;
  }
  return static_cast<double>(hit) / sectors;
}

// Share of the border of the bounding rectangle that is red (rectangular seals).
double RectCoverage(const Grid& g, const Component& c) {
  int total = 0, hit = 0;
  auto probe = [&](int x, int y, int dx, int dy) {
    ++total;
    for (int k = 0; k < 3; ++k) {
      int px = x + dx * k, py = y + dy * k;
      if (px >= 0 && py >= 0 && px < g.w && py < g.h && g.at(px, py)) { ++hit; return; }
    }
  };
  for (int x = c.x0; x <= c.x1; ++x) { probe(x, c.y0, 0, 1); probe(x, c.y1, 0, -1); }
  for (int y = c.y0; y <= c.y1; ++y) { probe(c.x0, y, 1, 0); probe(c.x1, y, -1, 0); }
  return total ? static_cast<double>(hit) / total : 0;
}

// A rectangular stamp pressed askew (a bank's 转讫 turned by 20°): its box
// on the page is not its border. The stamp's own axes from the red cells'
// second moments; the share of its border, in those axes, that is red; and
// its sides (cells, long then short).
struct TurnedRect {
  double coverage = 0, long_side = 0, short_side = 0;
};
TurnedRect TurnedRectCoverage(const Grid& g, const Component& c) {
  TurnedRect out;
  double n = 0, mx = 0, my = 0;
  for (int y = c.y0; y <= c.y1; ++y)
    for (int x = c.x0; x <= c.x1; ++x)
      if (g.at(x, y)) n += 1, mx += x, my += y;
  if (n < 20) return out;
  mx /= n, my /= n;
  double sxx = 0, syy = 0, sxy = 0;
  for (int y = c.y0; y <= c.y1; ++y)
    for (int x = c.x0; x <= c.x1; ++x)
      if (g.at(x, y)) sxx += (x - mx) * (x - mx), syy += (y - my) * (y - my), sxy += (x - mx) * (y - my);
  const double th = 0.5 * std::atan2(2 * sxy, sxx - syy), cs = std::cos(th), sn = std::sin(th);
  // The extent along the axes, trimmed of stray cells (1 % each side).
  std::vector<double> us, vs;
  for (int y = c.y0; y <= c.y1; ++y)
    for (int x = c.x0; x <= c.x1; ++x)
      if (g.at(x, y)) us.push_back((x - mx) * cs + (y - my) * sn), vs.push_back(-(x - mx) * sn + (y - my) * cs);
  std::sort(us.begin(), us.end());
  std::sort(vs.begin(), vs.end());
  const std::size_t lo = us.size() / 100, hi = us.size() - 1 - us.size() / 100;
  const double u0 = us[lo], u1 = us[hi], v0 = vs[lo], v1 = vs[hi];
  out.long_side = std::max(u1 - u0, v1 - v0) + 1;
  out.short_side = std::min(u1 - u0, v1 - v0) + 1;
  int total = 0, hit = 0;
  // Probe inward from each side, up to 3 cells.
  auto probe = [&](double u, double v, double du, double dv) {
    ++total;
    for (int k = 0; k < 3; ++k) {
      const double pu = u + du * k, pv = v + dv * k;
      const int x = static_cast<int>(std::lround(mx + pu * cs - pv * sn)), y = static_cast<int>(std::lround(my + pu * sn + pv * cs));
      if (x >= 0 && y >= 0 && x < g.w && y < g.h && g.at(x, y)) { ++hit; return; }
    }
  };
  for (double u = u0; u <= u1; u += 1) probe(u, v0, 0, 1), probe(u, v1, 0, -1);
  for (double v = v0; v <= v1; v += 1) probe(u0, v, 1, 0), probe(u1, v, -1, 0);
  out.coverage = total ? static_cast<double>(hit) / total : 0;
  return out;
}

std::vector<Mark> SealsOn(const Grid& grid, int dpi, double bridge_mm) {
  std::vector<Mark> seals;
  const double cells_per_mm = (dpi > 0 ? dpi : 200) / 25.4 / grid.step;
  // A seal is 18 × 14 mm or more with 4 % of its box red (the tests
  // below): a page with fewer red cells than that holds none.
  const auto red_cells = std::count(grid.cells.begin(), grid.cells.end(), std::uint8_t{1});
  if (static_cast<double>(red_cells) < 0.99 * 0.04 * (18 * cells_per_mm) * (14 * cells_per_mm)) return seals;
  // Red ink joined across 1.5 mm; then, for what that leaves unexplained,
  // across `bridge_mm` (4 mm: a worn seal's ring can break into halves).
  // (A component both joins find is kept once: see the overlap pass below.)
  std::vector<Component> comps = Components(Dilate(grid, std::max(1, static_cast<int>(std::lround(1.5 * cells_per_mm)))));
  for (auto c : Components(Dilate(grid, std::max(2, static_cast<int>(std::lround(bridge_mm * cells_per_mm)))))) {
    // The border tests probe 0.80–1.02 of the box's radii: a 4 mm margin of
    // dilation round a 20 mm radius stays inside that; a wider bridge is
    // measured on the box of its ink.
    if (bridge_mm > 4.0) {
      Component ink{c.x1, c.y1, c.x0, c.y0, c.count};
      for (int y = c.y0; y <= c.y1; ++y)
        for (int x = c.x0; x <= c.x1; ++x)
          if (grid.at(x, y)) ink.x0 = std::min(ink.x0, x), ink.x1 = std::max(ink.x1, x), ink.y0 = std::min(ink.y0, y), ink.y1 = std::max(ink.y1, y);
      if (ink.x1 >= ink.x0) c = ink;
    }
    comps.push_back(c);
  }
  for (const auto& comp : comps) {
    double w_mm = (comp.x1 - comp.x0 + 1) / cells_per_mm, h_mm = (comp.y1 - comp.y0 + 1) / cells_per_mm;
    if (w_mm < 18 || h_mm < 14 || w_mm > 75 || h_mm > 75) continue;
    double aspect = w_mm / h_mm;
    if (aspect < 0.55 || aspect > 1.9) continue;
    // Measure on the undilated mask, inside the component's box.
    Component raw = comp;
    int red = 0;
    for (int y = comp.y0; y <= comp.y1; ++y)
      for (int x = comp.x0; x <= comp.x1; ++x) red += grid.at(x, y);
    double fill = static_cast<double>(red) / ((comp.x1 - comp.x0 + 1) * (comp.y1 - comp.y0 + 1));
    if (fill < 0.04 || fill > 0.85) continue;
    double ring = RingCoverage(grid, raw);
    double rect = RectCoverage(grid, raw);
    // A rectangle turned askew: the ellipse inscribed in its box on the page
    // crosses its border often enough to pass for a ring. Its own axes tell
    // (an ellipse touches the box of its axes at four points only).
    const TurnedRect turned = TurnedRectCoverage(grid, raw);
    const bool turned_rect = turned.coverage >= 0.7 && turned.short_side / cells_per_mm >= 12 &&
                             turned.long_side / cells_per_mm <= 75 && turned.long_side <= 3 * turned.short_side;
    Mark m;
    if (turned_rect && turned.coverage > ring) {
      m.shape = "rect";
      m.confidence = std::min(1.0, 0.4 + 0.5 * turned.coverage);
    } else if (ring >= 0.6) {
      m.shape = aspect > 0.87 && aspect < 1.15 ? "round" : "oval";
      m.confidence = std::min(1.0, 0.5 + 0.5 * ring);
    } else if (rect >= 0.7) {
      m.shape = "rect";
      m.confidence = std::min(1.0, 0.4 + 0.5 * rect);
    } else {
      continue;
    }
    const double gw = grid.w, gh = grid.h;
    m.box = {comp.x0 / gw, comp.y0 / gh, (comp.x1 + 1) / gw, (comp.y1 + 1) / gh};
    seals.push_back(std::move(m));
  }
  // Where a broken ring gave a part and the whole, the whole (the largest) stays.
  std::stable_sort(seals.begin(), seals.end(), [](const Mark& a, const Mark& b) {
    return a.box.width() * a.box.height() > b.box.width() * b.box.height();
  });
  std::vector<Mark> kept;
  for (auto& m : seals)
    if (std::none_of(kept.begin(), kept.end(), [&](const Mark& o) { return Overlaps(o.box, m.box); })) kept.push_back(std::move(m));
  seals = std::move(kept);
  std::sort(seals.begin(), seals.end(), [](const Mark& a, const Mark& b) {
    return a.box.y0 != b.box.y0 ? a.box.y0 < b.box.y0 : a.box.x0 < b.box.x0;
  });
  return seals;
}

}  // namespace

std::vector<Mark> FindSeals(const Image& rgb, double bridge_mm) {
  if (rgb.empty() || rgb.channels != 3) return {};
  return SealsOn(RedGrid(rgb, nullptr), rgb.dpi, bridge_mm);
}

std::vector<Mark> FindStrengthenedSeals(const Image& rgb, double gain) {
  if (rgb.empty() || rgb.channels != 3) return {};
  const ChannelMaps maps = StrengthMaps(rgb, gain);
  return SealsOn(RedGrid(rgb, &maps), rgb.dpi, 4.0);
}

namespace {

// Seal-ink strength of a pixel: how much redder than green/blue it is.
inline double Redness(const std::uint8_t* p) { return static_cast<double>(p[0]) - std::max(p[1], p[2]); }

inline double Green(const std::uint8_t* p) { return p[1]; }

// `value` of the pixels around a sub-pixel position, bilinearly weighted
// (`outside` beyond the image).
template <double (*value)(const std::uint8_t*)>
double Bilinear(const Image& rgb, double x, double y, double outside) {
  if (x < 0 || y < 0 || x > rgb.width - 1.001 || y > rgb.height - 1.001) return outside;
  int x0 = static_cast<int>(x), y0 = static_cast<int>(y);
  double fx = x - x0, fy = y - y0;
  double a = value(rgb.at(x0, y0)), b = value(rgb.at(x0 + 1, y0));
  double c = value(rgb.at(x0, y0 + 1)), d = value(rgb.at(x0 + 1, y0 + 1));
  return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
}
double RednessAt(const Image& rgb, double x, double y) { return Bilinear<Redness>(rgb, x, y, 0); }
double GreenAt(const Image& rgb, double x, double y) { return Bilinear<Green>(rgb, x, y, 255); }

// Solves the n×n system m·x = v (Gaussian elimination, partial pivoting).
bool Solve(std::vector<std::vector<double>> m, std::vector<double> v, std::vector<double>& x) {
  const std::size_t n = v.size();
  for (std::size_t c = 0; c < n; ++c) {
    std::size_t piv = c;
    for (std::size_t r = c + 1; r < n; ++r)
      if (std::abs(m[r][c]) > std::abs(m[piv][c])) piv = r;
    if (std::abs(m[piv][c]) < 1e-12) return false;
    std::swap(m[piv], m[c]);
    std::swap(v[piv], v[c]);
    for (std::size_t r = c + 1; r < n; ++r) {
      double f = m[r][c] / m[c][c];
      for (std::size_t k = c; k < n; ++k) m[r][k] -= f * m[c][k];
      v[r] -= f * v[c];
    }
  }
  x.assign(n, 0);
  for (std::size_t i = n; i-- > 0;) {
    double s = v[i];
    for (std::size_t k = i + 1; k < n; ++k) s -= m[i][k] * x[k];
    x[i] = s / m[i][i];
  }
  return true;
}

}  // namespace

RingFit FitRing(const Image& rgb, const BBox& seal) {
  RingFit fit;
  fit.cx = (seal.x0 + seal.x1) / 2 * rgb.width;
  fit.cy = (seal.y0 + seal.y1) / 2 * rgb.height;
  fit.rx = seal.width() / 2 * rgb.width;
  fit.ry = seal.height() / 2 * rgb.height;
  if (rgb.empty() || rgb.channels != 3 || fit.rx < 4 || fit.ry < 4) return fit;
  // 1. Rough box from the red pixels themselves (the detector's box is coarse
  //    and dilated): 0.5 % / 99.5 % quantiles of red x and y.
  const int px0 = std::max(0, static_cast<int>(fit.cx - 1.2 * fit.rx)), px1 = std::min(rgb.width - 1, static_cast<int>(fit.cx + 1.2 * fit.rx));
  const int py0 = std::max(0, static_cast<int>(fit.cy - 1.2 * fit.ry)), py1 = std::min(rgb.height - 1, static_cast<int>(fit.cy + 1.2 * fit.ry));
  std::vector<int> xs, ys;
  for (int y = py0; y <= py1; ++y)
    for (int x = px0; x <= px1; ++x)
      if (IsSealInk(rgb.at(x, y))) { xs.push_back(x); ys.push_back(y); }
  if (xs.size() < 50) return fit;
  auto quant = [](std::vector<int> v, double q) {
    std::size_t k = std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return static_cast<double>(v[k]);
  };
  double qx0 = quant(xs, 0.005), qx1 = quant(xs, 0.995), qy0 = quant(ys, 0.005), qy1 = quant(ys, 0.995);
  double cx = (qx0 + qx1) / 2, cy = (qy0 + qy1) / 2, rx = (qx1 - qx0) / 2 + 1, ry = (qy1 - qy0) / 2 + 1;
  if (rx < 4 || ry < 4) return fit;
  // 2. The outermost red pixel along each ray: points of the outer border.
  std::vector<std::pair<double, double>> pts;
  const int rays = 240;
  for (int k = 0; k < rays; ++k) {
    double a = 2 * M_PI * k / rays, s = std::sin(a), c = std::cos(a);
    for (double f = 1.12; f >= 0.7; f -= 0.005) {
      int x = static_cast<int>(std::lround(cx + f * rx * s)), y = static_cast<int>(std::lround(cy - f * ry * c));
      if (x < 0 || y < 0 || x >= rgb.width || y >= rgb.height) continue;
      if (IsSealInk(rgb.at(x, y))) { pts.push_back({x + 0.5, y + 0.5}); break; }
    }
  }
  // 3. Least-squares ellipse x² + B·xy + C·y² + D·x + E·y + F = 0 (turned
  //    by any angle: stamps are pressed askew), with two rounds of outlier
  //    rejection (gaps in worn ink, text touching the rim).
  std::vector<bool> keep(pts.size(), true);
  bool fitted = false;
  for (int round = 0; round < 3; ++round) {
    std::vector<std::vector<double>> m(5, std::vector<double>(5, 0));
    std::vector<double> v(5, 0), sol;
    int used = 0;
    for (std::size_t i = 0; i < pts.size(); ++i) {
      if (!keep[i]) continue;
      double x = pts[i].first - cx, y = pts[i].second - cy;  // centred for conditioning
      double row[5] = {x * y, y * y, x, y, 1};
      for (int r = 0; r < 5; ++r) {
        for (int q = 0; q < 5; ++q) m[r][q] += row[r] * row[q];
        v[r] += row[r] * -(x * x);
      }
      ++used;
    }
    if (used < 20 || !Solve(m, v, sol)) break;
    const double B = sol[0], C = sol[1], D = sol[2], E = sol[3], F = sol[4];
    const double det = 4 * C - B * B;
    if (!(det > 0)) break;  // not an ellipse (NaN included)
    const double x0 = (-2 * C * D + B * E) / det, y0 = (-2 * E + B * D) / det;
    const double f0 = x0 * x0 + B * x0 * y0 + C * y0 * y0 + D * x0 + E * y0 + F;
    double phi = 0.5 * std::atan2(B, 1 - C);
    const double co = std::cos(phi), si = std::sin(phi);
    const double a2 = co * co + B * co * si + C * si * si, c2 = si * si - B * co * si + C * co * co;
    if (!(f0 < 0 && a2 > 0 && c2 > 0)) break;
    double nrx = std::sqrt(-f0 / a2), nry = std::sqrt(-f0 / c2);
    // rx is the semi-axis nearest the horizontal.
    if (phi > M_PI / 4) { phi -= M_PI / 2; std::swap(nrx, nry); }
    else if (phi < -M_PI / 4) { phi += M_PI / 2; std::swap(nrx, nry); }
    const double lo = 0.6 * std::min(rx, ry), hi = 1.3 * std::max(rx, ry);
    if (!(nrx >= lo && nry >= lo && nrx <= hi && nry <= hi && std::isfinite(x0) && std::isfinite(y0))) break;
    fit.cx = cx + x0; fit.cy = cy + y0; fit.rx = nrx; fit.ry = nry; fit.angle = phi;
    fitted = true;
    // Reject points off the fitted border by more than 4 % of the radius.
    const double c = std::cos(phi), s = std::sin(phi);
    for (std::size_t i = 0; i < pts.size(); ++i) {
      const double px = pts[i].first - fit.cx, py = pts[i].second - fit.cy;
      const double dx = (px * c + py * s) / fit.rx, dy = (-px * s + py * c) / fit.ry;
      keep[i] = std::abs(std::sqrt(dx * dx + dy * dy) - 1) < (round == 0 ? 0.08 : 0.04);
    }
  }
  if (!fitted) { fit.cx = cx; fit.cy = cy; fit.rx = rx; fit.ry = ry; }
  // 4. Radial profile: where the outer border's ink ends on the inside.
  const int angles = 180;
  std::vector<double> prof;
  for (int i = 0; i <= 60; ++i) {
    double f = 1.06 - 0.01 * i;
    int red = 0;
    for (int k = 0; k < angles; ++k) {
      double a = 2 * M_PI * k / angles;
      double fx, fy;
      fit.At(f, a, fx, fy);
      const int x = static_cast<int>(std::lround(fx)), y = static_cast<int>(std::lround(fy));
      if (x >= 0 && y >= 0 && x < rgb.width && y < rgb.height && IsSealInk(rgb.at(x, y))) ++red;
    }
    prof.push_back(static_cast<double>(red) / angles);
  }
  std::size_t peak = 0;
  for (std::size_t i = 0; i < 16 && i < prof.size(); ++i)
    if (prof[i] > prof[peak]) peak = i;
  std::size_t inner = peak;
  while (inner + 1 < prof.size() && inner < peak + 12 && prof[inner + 1] > 0.45 * prof[peak]) ++inner;
  fit.border_inner = 1.06 - 0.01 * static_cast<double>(inner + 1);
  fit.ok = fitted;
  return fit;
}

namespace {

// The ring-text band of a seal: its fitted geometry, the ink scale, and the
// ink profile along the arc of the band's middle line.
struct Band {
  RingFit fit;
  double outer = 0, inner = 0, lo = 0, hi = 0, mid_f = 0, rmean = 0, band_px = 0;
  double g_paper = 255, g_ink = 0;  // green of paper and of full red ink in the band
  bool sharp = false;
  std::vector<double> cum, theta, prof;  // arc length, angle, ink per step
  std::size_t first = 0, last = 0;       // first and last inked step
  // Ink (0 = paper, 1 = full ink) at a point of the page.
  double InkAt(const Image& rgb, double x, double y) const {
    if (!sharp) return std::clamp((RednessAt(rgb, x, y) - lo) / std::max(1.0, hi - lo), 0.0, 1.0);
    // Redness comes from the scan's colour, which JPEG keeps at half
    // resolution and blurs: strokes run together. The green channel (red ink
    // absorbs green) keeps the strokes' detail; redness says where red is.
    const double gate = std::clamp((RednessAt(rgb, x, y) - lo) / std::max(1.0, 0.5 * (hi - lo)), 0.0, 1.0);
    const double dark = std::clamp((g_paper - GreenAt(rgb, x, y)) / std::max(10.0, g_paper - g_ink), 0.0, 1.0);
    return gate * dark;
  }
  std::size_t AtArc(double sarc) const {
    auto it = std::lower_bound(cum.begin(), cum.end(), sarc);
    return static_cast<std::size_t>(std::min<std::ptrdiff_t>(it - cum.begin(), static_cast<std::ptrdiff_t>(cum.size()) - 1));
  }
};

Band MeasureBand(const Image& rgb, const RingFit& fit, double band) {
  const double rx = fit.rx, ry = fit.ry;
  // Ring text sits just inside the outer border, characters about a third of
  // the radius tall, tops outwards.
  const double outer = std::clamp(fit.border_inner - 0.015, 0.72, 0.97);
  const double inner = std::max(0.3, outer - band);
  // Ink strength scale: a high quantile of the redness inside the seal.
  std::vector<double> reds, greens;
  std::vector<std::pair<double, double>> samples;  // redness and green of each
  for (int k = 0; k < 2000; ++k) {
    double a = 2 * M_PI * k / 2000, f = inner + (outer - inner) * ((k * 7919) % 101) / 100.0;
    double x, y;
    fit.At(f, a, x, y);
    const double r = RednessAt(rgb, x, y);
    if (r > 30) reds.push_back(r);
    greens.push_back(GreenAt(rgb, x, y));
    samples.push_back({r, greens.back()});
  }
  double hi = 120;
  if (reds.size() > 20) {
    std::size_t k = reds.size() * 3 / 4;
    std::nth_element(reds.begin(), reds.begin() + static_cast<std::ptrdiff_t>(k), reds.end());
    hi = std::max(60.0, reds[k]);
  }
  // A pale seal (a dry pad, thin ink: its strongest ink in the band, the
  // 97th percentile, below 45) is scaled by that ink, not by a normal
  // seal's floor — else its text shows nowhere, no gap is found, the strip
  // loses its first and last characters and what it keeps is too faint to
  // compare.
  {
    std::vector<double> all;
    all.reserve(samples.size());
    for (const auto& sample : samples) all.push_back(sample.first);
    const std::size_t k = all.size() * 97 / 100;
    std::nth_element(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k), all.end());
    if (all[k] < 45) hi = std::max(30.0, all[k]);
  }
  const double lo = std::min(35.0, hi * 0.3);
  // Angular ink profile across the text band: the largest empty run is the
  // seal's bottom (or where the ring text starts and ends on a turned seal).
  const int bins = 360;
  std::vector<double> ang(bins, 0);
  for (int b = 0; b < bins; ++b) {
    double a = 2 * M_PI * (b + 0.5) / bins;
    int ink = 0, n = 0;
    for (double f = inner; f <= outer; f += 0.02, ++n) {
      double x, y;
      fit.At(f, a, x, y);
      ink += RednessAt(rgb, x, y) > (lo + hi) / 2;
    }
    ang[static_cast<std::size_t>(b)] = n ? static_cast<double>(ink) / n : 0;
  }
  std::vector<double> sm(bins, 0);
  for (int b = 0; b < bins; ++b)
    for (int d = -3; d <= 3; ++d) sm[static_cast<std::size_t>(b)] += ang[static_cast<std::size_t>((b + d + bins) % bins)] / 7;
  double start_deg = -165, span_deg = 330;
  // The gap: runs of the profile at or below a level, the longest of them
  // 25°–200° long with its middle in the lower half. The level rises from
  // nearly nothing until such a gap shows (a faint seal on tinted paper
  // leaves a little ink everywhere); above it, the gap must be clearly the
  // longest run (half as long again as any other: not the space between two
  // characters).
  for (double level : {0.02, 0.04, 0.06, 0.08, 0.10, 0.12}) {
    int best_len = 0, best_start = 0, second_len = 0;
    for (int b = 0; b < bins; ++b) {
      if (sm[static_cast<std::size_t>(b)] > level || sm[static_cast<std::size_t>((b - 1 + bins) % bins)] <= level) continue;
      int len = 0;
      while (len < bins && sm[static_cast<std::size_t>((b + len) % bins)] <= level) ++len;
      if (len > best_len) {
        second_len = best_len;
        best_len = len;
        best_start = b;
      } else {
        second_len = std::max(second_len, len);
      }
    }
    // Text runs from the gap's end clockwise round to its start.
    const double mid_norm = std::fmod(best_start + best_len / 2.0 + 360, 360);
    if (best_len >= 25 && best_len <= 200 && mid_norm > 90 && mid_norm < 270 &&
        (level <= 0.02 || 2 * best_len >= 3 * second_len)) {
      start_deg = best_start + best_len - 8;  // a little margin
      span_deg = 360 - best_len + 16;
      break;
    }
  }
  const double mid_f = (outer + inner) / 2;
  const double rmean = (rx + ry) / 2;
  const double band_px = (outer - inner) * rmean;
  // Arc length along the middle line over the span.
  const double t0 = start_deg * M_PI / 180, t1 = (start_deg + span_deg) * M_PI / 180;
  const int steps = 1440;
  std::vector<double> cum(steps + 1, 0), theta(steps + 1, 0), prof(steps + 1, 0);
  for (int i = 0; i <= steps; ++i) {
    double t = t0 + (t1 - t0) * i / steps;
    theta[static_cast<std::size_t>(i)] = t;
    if (i > 0) {
      double tp = theta[static_cast<std::size_t>(i - 1)];
      cum[static_cast<std::size_t>(i)] = cum[static_cast<std::size_t>(i - 1)] +
          std::hypot(mid_f * rx * (std::sin(t) - std::sin(tp)), mid_f * ry * (std::cos(t) - std::cos(tp)));
    }
    int ink = 0, n = 0;
    for (double f = inner; f <= outer; f += 0.015, ++n) {
      double x, y;
      fit.At(f, t, x, y);
      ink += RednessAt(rgb, x, y) > (lo + hi) / 2;
    }
    prof[static_cast<std::size_t>(i)] = n ? static_cast<double>(ink) / n : 0;
  }
  // Where the ring text starts and ends (first and last inked column).
  std::size_t first = 0, last = static_cast<std::size_t>(steps);
  while (first < last && prof[first] < 0.04) ++first;
  while (last > first && prof[last] < 0.04) --last;
  Band out;
  out.fit = fit;
  out.outer = outer; out.inner = inner; out.lo = lo; out.hi = hi;
  out.mid_f = mid_f; out.rmean = rmean; out.band_px = band_px;
  out.cum = std::move(cum); out.theta = std::move(theta); out.prof = std::move(prof);
  out.first = first; out.last = last;
  // Measured on seeds 7 and 11: the agency's seal verified on 0.854 and
  // 0.829 of agency seals with redness alone, 0.906 and 0.878 with green.
  out.sharp = true;
  if (!greens.empty()) {
    std::size_t k = greens.size() * 9 / 10;
    std::nth_element(greens.begin(), greens.begin() + static_cast<std::ptrdiff_t>(k), greens.end());
    out.g_paper = greens[k];
    std::vector<double> ink;
    for (const auto& [r, gr] : samples)
      if (r >= hi) ink.push_back(gr);
    if (ink.size() >= 5) {
      std::nth_element(ink.begin(), ink.begin() + static_cast<std::ptrdiff_t>(ink.size() / 2), ink.end());
      out.g_ink = ink[ink.size() / 2];
    } else {
      out.sharp = false;  // too little strong red to measure the ink by: redness alone
    }
  }
  return out;
}

}  // namespace

Image UnwrapRing(const Image& rgb, const RingFit& ring, double band) {
  const Band bd = MeasureBand(rgb, ring, band);
  const RingFit& fit = bd.fit;
  const double outer = bd.outer, inner = bd.inner, lo = bd.lo, hi = bd.hi, mid_f = bd.mid_f, rmean = bd.rmean,
               band_px = bd.band_px;
  const auto& cum = bd.cum;
  const auto& theta = bd.theta;
  const auto& prof = bd.prof;
  const std::size_t first = bd.first, last = bd.last;
  auto at_arc = [&](double sarc) { return bd.AtArc(sarc); };
  const double zoom = std::clamp(56.0 / std::max(1.0, band_px), 1.0, 3.0);  // ~56 px tall characters
  // The point at angle t on the band's middle line, its tangent (clockwise)
  // and outward normal: an oval's characters stand on the normal.
  auto frame = [&](double t, double& px, double& py, double& vx, double& vy) {
    fit.At(mid_f, t, px, py);
    fit.Tangent(t, vx, vy);
  };
  // Seal makers space ring characters evenly: find the character count whose
  // evenly spaced boundaries fall in the gaps between characters. Characters
  // are about as wide as the band is deep (0.45–1.6×).
  const double text_len = cum[last] - cum[first];
  int best_n = 0;
  double best_score = 1e9;
  std::vector<std::pair<int, double>> scores;
  for (int n = std::max(2, static_cast<int>(text_len / (1.6 * band_px)));
       n <= static_cast<int>(text_len / (0.45 * band_px)) + 1 && n <= 60; ++n) {
    double sum = 0;
    for (int k = 1; k < n; ++k) {
      // Lowest ink within ±1.5 % of the pitch around each boundary.
      double at = cum[first] + text_len * k / n, tol = 0.08 * text_len / n;
      double lowest = 1;
      for (std::size_t i = at_arc(at - tol); i <= at_arc(at + tol); ++i) lowest = std::min(lowest, prof[i]);
      sum += lowest;
    }
    double score = n > 1 ? sum / (n - 1) : 1;
    scores.push_back({n, score});
    if (score < best_score) { best_score = score; best_n = n; }
  }
  // Halving the count keeps every boundary in a gap too: take the largest
  // count that is as good as the best.
  for (auto [n, sc] : scores)
    if (n > best_n && sc <= best_score + 0.01) best_n = n;
  const int margin = 12;
  Image out;
  out.channels = 1;
  out.dpi = rgb.dpi;
  const int text_h = std::max(16, static_cast<int>(band_px * zoom));
  out.height = text_h + 2 * margin;
  if (best_n >= 2 && best_score < 0.08 && text_len > band_px) {
    // One upright patch per character, cut in the character's own frame.
    const double pitch = text_len / best_n;
    // Seal characters are condensed: widen each to a square cell, as
    // ordinary print is (the recogniser was trained on that).
    const double stretch = 0.8;
    const int cell_w = std::max(8, static_cast<int>(std::max(pitch * zoom, stretch * text_h)));
    const int gap = std::max(4, cell_w / 6);
    out.width = best_n * (cell_w + gap) + 2 * margin;
    out.pixels.assign(static_cast<std::size_t>(out.width) * out.height, 255);
    for (int k = 0; k < best_n; ++k) {
      double t = theta[at_arc(cum[first] + pitch * (k + 0.5))];
      double px, py, vx, vy;
      frame(t, px, py, vx, vy);
      const double ux = vy, uy = -vx;  // outward normal (tangent turned left)
      for (int i = 0; i < cell_w; ++i) {
        double along = ((i + 0.5) / cell_w - 0.5) * pitch;
        for (int j = 0; j < text_h; ++j) {
          double up = (outer - mid_f) * rmean - (j + 0.5) / zoom;
          double r = RednessAt(rgb, px + along * vx + up * ux, py + along * vy + up * uy);
          double ink = std::clamp((r - lo) / std::max(1.0, hi - lo), 0.0, 1.0);
          out.pixels[static_cast<std::size_t>(j + margin) * out.width + margin + k * (cell_w + gap) + i] =
              static_cast<std::uint8_t>(std::lround(255 * (1 - ink)));
        }
      }
    }
    return out;
  }
  // Fallback: a polar unwrap along arc length.
  const int text_w = std::max(32, static_cast<int>(cum.back() * zoom));
  out.width = text_w + 2 * margin;
  out.pixels.assign(static_cast<std::size_t>(out.width) * out.height, 255);
  std::size_t seg = 0;
  for (int i = 0; i < text_w; ++i) {
    double sarc = (i + 0.5) / zoom;
    while (seg + 1 < cum.size() && cum[seg + 1] < sarc) ++seg;
    double t = theta[seg];
    for (int j = 0; j < text_h; ++j) {
      double f = outer - (outer - inner) * (j + 0.5) / text_h;
      double x, y;
      fit.At(f, t, x, y);
      double r = RednessAt(rgb, x, y);
      double ink = std::clamp((r - lo) / std::max(1.0, hi - lo), 0.0, 1.0);
      out.pixels[static_cast<std::size_t>(j + margin) * out.width + (i + margin)] =
          static_cast<std::uint8_t>(std::lround(255 * (1 - ink)));
    }
  }
  return out;
}

Image RingStrip(const Image& rgb, const RingFit& ring, RingSpacing spacing) {
  const Band bd = MeasureBand(rgb, ring, 0.34);
  Image out;
  out.channels = 1;
  out.dpi = rgb.dpi;
  if (bd.last <= bd.first || bd.band_px < 4) return out;
  const RingFit& fit = bd.fit;
  constexpr int kHeight = 40;
  const double zoom = kHeight / bd.band_px;
  const double pad = 0.2 * bd.band_px;  // a little paper before and after the text
  const double s0 = std::max(0.0, bd.cum[bd.first] - pad), s1 = std::min(bd.cum.back(), bd.cum[bd.last] + pad);
  out.width = std::max(1, static_cast<int>((s1 - s0) * zoom));
  out.height = kHeight;
  out.pixels.assign(static_cast<std::size_t>(out.width) * out.height, 255);
  // By angle: the same width, columns at even steps of the ellipse's angle.
  const double t0 = bd.theta[bd.AtArc(s0)], t1 = bd.theta[bd.AtArc(s1)];
  for (int i = 0; i < out.width; ++i) {
    // Along the outward normal of the band's middle line: an oval's
    // characters stand on the normal, not on the radius.
    const double t = spacing == RingSpacing::kArc ? bd.theta[bd.AtArc(s0 + (i + 0.5) / zoom)]
                                                   : t0 + (t1 - t0) * (i + 0.5) / out.width;
    double px, py, vx, vy;
    fit.At(bd.mid_f, t, px, py);
    fit.Tangent(t, vx, vy);
    for (int j = 0; j < out.height; ++j) {
      const double up = (bd.outer - bd.mid_f) * bd.rmean - (j + 0.5) / zoom;
      const double ink = bd.InkAt(rgb, px + up * vy, py - up * vx);
      out.pixels[static_cast<std::size_t>(j) * out.width + i] = static_cast<std::uint8_t>(std::lround(255 * (1 - ink)));
    }
  }
  return out;
}

Status WriteCrop(const Image& rgb, const BBox& box, double pad, const std::string& path, int max_width) {
  int x0 = std::max(0, static_cast<int>((box.x0 - pad) * rgb.width));
  int y0 = std::max(0, static_cast<int>((box.y0 - pad) * rgb.height));
  int x1 = std::min(rgb.width, static_cast<int>((box.x1 + pad) * rgb.width));
  int y1 = std::min(rgb.height, static_cast<int>((box.y1 + pad) * rgb.height));
  if (x1 <= x0 || y1 <= y0) return Status("io_error", path + ": empty crop");
  // Evidence crops stay small: at most ~300 px wide.
  int step = std::max(1, (x1 - x0) / std::max(1, max_width));
  int w = (x1 - x0) / step, h = (y1 - y0) / step;
  std::unique_ptr<PIX, void (*)(PIX*)> pix(pixCreate(w, h, 32), [](PIX* p) { pixDestroy(&p); });
  if (!pix) return Status("io_error", path + ": out of memory");
  l_uint32* data = pixGetData(pix.get());
  const int wpl = pixGetWpl(pix.get());
  for (int y = 0; y < h; ++y) {
    l_uint32* line = data + static_cast<std::ptrdiff_t>(y) * wpl;
    for (int x = 0; x < w; ++x) {
      const std::uint8_t* p = rgb.at(x0 + x * step, y0 + y * step);
      const l_uint32 r = p[0], g = rgb.channels == 3 ? p[1] : p[0], b = rgb.channels == 3 ? p[2] : p[0];
      line[x] = (r << L_RED_SHIFT) | (g << L_GREEN_SHIFT) | (b << L_BLUE_SHIFT);
    }
  }
  // zlib's fastest level: the same pixels, a file about a fifth larger, the
  // compression a third of the time (it had been 1 % of a batch's time).
  pixSetZlibCompression(pix.get(), 1);
  if (pixWrite(path.c_str(), pix.get(), IFF_PNG) != 0) return Status("io_error", path + ": cannot write PNG");
  return Status::Ok();
}

}  // namespace pingcha::seals
