#include "stages/seals/seals.h"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <cmath>
#include <memory>

namespace pingcha::seals {
namespace {

// Seal ink: clearly redder than green and blue. Holds for dark red, pinkish
// and faded ink; paper tint (yellowish: R≈G) and black or blue ink fail it.
bool IsRed(const std::uint8_t* p) {
  int r = p[0], g = p[1], b = p[2];
  return r > 110 && r - g > 45 && r - b > 30;
}

struct Grid {
  int w = 0, h = 0, step = 1;
  std::vector<std::uint8_t> cells;  // 1 = red
  std::uint8_t at(int x, int y) const { return cells[static_cast<std::size_t>(y) * w + x]; }
};

// Red mask sampled at ~75 dpi: enough for 20–60 mm seals, cheap on 300 dpi pages.
Grid RedGrid(const Image& rgb) {
  Grid g;
  g.step = std::max(1, rgb.dpi > 0 ? rgb.dpi / 75 : rgb.width / 620);
  g.w = rgb.width / g.step;
  g.h = rgb.height / g.step;
  g.cells.assign(static_cast<std::size_t>(g.w) * g.h, 0);
  for (int y = 0; y < g.h; ++y) {
    for (int x = 0; x < g.w; ++x) {
      // Any red pixel in the cell marks it (thin ring lines survive sampling).
      bool red = false;
      for (int dy = 0; dy < g.step && !red; dy += std::max(1, g.step / 2)) {
        for (int dx = 0; dx < g.step && !red; dx += std::max(1, g.step / 2)) {
          red = IsRed(rgb.at(x * g.step + dx, y * g.step + dy));
        }
      }
      g.cells[static_cast<std::size_t>(y) * g.w + x] = red ? 1 : 0;
    }
  }
  return g;
}

Grid Dilate(const Grid& g, int r) {
  Grid out = g;
  for (int y = 0; y < g.h; ++y)
    for (int x = 0; x < g.w; ++x) {
      if (!g.at(x, y)) continue;
      for (int dy = -r; dy <= r; ++dy)
        for (int dx = -r; dx <= r; ++dx) {
          int nx = x + dx, ny = y + dy;
          if (nx >= 0 && ny >= 0 && nx < g.w && ny < g.h) out.cells[static_cast<std::size_t>(ny) * g.w + nx] = 1;
        }
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

}  // namespace

std::vector<Mark> FindSeals(const Image& rgb) {
  std::vector<Mark> seals;
  if (rgb.empty() || rgb.channels != 3) return seals;
  Grid grid = RedGrid(rgb);
  const double cells_per_mm = (rgb.dpi > 0 ? rgb.dpi : 200) / 25.4 / grid.step;
  Grid joined = Dilate(grid, std::max(1, static_cast<int>(std::lround(1.5 * cells_per_mm))));
  for (const auto& comp : Components(joined)) {
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
    Mark m;
    if (ring >= 0.6) {
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
  std::sort(seals.begin(), seals.end(), [](const Mark& a, const Mark& b) {
    return a.box.y0 != b.box.y0 ? a.box.y0 < b.box.y0 : a.box.x0 < b.box.x0;
  });
  return seals;
}

Image UnwrapRing(const Image& rgb, const BBox& seal) {
  const double cx = (seal.x0 + seal.x1) / 2 * rgb.width, cy = (seal.y0 + seal.y1) / 2 * rgb.height;
  const double rx = seal.width() / 2 * rgb.width, ry = seal.height() / 2 * rgb.height;
  const double r = std::max(rx, ry);
  // Ring text sits between ~60% and ~92% of the radius, over ~300° from
  // lower left, across the top, to lower right.
  const double outer = 0.93, inner = 0.56, span = 330.0 * M_PI / 180.0;
  const int zoom = 2;  // Tesseract reads ring characters better a little larger
  Image out;
  out.channels = 1;
  out.dpi = rgb.dpi;
  out.height = std::max(16, static_cast<int>((outer - inner) * r)) * zoom;
  out.width = std::max(32, static_cast<int>(span * r * (outer + inner) / 2)) * zoom;
  out.pixels.assign(static_cast<std::size_t>(out.width) * out.height, 255);
  for (int i = 0; i < out.width; ++i) {
    double theta = -span / 2 + span * (i + 0.5) / out.width;  // 0 = top, clockwise
    for (int j = 0; j < out.height; ++j) {
      double f = outer - (outer - inner) * (j + 0.5) / out.height;
      int x = static_cast<int>(std::lround(cx + f * rx * std::sin(theta)));
      int y = static_cast<int>(std::lround(cy - f * ry * std::cos(theta)));
      if (x < 0 || y < 0 || x >= rgb.width || y >= rgb.height) continue;
      const std::uint8_t* p = rgb.at(x, y);
      int redness = p[0] - std::max<int>(p[1], p[2]);
      int v = 255 - std::clamp((redness - 20) * 3, 0, 255);
      out.pixels[static_cast<std::size_t>(j) * out.width + i] = static_cast<std::uint8_t>(v);
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
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const std::uint8_t* p = rgb.channels == 3 ? rgb.at(x0 + x * step, y0 + y * step) : nullptr;
      std::uint8_t v = rgb.channels == 1 ? *rgb.at(x0 + x * step, y0 + y * step) : 0;
      l_uint32 px;
      if (p) composeRGBPixel(p[0], p[1], p[2], &px);
      else composeRGBPixel(v, v, v, &px);
      pixSetPixel(pix.get(), x, y, px);
    }
  if (pixWrite(path.c_str(), pix.get(), IFF_PNG) != 0) return Status("io_error", path + ": cannot write PNG");
  return Status::Ok();
}

}  // namespace pingcha::seals
