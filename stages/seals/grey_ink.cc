// Seal ink on a grey scan: a red seal scanned in grey keeps its shape as a
// plateau of mid grey — lighter than printed black, darker than paper, and
// wide enough (ring border, strokes of its characters) to have an inside.
// Black text has mid-grey only on its edges, one or two pixels between black
// and paper; paper tint and speckle are lighter.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

#include "stages/seals/seals.h"

namespace pingcha::seals {
namespace {

// The page's paper: the grey most pixels lighter than mid-grey have.
int PaperLevel(const Image& page, int (*grey)(const Image&, int, int)) {
  std::array<long long, 256> hist{};
  const int step = std::max(1, page.width / 300);
  for (int y = 0; y < page.height; y += step)
    for (int x = 0; x < page.width; x += step) ++hist[static_cast<std::size_t>(grey(page, x, y))];
  std::size_t best = 255;
  for (std::size_t v = 128; v < 256; ++v)
    if (hist[v] > hist[best]) best = v;
  return static_cast<int>(best);
}

int GreyOf1(const Image& page, int x, int y) { return *page.at(x, y); }
int GreyOf3(const Image& page, int x, int y) { return page.at(x, y)[1]; }

// The minimum (or maximum) of each pixel's (2r+1)² neighbourhood, by rows
// then columns; the image's edge repeats.
template <bool kMin>
std::vector<std::uint8_t> Extreme(const std::vector<std::uint8_t>& g, int w, int h, int r) {
  std::vector<std::uint8_t> rows(g.size()), out(g.size());
  auto pick = [](std::uint8_t a, std::uint8_t b) { return kMin ? std::min(a, b) : std::max(a, b); };
  for (int y = 0; y < h; ++y) {
    const std::uint8_t* in = &g[static_cast<std::size_t>(y) * w];
    std::uint8_t* o = &rows[static_cast<std::size_t>(y) * w];
    for (int x = 0; x < w; ++x) {
      std::uint8_t v = in[x];
      for (int d = 1; d <= r; ++d) v = pick(v, pick(in[std::max(0, x - d)], in[std::min(w - 1, x + d)]));
      o[x] = v;
    }
  }
  for (int y = 0; y < h; ++y) {
    std::uint8_t* o = &out[static_cast<std::size_t>(y) * w];
    const std::uint8_t* c = &rows[static_cast<std::size_t>(y) * w];
    for (int x = 0; x < w; ++x) o[x] = c[x];
    for (int d = 1; d <= r; ++d) {
      const std::uint8_t* a = &rows[static_cast<std::size_t>(std::max(0, y - d)) * w];
      const std::uint8_t* b = &rows[static_cast<std::size_t>(std::min(h - 1, y + d)) * w];
      for (int x = 0; x < w; ++x) o[x] = pick(o[x], pick(a[x], b[x]));
    }
  }
  return out;
}

}  // namespace

GreyInk TintGreySealInk(const Image& page) {
  GreyInk out;
  if (page.empty()) return out;
  auto grey = page.channels == 1 ? GreyOf1 : GreyOf3;
  const int w = page.width, h = page.height;
  const int paper = PaperLevel(page, grey);
  // Seal ink: from darker than paper by a clear step (a faint seal at half
  // opacity is 180 on 245 paper) down to above the black of print (a dark
  // red seal pressed hard is 70–80; printed black 10–50).
  const int hi = std::min(215, paper - 35), lo = 60;
  std::vector<std::uint8_t> g(static_cast<std::size_t>(w) * h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) g[static_cast<std::size_t>(y) * w + x] = static_cast<std::uint8_t>(grey(page, x, y));
  // 1. Core: mid grey with no black print within ~0.4 mm (a blurred or
  //    upsampled scan greys print for two or three pixels around its
  //    strokes) and no paper right beside it.
  const int reach = std::max(1, static_cast<int>(std::lround((page.dpi > 0 ? page.dpi : 200) / 66.0)));
  const auto darkest = Extreme<true>(g, w, h, reach);
  const auto lightest = Extreme<false>(g, w, h, 1);
  std::vector<std::uint8_t> core(g.size(), 0);
  for (std::size_t i = 0; i < g.size(); ++i)
    core[i] = g[i] >= lo && g[i] <= hi && darkest[i] >= lo - 10 && lightest[i] <= hi + 10;
  // 2. Specks of core on print (a bold title's stroke, a digit's blurred
  //    join) are a few pixels; seal ink is strokes and a border.
  std::vector<std::uint8_t> kept(g.size(), 0);
  for (int y = 2; y + 2 < h; ++y)
    for (int x = 2; x + 2 < w; ++x) {
      if (!core[static_cast<std::size_t>(y) * w + x]) continue;
      int n = 0;
      for (int dy = -2; dy <= 2; ++dy)
        for (int dx = -2; dx <= 2; ++dx) n += core[static_cast<std::size_t>(y + dy) * w + x + dx];
      kept[static_cast<std::size_t>(y) * w + x] = n >= 10;
    }
  // 3. The strokes' soft edges: lighter grey next to kept core, not black.
  std::vector<std::uint8_t> seal = kept;
  for (int y = 1; y + 1 < h; ++y)
    for (int x = 1; x + 1 < w; ++x) {
      const std::size_t i = static_cast<std::size_t>(y) * w + x;
      if (kept[i] || g[i] < lo - 10 || g[i] > paper - 12) continue;
      for (int dy = -1; dy <= 1 && !seal[i]; ++dy)
        for (int dx = -1; dx <= 1 && !seal[i]; ++dx) seal[i] = kept[i + static_cast<std::size_t>(dy * w + dx)];
    }
  // 4. A seal's border is one long, broad stroke (or a few long arcs where
  //    the ink is worn), 1–1.5 mm wide; print greyed by blur is strokes of
  //    a character, thinner: opened away (eroded, then grown back), it no
  //    longer bridges a seal to the line of print it crosses.
  const double px_per_mm = (page.dpi > 0 ? page.dpi : 200) / 25.4;
  const int long_stroke = static_cast<int>(std::lround(10 * px_per_mm));
  const int thin = std::max(1, static_cast<int>(std::lround(0.25 * px_per_mm)));
  const std::vector<std::uint8_t> broad = Extreme<false>(Extreme<true>(seal, w, h, thin), w, h, thin);
  std::vector<std::uint8_t> border(g.size(), 0);
  {
    std::vector<std::uint8_t> seen(g.size(), 0);
    std::vector<std::size_t> stack, members;
    for (std::size_t start = 0; start < g.size(); ++start) {
      if (!broad[start] || seen[start]) continue;
      int x0 = w, y0 = h, x1 = -1, y1 = -1;
      members.clear();
      stack.push_back(start);
      seen[start] = 1;
      while (!stack.empty()) {
        const std::size_t i = stack.back();
        stack.pop_back();
        members.push_back(i);
        const int x = static_cast<int>(i % w), y = static_cast<int>(i / w);
        x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
        for (int dy = -1; dy <= 1; ++dy)
          for (int dx = -1; dx <= 1; ++dx) {
            const int nx = x + dx, ny = y + dy;
            if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
            const std::size_t j = static_cast<std::size_t>(ny) * w + nx;
            if (broad[j] && !seen[j]) seen[j] = 1, stack.push_back(j);
          }
      }
      if (std::max(x1 - x0, y1 - y0) >= long_stroke)
        for (std::size_t i : members) border[i] = 1;
    }
  }
  // Red with the grey's darkness in green and blue: redness says where the
  // seal is, green keeps its strokes (as on a colour scan).
  auto paint = [&](Image& img, const std::vector<std::uint8_t>& mask) {
    img.width = w;
    img.height = h;
    img.channels = 3;
    img.dpi = page.dpi;
    img.pixels.resize(static_cast<std::size_t>(w) * h * 3);
    for (std::size_t i = 0; i < g.size(); ++i) {
      std::uint8_t* p = &img.pixels[i * 3];
      if (mask[i]) {
        p[0] = 235;
        p[1] = p[2] = static_cast<std::uint8_t>(std::clamp(g[i] - 60, 0, 255));
      } else {
        p[0] = p[1] = p[2] = g[i];
      }
    }
  };
  // 5. For reading a ring: every grey darker than paper that is not print or
  //    beside it — a thin stroke of a ring character keeps no plateau.
  std::vector<std::uint8_t> loose(g.size(), 0);
  for (std::size_t i = 0; i < g.size(); ++i) loose[i] = seal[i] || (g[i] <= paper - 25 && darkest[i] >= lo - 10);
  paint(out.rings, loose);
  paint(out.borders, border);
  out.ink = std::move(seal);
  out.paper = paper;
  return out;
}

}  // namespace pingcha::seals

namespace pingcha::seals {

Image DropTintedInk(const Image& page, const GreyInk& ink, const std::vector<Mark>& seals) {
  Image out = page;
  if (page.empty() || ink.ink.size() != static_cast<std::size_t>(page.width) * page.height) return out;
  const std::uint8_t level = static_cast<std::uint8_t>(std::clamp(ink.paper, 0, 255));
  auto tinted = [&](int x, int y) { return ink.ink[static_cast<std::size_t>(y) * page.width + x] != 0; };
  for (const auto& m : seals) {
    // The seal's box with a margin: the tint's soft edges reach past it.
    const int x0 = std::max(0, static_cast<int>((m.box.x0 - 0.01) * page.width));
    const int y0 = std::max(0, static_cast<int>((m.box.y0 - 0.01) * page.height));
    const int x1 = std::min(page.width, static_cast<int>((m.box.x1 + 0.01) * page.width) + 1);
    const int y1 = std::min(page.height, static_cast<int>((m.box.y1 + 0.01) * page.height) + 1);
    // The seal's own grey (most of its ink is ring and characters on bare
    // paper). Print under the seal was inked over and reads as seal grey
    // too, but darker: it stays, or the date under a seal loses strokes.
    std::array<int, 256> hist{};
    int n = 0;
    for (int y = y0; y < y1; ++y)
      for (int x = x0; x < x1; ++x)
        if (tinted(x, y)) ++hist[page.at(x, y)[page.channels == 1 ? 0 : 1]], ++n;
    int median = 0;
    for (int seen = 0; median < 255 && (seen += hist[static_cast<std::size_t>(median)]) < n / 2;) ++median;
    const int darkest = median - 40;
    for (int y = y0; y < y1; ++y)
      for (int x = x0; x < x1; ++x) {
        if (!tinted(x, y)) continue;  // not seal ink
        std::uint8_t* p = out.pixels.data() + (static_cast<std::size_t>(y) * page.width + x) * page.channels;
        if (p[page.channels == 1 ? 0 : 1] < darkest) continue;
        for (int c = 0; c < page.channels; ++c) p[c] = level;
      }
  }
  return out;
}

}  // namespace pingcha::seals
