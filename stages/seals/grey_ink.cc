// Seal ink on a grey scan: a red seal scanned in grey keeps its shape as a
// plateau of mid grey — lighter than printed black, darker than paper, and
// wide enough (ring border, strokes of its characters) to have an inside.
// Black text has mid-grey only on its edges, one or two pixels between black
// and paper; paper tint and speckle are lighter.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

#include "stages/seals/levels.h"
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
int RedOf3(const Image& page, int x, int y) { return page.at(x, y)[0]; }
int BlueOf3(const Image& page, int x, int y) { return page.at(x, y)[2]; }

// The minimum (or maximum) of each pixel's (2r+1)² neighbourhood into `out`,
// by rows then columns (`tmp` between); the image's edge repeats.
template <bool kMin>
void Extreme(const std::vector<std::uint8_t>& g, int w, int h, int r, std::vector<std::uint8_t>& tmp,
             std::vector<std::uint8_t>& out) {
  tmp.resize(g.size());
  out.resize(g.size());
  auto pick = [](std::uint8_t a, std::uint8_t b) { return kMin ? std::min(a, b) : std::max(a, b); };
  for (int y = 0; y < h; ++y) {
    const std::uint8_t* in = &g[static_cast<std::size_t>(y) * w];
    std::uint8_t* o = &tmp[static_cast<std::size_t>(y) * w];
    std::copy(in, in + w, o);
    for (int d = 1; d <= r && d < w; ++d) {
      for (int x = 0; x + d < w; ++x) o[x] = pick(o[x], in[x + d]);
      for (int x = d; x < w; ++x) o[x] = pick(o[x], in[x - d]);
      for (int x = w - d; x < w; ++x) o[x] = pick(o[x], in[w - 1]);  // the edge repeats
      for (int x = 0; x < d; ++x) o[x] = pick(o[x], in[0]);
    }
  }
  for (int y = 0; y < h; ++y) {
    std::uint8_t* o = &out[static_cast<std::size_t>(y) * w];
    const std::uint8_t* c = &tmp[static_cast<std::size_t>(y) * w];
    std::copy(c, c + w, o);
    for (int d = 1; d <= r; ++d) {
      const std::uint8_t* a = &tmp[static_cast<std::size_t>(std::max(0, y - d)) * w];
      const std::uint8_t* b = &tmp[static_cast<std::size_t>(std::min(h - 1, y + d)) * w];
      for (int x = 0; x < w; ++x) o[x] = pick(o[x], pick(a[x], b[x]));
    }
  }
}

// Page-sized work buffers, kept per thread from page to page: a page is
// some 4 MB per buffer, and fresh memory for each costs more than the work.
struct Scratch {
  std::vector<std::uint8_t> g, darkest, tmp, core, kept, eroded, broad, seen, border;
  std::vector<std::size_t> stack, members;
};

}  // namespace

GreyInk TintGreySealInk(const Image& page) {
  GreyInk out;
  if (page.empty()) return out;
  thread_local Scratch s;
  auto grey = page.channels == 1 ? GreyOf1 : GreyOf3;
  const int w = page.width, h = page.height;
  const std::size_t n = static_cast<std::size_t>(w) * h;
  const int paper = PaperLevel(page, grey);
  // Seal ink: from darker than paper by a clear step (a faint seal at half
  // opacity is 180 on 245 paper) down to above the black of print (a dark
  // red seal pressed hard is 70–80; printed black 10–50).
  const int hi = std::min(215, paper - 35), lo = 60;
  s.g.resize(n);
  if (page.channels == 1) {
    std::copy(page.pixels.begin(), page.pixels.begin() + static_cast<std::ptrdiff_t>(n), s.g.begin());
  } else {
    const std::uint8_t* p = page.pixels.data() + 1;
    for (std::size_t i = 0; i < n; ++i, p += page.channels) s.g[i] = *p;
  }
  const auto& g = s.g;
  // 1. Core: mid grey with no black print within ~0.4 mm (a blurred or
  //    upsampled scan greys print for two or three pixels around its
  //    strokes) and no paper right beside it.
  const int reach = std::max(1, static_cast<int>(std::lround((page.dpi > 0 ? page.dpi : 200) / 66.0)));
  Extreme<true>(g, w, h, reach, s.tmp, s.darkest);
  const auto& darkest = s.darkest;
  s.core.assign(n, 0);
  for (int y = 1; y + 1 < h; ++y)
    for (int x = 1; x + 1 < w; ++x) {
      const std::size_t i = static_cast<std::size_t>(y) * w + x;
      if (g[i] < lo || g[i] > hi || darkest[i] < lo - 10) continue;
      int lightest = 0;
      for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx) lightest = std::max<int>(lightest, g[i + static_cast<std::size_t>(dy * w + dx)]);
      s.core[i] = lightest <= hi + 10;
    }
  // 2. Specks of core on print (a bold title's stroke, a digit's blurred
  //    join) are a few pixels; seal ink is strokes and a border.
  s.kept.assign(n, 0);
  for (int y = 2; y + 2 < h; ++y)
    for (int x = 2; x + 2 < w; ++x) {
      if (!s.core[static_cast<std::size_t>(y) * w + x]) continue;
      int k = 0;
      for (int dy = -2; dy <= 2; ++dy)
        for (int dx = -2; dx <= 2; ++dx) k += s.core[static_cast<std::size_t>(y + dy) * w + x + dx];
      s.kept[static_cast<std::size_t>(y) * w + x] = k >= 10;
    }
  // 3. The strokes' soft edges: lighter grey next to kept core, not black.
  std::vector<std::uint8_t> seal = s.kept;
  for (int y = 1; y + 1 < h; ++y)
    for (int x = 1; x + 1 < w; ++x) {
      const std::size_t i = static_cast<std::size_t>(y) * w + x;
      if (s.kept[i] || g[i] < lo - 10 || g[i] > paper - 12) continue;
      for (int dy = -1; dy <= 1 && !seal[i]; ++dy)
        for (int dx = -1; dx <= 1 && !seal[i]; ++dx) seal[i] = s.kept[i + static_cast<std::size_t>(dy * w + dx)];
    }
  // 4. A seal's border is one long, broad stroke (or a few long arcs where
  //    the ink is worn), 1–1.5 mm wide; print greyed by blur is strokes of
  //    a character, thinner: opened away (eroded, then grown back), it no
  //    longer bridges a seal to the line of print it crosses.
  const double px_per_mm = (page.dpi > 0 ? page.dpi : 200) / 25.4;
  const int long_stroke = static_cast<int>(std::lround(10 * px_per_mm));
  const int thin = std::max(1, static_cast<int>(std::lround(0.25 * px_per_mm)));
  Extreme<true>(seal, w, h, thin, s.tmp, s.eroded);
  Extreme<false>(s.eroded, w, h, thin, s.tmp, s.broad);
  const auto& broad = s.broad;
  s.border.assign(n, 0);
  s.seen.assign(n, 0);
  for (std::size_t start = 0; start < n; ++start) {
    if (!broad[start] || s.seen[start]) continue;
    int x0 = w, y0 = h, x1 = -1, y1 = -1;
    s.members.clear();
    s.stack.push_back(start);
    s.seen[start] = 1;
    while (!s.stack.empty()) {
      const std::size_t i = s.stack.back();
      s.stack.pop_back();
      s.members.push_back(i);
      const int x = static_cast<int>(i % w), y = static_cast<int>(i / w);
      x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
      for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx) {
          const int nx = x + dx, ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          const std::size_t j = static_cast<std::size_t>(ny) * w + nx;
          if (broad[j] && !s.seen[j]) s.seen[j] = 1, s.stack.push_back(j);
        }
    }
    if (std::max(x1 - x0, y1 - y0) >= long_stroke)
      for (std::size_t i : s.members) s.border[i] = 1;
  }
  // Red with the grey's darkness in green and blue: redness says where the
  // seal is, green keeps its strokes (as on a colour scan).
  auto paint = [&](Image& img, auto&& inked) {
    img.width = w;
    img.height = h;
    img.channels = 3;
    img.dpi = page.dpi;
    img.pixels.resize(n * 3);
    std::uint8_t* p = img.pixels.data();
    for (std::size_t i = 0; i < n; ++i, p += 3) {
      if (inked(i)) {
        p[0] = 235;
        p[1] = p[2] = static_cast<std::uint8_t>(std::max(g[i] - 60, 0));
      } else {
        p[0] = p[1] = p[2] = g[i];
      }
    }
  };
  // 5. For reading a ring: every grey darker than paper that is not print or
  //    beside it — a thin stroke of a ring character keeps no plateau. Beside
  //    print here is stricter than for the core (nothing darker than 70
  //    within reach): a thin printed stroke crossing the ring, blurred, has
  //    no black core, and its grey in the strip is noise on a ring character.
  paint(out.rings, [&](std::size_t i) { return seal[i] || (g[i] <= paper - 25 && darkest[i] >= lo + 10); });
  paint(out.borders, [&](std::size_t i) { return s.border[i] != 0; });
  out.ink = std::move(seal);
  out.paper = paper;
  return out;
}


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

ChannelMaps StrengthMaps(const Image& rgb, double gain) {
  // Per channel: paper to white (v · 255 / paper), then the distance from
  // white times `gain`.
  ChannelMaps lut{};
  int (*const channel[3])(const Image&, int, int) = {RedOf3, GreyOf3, BlueOf3};
  for (std::size_t c = 0; c < 3; ++c) {
    const int paper = std::max(128, PaperLevel(rgb, channel[c]));
    for (int v = 0; v < 256; ++v) {
      const int white = std::min(255, v * 255 / paper);
      lut[c][static_cast<std::size_t>(v)] =
          static_cast<std::uint8_t>(std::clamp(static_cast<int>(std::lround(255 - gain * (255 - white))), 0, 255));
    }
  }
  return lut;
}

Image StrengthenedInk(const Image& rgb, double gain) {
  if (rgb.channels != 3 || rgb.empty()) return rgb;
  const ChannelMaps lut = StrengthMaps(rgb, gain);
  Image out = rgb;
  for (std::size_t i = 0; i < out.pixels.size(); i += 3)
    for (std::size_t c = 0; c < 3; ++c) out.pixels[i + c] = lut[c][out.pixels[i + c]];
  return out;
}

}  // namespace pingcha::seals
