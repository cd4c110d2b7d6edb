#include "stages/preprocess/preprocess.h"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#ifdef __x86_64__
#include <immintrin.h>
#endif

namespace pingcha::preprocess {
namespace {

struct PixDeleter {
  void operator()(PIX* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

// A word's bits in the opposite order.
std::uint32_t Reversed(std::uint32_t v) {
  v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
  v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
  v = ((v >> 4) & 0x0F0F0F0Fu) | ((v & 0x0F0F0F0Fu) << 4);
  return __builtin_bswap32(v);
}

// Black where the grey is below `threshold`, as pixConvertTo1 makes it (1 =
// black, the row's first pixel in each word's highest bit): sixteen pixels
// compared at once, their bits gathered and put in the word's order.
PixPtr Binary(const Image& grey, int threshold) {
  const int w = grey.width, h = grey.height;
  PixPtr out(pixCreate(w, h, 1));
  if (!out) return out;
  pixSetResolution(out.get(), grey.dpi, grey.dpi);
  l_uint32* dst = pixGetData(out.get());
  const int wpld = pixGetWpl(out.get());
  const int whole = threshold <= 0 ? 0 : w / 32 * 32;  // (nothing is below 0)
#ifdef __SSE2__
  // s < threshold  <=>  min(s, threshold - 1) == s, for bytes without sign.
  const __m128i below = _mm_set1_epi8(static_cast<char>(std::min(threshold, 256) - 1));
#endif
  for (int y = 0; y < h; ++y) {
    const std::uint8_t* s = grey.pixels.data() + static_cast<std::ptrdiff_t>(y) * w;
    l_uint32* d = dst + static_cast<std::ptrdiff_t>(y) * wpld;
    int x0 = 0;
#ifdef __SSE2__
    for (; x0 < whole; x0 += 32) {
      const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + x0));
      const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + x0 + 16));
      const auto lo = static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(a, below), a)));
      const auto hi = static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(b, below), b)));
      d[x0 / 32] = Reversed(lo | hi << 16);
    }
#endif
    for (; x0 < w; x0 += 32) {
      l_uint32 word = 0;
      const int n = std::min(32, w - x0);
      for (int i = 0; i < n; ++i) word |= static_cast<l_uint32>(s[x0 + i] < threshold) << (31 - i);
      d[x0 / 32] = word;
    }
  }
  return out;
}

// Leptonica's measure of the background (pixGetBackgroundGrayMap without
// an image mask), made here from our image: the foreground — darker than
// `thresh`, grown by 3 pixels each way (Leptonica's "d7.1 + d1.7") — left
// out, each whole `sx` × `sy` tile's mean of the rest, where at least
// `mincount` pixels remain (0 otherwise, and for the partial tiles at the
// right and bottom). Row by row: the grown foreground from a running count
// of the rows within reach; tile sums down each column first.
PixPtr BackgroundMap(const Image& grey, int sx, int sy, int thresh, int mincount) {
  if (sx < 4 || sy < 4) return nullptr;              // as Leptonica refuses
  if (mincount > sx * sy) mincount = sx * sy / 3;  // as Leptonica lowers it
  const int w = grey.width, h = grey.height;
  const int nx = w / sx, ny = h / sy;
  PixPtr map(pixCreate((w + sx - 1) / sx, (h + sy - 1) / sy, 8));
  if (!map) return map;
  constexpr int reach = 3;
  // Each row's foreground grown along the row, for the rows within reach.
  std::vector<std::uint8_t> grown(static_cast<std::size_t>(2 * reach + 2) * w), dark(static_cast<std::size_t>(w + 2 * reach), 0);
  auto grow_row = [&](int y) -> std::uint8_t* {
    std::uint8_t* out = &grown[static_cast<std::size_t>(y % (2 * reach + 2)) * w];
    const std::uint8_t* s = grey.pixels.data() + static_cast<std::ptrdiff_t>(y) * w;
    std::uint8_t* d = dark.data() + reach;
    for (int x = 0; x < w; ++x) d[x] = s[x] < thresh;
    for (int x = 0; x < w; ++x) out[x] = d[x - 3] | d[x - 2] | d[x - 1] | d[x] | d[x + 1] | d[x + 2] | d[x + 3];
    return out;
  };
  std::vector<std::uint8_t> within(static_cast<std::size_t>(w), 0);  // grown rows within reach that cover the pixel
  auto add = [&](const std::uint8_t* row, int sign) {
    for (int x = 0; x < w; ++x) within[static_cast<std::size_t>(x)] = static_cast<std::uint8_t>(within[static_cast<std::size_t>(x)] + sign * row[x]);
  };
  for (int y = 0; y < std::min(h, reach); ++y) add(grow_row(y), 1);
  std::vector<std::uint32_t> sum(static_cast<std::size_t>(w)), count(static_cast<std::size_t>(w));
  l_uint32* data = pixGetData(map.get());
  const int wpl = pixGetWpl(map.get());
  for (int ty = 0; ty < ny; ++ty) {
    std::fill(sum.begin(), sum.end(), 0u);
    std::fill(count.begin(), count.end(), 0u);
    for (int y = ty * sy; y < ty * sy + sy; ++y) {
      // Within reach of row y: rows y - 3 .. y + 3.
      if (y + reach < h) add(grow_row(y + reach), 1);
      if (y - reach - 1 >= 0) add(&grown[static_cast<std::size_t>((y - reach - 1) % (2 * reach + 2)) * w], -1);
      const std::uint8_t* s = grey.pixels.data() + static_cast<std::ptrdiff_t>(y) * w;
      for (int x = 0; x < nx * sx; ++x) {
        const std::uint32_t background = within[static_cast<std::size_t>(x)] == 0;
        sum[static_cast<std::size_t>(x)] += background * s[x];
        count[static_cast<std::size_t>(x)] += background;
      }
    }
    l_uint32* line = data + static_cast<std::ptrdiff_t>(ty) * wpl;
    for (int tx = 0; tx < nx; ++tx) {
      std::uint32_t total = 0, n = 0;
      for (int x = tx * sx; x < tx * sx + sx; ++x) total += sum[static_cast<std::size_t>(x)], n += count[static_cast<std::size_t>(x)];
      if (n > 0 && static_cast<int>(n) >= mincount) SET_DATA_BYTE(line, tx, total / n);
    }
  }
  return map;
}

// Leptonica's background flattening (pixBackgroundNorm, grey): the
// background map above, its holes filled, smoothed and inverted by
// Leptonica (pixFillMapHoles, pixGetInvBackgroundMap: on the small map),
// applied here straight into our image — each pixel times its tile's
// factor over 256, at most 255; pixels no tile covers black, as Leptonica
// leaves them. The grey as is when no map can be made.
Image Flattened(const Image& grey, int sx, int sy, int thresh, int mincount, int bgval, int smoothx, int smoothy) {
  PixPtr background = BackgroundMap(grey, sx, sy, thresh, mincount);
  if (!background || pixFillMapHoles(background.get(), grey.width / sx, grey.height / sy, L_FILL_BLACK) != 0) return grey;
  PIX* raw = pixGetInvBackgroundMap(background.get(), bgval, smoothx, smoothy);
  if (!raw) return grey;
  PixPtr inverse(raw);
  if (pixGetDepth(inverse.get()) != 16) return grey;  // Leptonica's map: 16 bits a tile
  const int wm = pixGetWidth(inverse.get()), hm = pixGetHeight(inverse.get());
  const l_uint32* map = pixGetData(inverse.get());
  const int wplm = pixGetWpl(inverse.get());
  Image out;
  out.width = grey.width;
  out.height = grey.height;
  out.channels = 1;
  out.dpi = grey.dpi;
  out.pixels.assign(grey.pixels.size(), 0);
  // Each tile row's factors spread over the pixels they cover (0 where no
  // tile does), then whole rows multiplied.
  std::vector<std::uint32_t> factor(static_cast<std::size_t>(grey.width), 0);
  const int covered = std::min(grey.width, wm * sx);
  for (int ty = 0; ty < hm; ++ty) {
    const l_uint32* line = map + static_cast<std::ptrdiff_t>(ty) * wplm;
    for (int x = 0; x < covered; ++x) factor[static_cast<std::size_t>(x)] = GET_DATA_TWO_BYTES(line, x / sx);
    const std::uint32_t* f = factor.data();
    for (int y = ty * sy; y < std::min(grey.height, ty * sy + sy); ++y) {
      const std::uint8_t* s = grey.pixels.data() + static_cast<std::ptrdiff_t>(y) * grey.width;
      std::uint8_t* d = out.pixels.data() + static_cast<std::ptrdiff_t>(y) * grey.width;
      for (int x = 0; x < grey.width; ++x) d[x] = static_cast<std::uint8_t>(std::min<std::uint32_t>(255, s[x] * f[x] >> 8));
    }
  }
  return out;
}

// A grey image of an RGB one's size, its pixels to be written.
Image GreyLike(const Image& rgb) {
  Image out;
  out.width = rgb.width;
  out.height = rgb.height;
  out.channels = 1;
  out.dpi = rgb.dpi;
  out.pixels.resize(static_cast<std::size_t>(rgb.width) * rgb.height);
  return out;
}

// A grey image made pixel by pixel from an RGB one: `grey(p)` for the
// pixel's three bytes, 0..255.
template <class F>
Image GreyOf(const Image& rgb, F grey) {
  Image out = GreyLike(rgb);
  const std::uint8_t* src = rgb.pixels.data();
  for (std::size_t i = 0; i < out.pixels.size(); ++i) out.pixels[i] = static_cast<std::uint8_t>(grey(src + i * 3));
  return out;
}

// Red ink is light in the red channel, but dark red seal ink is not light
// enough: clearly red, fairly bright pixels are lifted towards paper, by
// how red (past 30) and how bright (past 110) they are, each counted to 50.
// Black text under a seal stays dark (low red value even where tinted red).
// Integers throughout (the same values as the fractions in double, checked
// for every red and every other channel), so the loop vectorises.
__attribute__((target_clones("avx2", "default"))) void LiftRed(const std::uint8_t* rgb, std::uint8_t* out, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const int r = rgb[3 * i], other = std::max(rgb[3 * i + 1], rgb[3 * i + 2]);
    const int redness = std::clamp(r - other - 30, 0, 50), bright = std::clamp(r - 110, 0, 50);
    out[i] = static_cast<std::uint8_t>(r + (255 - r) * redness * bright / 2500);
  }
}

}  // namespace

Image RedChannel(const Image& rgb) {
  if (rgb.channels == 1) return rgb;
  Image out = GreyLike(rgb);
  LiftRed(rgb.pixels.data(), out.pixels.data(), out.pixels.size());
  return out;
}

Image RotateImage(const Image& img, int rotation) {
  rotation = ((rotation % 360) + 360) % 360;
  if (rotation == 0) return img;
  Image out;
  out.channels = img.channels;
  out.dpi = img.dpi;
  bool swap = rotation == 90 || rotation == 270;
  out.width = swap ? img.height : img.width;
  out.height = swap ? img.width : img.height;
  out.pixels.resize(img.pixels.size());
  const int c = img.channels;
  for (int y = 0; y < img.height; ++y) {
    for (int x = 0; x < img.width; ++x) {
      int nx, ny;
      if (rotation == 90) { nx = img.height - 1 - y; ny = x; }
      else if (rotation == 180) { nx = img.width - 1 - x; ny = img.height - 1 - y; }
      else { nx = y; ny = img.width - 1 - x; }
      const std::uint8_t* s = img.pixels.data() + (static_cast<std::size_t>(y) * img.width + x) * c;
      std::uint8_t* d = out.pixels.data() + (static_cast<std::size_t>(ny) * out.width + nx) * c;
      std::copy_n(s, c, d);
    }
  }
  return out;
}

namespace {

// One row of the area-map rotation: where each output pixel's corner falls
// on the source (per-column and per-row float products, as Leptonica's),
// and the four source pixels around it weighted by the sixteenths.
struct TurnedRow {
  const std::uint8_t* src;
  int w, h, xcen, ycen;
  const float* x_of_column;
  const float* y_of_column;
  float x_of_row, y_of_row;  // the first subtracted, the second added

  // Output pixels [from, to) of the row into `dst`, pixel by pixel.
  void Pixels(int from, int to, std::uint8_t* dst) const {
    for (int j = from; j < to; ++j) {
      const int xs = static_cast<int>(x_of_column[j] - x_of_row);
      const int ys = static_cast<int>(y_of_row + y_of_column[j]);
      const int x = xcen + (xs >> 4), y = ycen + (ys >> 4);
      if (x < 0 || y < 0 || x > w - 2 || y > h - 2) continue;  // stays white
      const int fx = xs & 15, fy = ys & 15;
      const std::uint8_t* p = src + static_cast<std::size_t>(y) * w + x;
      const int sum = (16 - fx) * (16 - fy) * p[0] + fx * (16 - fy) * p[1] + (16 - fx) * fy * p[w] + fx * fy * p[w + 1];
      dst[j] = static_cast<std::uint8_t>((sum + 128) / 256);
    }
  }

#ifdef __x86_64__
  // Eight output pixels at a time where they fall inside the page on at
  // most two neighbouring source rows, fifteen source columns wide (every
  // block at skews under 7°): the source pixels picked from three row
  // pieces by byte shuffles, the same integer sums in 16 bits (at most
  // 256 × 255 + 128). Other blocks, and the row's end, pixel by pixel.
  __attribute__((target("avx2"))) void Row(std::uint8_t* dst) const {
    const __m256 xr = _mm256_set1_ps(x_of_row), yr = _mm256_set1_ps(y_of_row);
    const __m256i xc = _mm256_set1_epi32(xcen), yc = _mm256_set1_epi32(ycen), fifteen = _mm256_set1_epi32(15);
    const std::size_t size = static_cast<std::size_t>(w) * h;
    int j = 0;
    for (; j + 8 <= w; j += 8) {
      const __m256i xs = _mm256_cvttps_epi32(_mm256_sub_ps(_mm256_loadu_ps(x_of_column + j), xr));
      const __m256i ys = _mm256_cvttps_epi32(_mm256_add_ps(yr, _mm256_loadu_ps(y_of_column + j)));
      const __m256i x = _mm256_add_epi32(xc, _mm256_srai_epi32(xs, 4)), y = _mm256_add_epi32(yc, _mm256_srai_epi32(ys, 4));
      const int xf = _mm256_cvtsi256_si32(x), xl = _mm256_extract_epi32(x, 7);
      const int yf = _mm256_cvtsi256_si32(y), yl = _mm256_extract_epi32(y, 7);
      const int x0 = std::min(xf, xl), x1 = std::max(xf, xl);
      const int y0 = std::min(yf, yl), y1 = std::max(yf, yl);
      // x and y move one way along the row (a turn under 90°): the ends bound them.
      const std::size_t last = static_cast<std::size_t>(y0 + 2) * w + x0 + 16;
      if (x0 < 0 || y0 < 0 || x1 > w - 2 || y1 > h - 2 || x1 - x0 > 14 || y1 - y0 > 1 || last > size) {
        Pixels(j, j + 8, dst);
        continue;
      }
      const std::uint8_t* at = src + static_cast<std::size_t>(y0) * w + x0;
      const __m128i r0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
      const __m128i r1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at + w));
      const __m128i r2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at + 2 * static_cast<std::ptrdiff_t>(w)));
      // Column of each lane in the pieces, as bytes (0..14), and of its right neighbour.
      const __m256i col32 = _mm256_sub_epi32(x, _mm256_set1_epi32(x0));
      const __m128i col16 = _mm_packus_epi32(_mm256_castsi256_si128(col32), _mm256_extracti128_si256(col32, 1));
      const __m128i col = _mm_packus_epi16(col16, col16);
      const __m128i right = _mm_add_epi8(col, _mm_set1_epi8(1));
      // Lanes on the lower row take the next piece down.
      const __m256i lower32 = _mm256_cmpgt_epi32(y, _mm256_set1_epi32(y0));
      const __m128i lower16 = _mm_packs_epi32(_mm256_castsi256_si128(lower32), _mm256_extracti128_si256(lower32, 1));
      const __m128i lower = _mm_packs_epi16(lower16, lower16);
      const __m128i p00 = _mm_blendv_epi8(_mm_shuffle_epi8(r0, col), _mm_shuffle_epi8(r1, col), lower);
      const __m128i p01 = _mm_blendv_epi8(_mm_shuffle_epi8(r0, right), _mm_shuffle_epi8(r1, right), lower);
      const __m128i p10 = _mm_blendv_epi8(_mm_shuffle_epi8(r1, col), _mm_shuffle_epi8(r2, col), lower);
      const __m128i p11 = _mm_blendv_epi8(_mm_shuffle_epi8(r1, right), _mm_shuffle_epi8(r2, right), lower);
      // Weights in 16 bits.
      const __m256i fx32 = _mm256_and_si256(xs, fifteen), fy32 = _mm256_and_si256(ys, fifteen);
      const __m128i fx = _mm_packus_epi32(_mm256_castsi256_si128(fx32), _mm256_extracti128_si256(fx32, 1));
      const __m128i fy = _mm_packus_epi32(_mm256_castsi256_si128(fy32), _mm256_extracti128_si256(fy32, 1));
      const __m128i sixteen = _mm_set1_epi16(16);
      const __m128i gx = _mm_sub_epi16(sixteen, fx), gy = _mm_sub_epi16(sixteen, fy);
      __m128i sum = _mm_set1_epi16(128);
      sum = _mm_add_epi16(sum, _mm_mullo_epi16(_mm_mullo_epi16(gx, gy), _mm_cvtepu8_epi16(p00)));
      sum = _mm_add_epi16(sum, _mm_mullo_epi16(_mm_mullo_epi16(fx, gy), _mm_cvtepu8_epi16(p01)));
      sum = _mm_add_epi16(sum, _mm_mullo_epi16(_mm_mullo_epi16(gx, fy), _mm_cvtepu8_epi16(p10)));
      sum = _mm_add_epi16(sum, _mm_mullo_epi16(_mm_mullo_epi16(fx, fy), _mm_cvtepu8_epi16(p11)));
      const __m128i bytes = _mm_packus_epi16(_mm_srli_epi16(sum, 8), _mm_setzero_si128());
      _mm_storel_epi64(reinterpret_cast<__m128i*>(dst + j), bytes);
    }
    Pixels(j, w, dst);
  }
#endif
};

}  // namespace

Image RotateGrey(const Image& grey, float radians, bool vectors) {
  if (grey.channels != 1 || std::abs(radians) < 0.001f || grey.width < 2 || grey.height < 2) return grey;
  const int w = grey.width, h = grey.height;
  const int xcen = w / 2, ycen = h / 2;
  // Sine and cosine in sixteenths, computed in double and kept as floats;
  // each product below is a float product, as Leptonica's, so every
  // position truncates to the same sixteenth.
  const auto sin16 = static_cast<float>(16. * std::sin(static_cast<double>(radians)));
  const auto cos16 = static_cast<float>(16. * std::cos(static_cast<double>(radians)));
  // Per column: the column's share of the source x and y positions.
  std::vector<float> x_of_column(static_cast<std::size_t>(w)), y_of_column(static_cast<std::size_t>(w));
  for (int j = 0; j < w; ++j) {
    const int dx = xcen - j;
    x_of_column[static_cast<std::size_t>(j)] = static_cast<float>(-dx) * cos16;
    y_of_column[static_cast<std::size_t>(j)] = static_cast<float>(dx) * sin16;
  }
  Image out;
  out.width = w;
  out.height = h;
  out.channels = 1;
  out.dpi = grey.dpi;
  out.pixels.assign(static_cast<std::size_t>(w) * h, 255);
#ifdef __x86_64__
  const bool avx2 = vectors && __builtin_cpu_supports("avx2");
#else
  (void)vectors;
  constexpr bool avx2 = false;
#endif
  for (int i = 0; i < h; ++i) {
    const int dy = ycen - i;
    const TurnedRow row{grey.pixels.data(), w, h, xcen, ycen, x_of_column.data(), y_of_column.data(),
                        static_cast<float>(dy) * sin16, static_cast<float>(-dy) * cos16};
    std::uint8_t* dst = out.pixels.data() + static_cast<std::size_t>(i) * w;
#ifdef __x86_64__
    if (avx2) {
      row.Row(dst);
      continue;
    }
#endif
    row.Pixels(0, w, dst);
  }
  return out;
}

Prepared Prepare(const Image& rgb, int rotation) {
  setMsgSeverity(L_SEVERITY_NONE);
  Prepared result;
  Image grey = RedChannel(rgb);
  if (rotation % 360 != 0) grey = RotateImage(grey, rotation);
  // Flatten paper tint and uneven illumination so a single threshold works.
  result.grey = Flattened(grey, 10, 15, 60, 40, 245, 2, 1);
  l_float32 angle = 0, conf = 0;
  PixPtr binary(Binary(result.grey, 160));
  if (binary && pixFindSkew(binary.get(), &angle, &conf) == 0 && conf > 2.0 &&
      std::abs(angle) > 0.4 && std::abs(angle) < 10) {  // below 0.4° Tesseract copes; rotating costs more than it gains
    result.grey = RotateGrey(result.grey, static_cast<float>(angle * M_PI / 180.0));
    result.skew_degrees = angle;
  }
  return result;
}

Image RedInk(const Image& rgb, int rotation, double skew_degrees) {
  setMsgSeverity(L_SEVERITY_NONE);
  if (rgb.channels != 3) return {};
  Image grey = GreyOf(rgb, [](const std::uint8_t* p) {
    // Black print and paper (yellowed too) have little redness; red ink,
    // pale or dark, has much. Redness 20 and less is paper, 100 is black.
    const int redness = p[0] - std::max(p[1], p[2]);
    return 255 - std::clamp((redness - 20) * 255 / 80, 0, 255);
  });
  if (rotation % 360 != 0) grey = RotateImage(grey, rotation);
  if (skew_degrees == 0) return grey;
  return RotateGrey(grey, static_cast<float>(skew_degrees * M_PI / 180.0));
}

PageStats Measure(const Image& rgb) {
  PageStats stats;
  if (rgb.empty()) {
    stats.blank = true;
    return stats;
  }
  // Sample every `step`-th pixel away from a 5% margin (scanner edges, holes).
  const int step = std::max(1, rgb.width / 400);
  const int mx = rgb.width / 20, my = rgb.height / 20;
  long long n = 0, dark = 0, red = 0, chroma_sum = 0, chroma_high = 0;
  for (int y = my; y < rgb.height - my; y += step) {
    for (int x = mx; x < rgb.width - mx; x += step) {
      const std::uint8_t* p = rgb.at(x, y);
      int r = p[0], g = rgb.channels == 3 ? p[1] : r, b = rgb.channels == 3 ? p[2] : r;
      int mn = std::min({r, g, b}), mxv = std::max({r, g, b});
      ++n;
      if (mxv < 140) ++dark;
      if (rgb.channels == 3 && IsSealInk(p)) ++red;
      chroma_sum += mxv - mn;
      if (mxv - mn > 12) ++chroma_high;
    }
  }
  if (n == 0) {
    stats.blank = true;
    return stats;
  }
  stats.ink_ratio = static_cast<double>(dark) / static_cast<double>(n);
  stats.red_ratio = static_cast<double>(red) / static_cast<double>(n);
  // Blank backs measure below 0.0002 on the sample sets; a last page holding
  // only a 落款 (two short lines) and a seal measures 0.002 dark and 0.006 red.
  stats.blank = stats.ink_ratio < 0.0005 && stats.red_ratio < 0.0005;
  double mean_chroma = static_cast<double>(chroma_sum) / static_cast<double>(n);
  stats.grey_only = rgb.channels == 1 ||
                    (mean_chroma < 2.5 && static_cast<double>(chroma_high) / static_cast<double>(n) < 0.001);
  return stats;
}

std::vector<BBox> IsolatedMarks(const Image& grey, const BBox& region, int ink_below) {
  std::vector<BBox> out;
  if (grey.channels != 1 || grey.empty()) return out;
  const int x0 = std::clamp(static_cast<int>(region.x0 * grey.width), 0, grey.width);
  const int x1 = std::clamp(static_cast<int>(region.x1 * grey.width), 0, grey.width);
  const int y0 = std::clamp(static_cast<int>(region.y0 * grey.height), 0, grey.height);
  const int y1 = std::clamp(static_cast<int>(region.y1 * grey.height), 0, grey.height);
  const int w = x1 - x0, h = y1 - y0;
  if (w <= 0 || h <= 0) return out;
  std::vector<std::uint8_t> ink(static_cast<std::size_t>(w) * h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      ink[static_cast<std::size_t>(y) * w + x] = grey.pixels[static_cast<std::size_t>(y + y0) * grey.width + x + x0] < ink_below;
  // Glyph height on this page: a digit is 0.8–2.5 % of the page's height.
  const double min_h = 0.008 * grey.height, max_h = 0.025 * grey.height;
  // A scan's specks are smaller than the thinnest digit (a 1: a stroke of
  // the minimum height, two pixels wide).
  const int min_ink = std::max(4, static_cast<int>(min_h * min_h / 10));
  // Connected components (8-neighbours).
  struct Box { int x0, y0, x1, y1, n; };
  std::vector<Box> comps;
  std::vector<int> stack;
  for (int start = 0; start < w * h; ++start) {
    if (!ink[static_cast<std::size_t>(start)]) continue;
    Box b{start % w, start / w, start % w + 1, start / w + 1, 0};
    ink[static_cast<std::size_t>(start)] = 0;
    stack.assign(1, start);
    while (!stack.empty()) {
      int i = stack.back();
      stack.pop_back();
      int x = i % w, y = i / w;
      ++b.n;
      b.x0 = std::min(b.x0, x); b.x1 = std::max(b.x1, x + 1); b.y0 = std::min(b.y0, y); b.y1 = std::max(b.y1, y + 1);
      for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx) {
          int nx = x + dx, ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= w || ny >= h || !ink[static_cast<std::size_t>(ny) * w + nx]) continue;
          ink[static_cast<std::size_t>(ny) * w + nx] = 0;
          stack.push_back(ny * w + nx);
        }
    }
    if (b.n >= min_ink) comps.push_back(b);
  }
  // Group components into marks: glyphs of one number sit close together.
  std::sort(comps.begin(), comps.end(), [](const Box& a, const Box& b) { return a.x0 < b.x0; });
  std::vector<Box> groups;
  for (const auto& c : comps) {
    const int ch = c.y1 - c.y0;
    bool joined = false;
    for (auto& g : groups) {
      const int gh = g.y1 - g.y0;
      const bool level = c.y0 < g.y1 && g.y0 < c.y1;
      // A light digit's strokes break apart at the threshold (a 2's curve
      // above its foot): pieces one above the other, close, are one glyph.
      const bool stacked = c.x0 < g.x1 && g.x0 < c.x1 && std::max(c.y0 - g.y1, g.y0 - c.y1) < 0.5 * std::max(ch, gh);
      if ((level && c.x0 - g.x1 < 0.6 * std::max(ch, gh)) || stacked) {
        g = {std::min(g.x0, c.x0), std::min(g.y0, c.y0), std::max(g.x1, c.x1), std::max(g.y1, c.y1), g.n + c.n};
        joined = true;
        break;
      }
    }
    if (!joined) groups.push_back(c);
  }
  for (const auto& g : groups) {
    const int gh = g.y1 - g.y0, gw = g.x1 - g.x0;
    if (gh < min_h || gh > max_h || gw > 2.6 * gh) continue;
    // Alone: no other ink group level with it within four of its heights.
    // A scan's specks (a few pixels each) do not count as neighbours.
    bool alone = std::none_of(groups.begin(), groups.end(), [&](const Box& o) {
      if (&o == &g || o.n * 6 < g.n) return false;
      const bool level = o.y0 < g.y1 + gh && g.y0 - gh < o.y1;
      const int gap = std::max(o.x0 - g.x1, g.x0 - o.x1);
      return level && gap < 4 * gh;
    });
    if (!alone) continue;
    out.push_back({static_cast<double>(g.x0 + x0) / grey.width, static_cast<double>(g.y0 + y0) / grey.height,
                   static_cast<double>(g.x1 + x0) / grey.width, static_cast<double>(g.y1 + y0) / grey.height});
  }
  std::sort(out.begin(), out.end(), [](const BBox& a, const BBox& b) { return a.y0 < b.y0; });
  return out;
}

std::vector<BBox> UncoveredText(const Image& grey, const std::vector<BBox>& covered, double line_h) {
  std::vector<BBox> out;
  if (grey.channels != 1 || grey.empty() || line_h <= 0) return out;
  const int W = grey.width, H = grey.height;
  const int lh = std::max(8, static_cast<int>(line_h * H));
  std::vector<std::uint8_t> ink(static_cast<std::size_t>(W) * H);
  for (std::size_t i = 0; i < ink.size(); ++i) ink[i] = grey.pixels[i] < 128;
  // Table rules and underlines: straight runs far longer than a glyph.
  // Every run at least `long` pixels long holds one of every `long`-th
  // pixels: runs are looked for from those alone, and followed both ways.
  const int long_h = std::max(4 * lh, W / 10), long_v = 3 * lh;
  std::vector<std::uint8_t> rule(ink.size(), 0), row_has_rule(static_cast<std::size_t>(H), 0);
  for (int y = 0; y < H; ++y) {
    const std::uint8_t* row = &ink[static_cast<std::size_t>(y) * W];
    int done = 0;  // runs followed end here
    for (int x = long_h - 1; x < W; x += long_h) {
      if (!row[x] || x < done) continue;
      int a = x, b = x + 1;
      while (a > 0 && row[a - 1]) --a;
      while (b < W && row[b]) ++b;
      done = b;
      if (b - a < long_h) continue;
      std::fill(&rule[static_cast<std::size_t>(y) * W + a], &rule[static_cast<std::size_t>(y) * W + b], 1);
      row_has_rule[static_cast<std::size_t>(y)] = 1;
    }
  }
  std::vector<int> done(static_cast<std::size_t>(W), 0);
  for (int y = long_v - 1; y < H; y += long_v) {
    const std::uint8_t* row = &ink[static_cast<std::size_t>(y) * W];
    for (int x = 0; x < W; ++x) {
      if (!row[x] || y < done[static_cast<std::size_t>(x)]) continue;
      auto at = [&](int k) { return ink[static_cast<std::size_t>(k) * W + x]; };
      int a = y, b = y + 1;
      while (a > 0 && at(a - 1)) --a;
      while (b < H && at(b)) ++b;
      done[static_cast<std::size_t>(x)] = b;
      if (b - a < long_v) continue;
      for (int k = a; k < b; ++k) {
        rule[static_cast<std::size_t>(k) * W + x] = 1;
        row_has_rule[static_cast<std::size_t>(k)] = 1;
      }
    }
  }
  // Cells a quarter of a line high; a cell holds text when it has ink that
  // is no rule (nor next to one) and lies outside every line already read.
  // Counted down each cell row's columns first, then across its cells.
  const int cs = std::max(2, lh / 4);
  const int gw = (W + cs - 1) / cs, gh = (H + cs - 1) / cs;
  std::vector<int> count(static_cast<std::size_t>(gw) * gh, 0);
  std::vector<int> column(static_cast<std::size_t>(W), 0);
  for (int cy = 0; cy < gh; ++cy) {
    std::fill(column.begin(), column.end(), 0);
    for (int y = std::max(1, cy * cs); y < std::min(H - 1, cy * cs + cs); ++y) {
      const std::size_t i = static_cast<std::size_t>(y) * W;
      const std::uint8_t *in = &ink[i], *r = &rule[i], *up = &rule[i - W], *down = &rule[i + W];
      int* col = column.data();
      if (!row_has_rule[static_cast<std::size_t>(y) - 1] && !row_has_rule[static_cast<std::size_t>(y)] &&
          !row_has_rule[static_cast<std::size_t>(y) + 1]) {
        for (int x = 1; x + 1 < W; ++x) col[x] += in[x];
      } else {
        for (int x = 1; x + 1 < W; ++x) col[x] += in[x] & !(r[x] | r[x - 1] | r[x + 1] | up[x] | down[x]);
      }
    }
    int* counts = &count[static_cast<std::size_t>(cy) * gw];
    for (int c = 0; c < gw; ++c)
      for (int x = c * cs; x < std::min(W, c * cs + cs); ++x) counts[c] += column[static_cast<std::size_t>(x)];
  }
  std::vector<std::uint8_t> cell(count.size(), 0);
  for (std::size_t i = 0; i < cell.size(); ++i) cell[i] = count[i] >= std::max(3, cs * cs / 40);
  for (const BBox& b : covered) {
    const int cx0 = std::max(0, static_cast<int>(b.x0 * W) / cs - 1), cx1 = std::min(gw, static_cast<int>(b.x1 * W) / cs + 2);
    const int cy0 = std::max(0, static_cast<int>(b.y0 * H) / cs - 1), cy1 = std::min(gh, static_cast<int>(b.y1 * H) / cs + 2);
    for (int y = cy0; y < cy1; ++y)
      for (int x = cx0; x < cx1; ++x) cell[static_cast<std::size_t>(y) * gw + x] = 0;
  }
  // Components, glyphs of a line joined across gaps of up to 3/4 of a line.
  const int join = std::max(1, 3 * lh / (4 * cs));
  std::vector<int> stack;
  for (int start = 0; start < gw * gh; ++start) {
    if (!cell[static_cast<std::size_t>(start)]) continue;
    int bx0 = start % gw, by0 = start / gw, bx1 = bx0 + 1, by1 = by0 + 1, n = 0;
    cell[static_cast<std::size_t>(start)] = 0;
    stack.assign(1, start);
    while (!stack.empty()) {
      const int i = stack.back();
      stack.pop_back();
      const int x = i % gw, y = i / gw;
      ++n;
      bx0 = std::min(bx0, x); bx1 = std::max(bx1, x + 1); by0 = std::min(by0, y); by1 = std::max(by1, y + 1);
      for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -join; dx <= join; ++dx) {
          const int nx = x + dx, ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= gw || ny >= gh || !cell[static_cast<std::size_t>(ny) * gw + nx]) continue;
          cell[static_cast<std::size_t>(ny) * gw + nx] = 0;
          stack.push_back(ny * gw + nx);
        }
    }
    const int pw = (bx1 - bx0) * cs, ph = (by1 - by0) * cs;
    // A line of at least two glyphs, as tall as a line (not a paragraph, not a speck).
    if (ph < lh / 2 || ph > 2 * lh || pw < 2 * lh || n < 6) continue;
    out.push_back({static_cast<double>(bx0 * cs) / W, static_cast<double>(by0 * cs) / H,
                   static_cast<double>(std::min(W, bx1 * cs)) / W, static_cast<double>(std::min(H, by1 * cs)) / H});
  }
  std::sort(out.begin(), out.end(), [](const BBox& a, const BBox& b) { return a.y0 < b.y0 || (a.y0 == b.y0 && a.x0 < b.x0); });
  return out;
}

std::string LeptonicaVersion() {
  char* v = getLeptonicaVersion();  // "leptonica-1.82.0", caller frees
  std::string s = v ? v : "";
  lept_free(v);
  auto dash = s.find('-');
  return dash == std::string::npos ? s : s.substr(dash + 1);
}

}  // namespace pingcha::preprocess
