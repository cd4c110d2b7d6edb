#include "stages/ingest/resample.h"

#include <algorithm>
#ifdef __x86_64__
#include <immintrin.h>
#endif
#include <array>
#include <cstdint>
#include <utility>
#include <vector>

namespace pingcha::ingest {
namespace {

// Where an output column (or row) falls on the source: the source index of
// its corner, the index interpolated with (the same one at the last), and
// the sixteenth of a pixel between them.
struct Tap {
  int at, next, frac;
};

std::vector<Tap> Taps(int source, int target) {
  // The step in sixteenths of a source pixel, computed in double and kept
  // as a float, then each position truncated, as Leptonica does: the same
  // taps to the last bit.
  const float step = static_cast<float>(16. * static_cast<float>(source) / static_cast<float>(target));
  std::vector<Tap> taps(static_cast<std::size_t>(target));
  for (int k = 0; k < target; ++k) {
    const int pos = static_cast<int>(step * static_cast<float>(k));
    const int at = pos >> 4;
    taps[static_cast<std::size_t>(k)] = {at, at > source - 2 ? at : at + 1, pos & 15};
  }
  return taps;
}

// The size a `ws` × `hs` image scales to, rounded as Leptonica rounds it.
std::pair<int, int> ScaledSize(int ws, int hs, float scalex, float scaley) {
  return {static_cast<int>(scalex * static_cast<float>(ws) + 0.5), static_cast<int>(scaley * static_cast<float>(hs) + 0.5)};
}

// Row `y` of a grey or RGB image.
const std::uint8_t* RowOf(const Image& src, int y) {
  return src.pixels.data() + static_cast<std::ptrdiff_t>(y) * src.width * src.channels;
}

// The source pixels an output column (or row) covers, in sixteenths: from
// `first` (its share 16 - `first_frac`) to `last` (its share `last_frac`),
// whole ones between; `edge` where the span reaches the last two source
// pixels (Leptonica then takes the first pixel as it is).
struct Span {
  int first, first_frac, last, last_frac;
  bool edge;
  int weight(int k) const { return k == 0 ? 16 - first_frac : first + k == last ? last_frac : 16; }  // of first + k
  int total() const { return (16 - first_frac) + 16 * (last - first - 1) + last_frac; }
};

// n / d for 0 <= n < 2^24 by a multiplication (d > 0): with l = ⌈log2 d⌉,
// m = ⌊2^(24+l) / d⌋ + 1 gives ⌊n·m / 2^(24+l)⌋ = ⌊n / d⌋ exactly
// (Granlund and Montgomery). A division per pixel and channel was most of
// the area mapping's time.
struct Divider {
  std::uint64_t m = 1;
  int shift = 0;
  explicit Divider(std::uint32_t d) {
    int l = 0;
    while ((std::uint64_t{1} << l) < d) ++l;
    shift = 24 + l;
    m = (std::uint64_t{1} << shift) / d + 1;
  }
  std::uint32_t operator()(std::uint32_t n) const { return static_cast<std::uint32_t>((n * m) >> shift); }
};

std::vector<Span> Spans(int source, int target) {
  // The step in sixteenths, computed in double and kept as a float; a
  // span's start is a float product, its end a double one, each truncated,
  // as Leptonica's area mapping computes them.
  const float step = static_cast<float>(16. * static_cast<float>(source) / static_cast<float>(target));
  std::vector<Span> spans(static_cast<std::size_t>(target));
  for (int k = 0; k < target; ++k) {
    const int from = static_cast<int>(step * static_cast<float>(k));
    const int to = static_cast<int>(static_cast<double>(step) * (k + 1.0));
    spans[static_cast<std::size_t>(k)] = {from >> 4, from & 15, to >> 4, to & 15, (to >> 4) > source - 2};
  }
  return spans;
}

// Leptonica's general area mapping (factors under 0.7): each output pixel
// the average of the source pixels its square covers, weighted by the
// sixteenths covered, rounded; at the right and bottom edges the first
// source pixel as it is. The weights factor by rows and columns: summed
// along each source row first, then down — the same integers.
std::optional<Image> AreaMapToRgb(const Image& src, float scalex, float scaley, int dpi) {
  for (float special : {0.5f, 0.25f, 0.125f, 0.0625f})  // Leptonica's own 2× reductions
    if (scalex == special && scaley == special) return std::nullopt;
  const int ws = src.width, hs = src.height;
  const auto [wd, hd] = ScaledSize(ws, hs, scalex, scaley);
  if (ws < 2 || hs < 2 || wd < 1 || hd < 1) return std::nullopt;
  const std::vector<Span> across = Spans(ws, wd), down = Spans(hs, hd);
  // Every span covers two source pixels or more at these factors.
  for (const auto& spans : {&across, &down})
    for (const Span& sp : *spans)
      if (sp.last <= sp.first) return std::nullopt;
  const int channels = src.channels;
  // Source rows summed along their length, the rows in use kept in a ring
  // (a span of rows is never longer than the ring).
  int longest = 1;
  for (const Span& sp : down) longest = std::max(longest, sp.last - sp.first + 1);
  const std::size_t ring = static_cast<std::size_t>(longest) + 1;
  std::vector<std::vector<std::uint32_t>> sums(ring);
  std::vector<int> sum_of(ring, -1);
  auto row_sums = [&](int y) -> const std::uint32_t* {
    const std::size_t slot = static_cast<std::size_t>(y) % ring;
    if (sum_of[slot] == y) return sums[slot].data();
    const std::uint8_t* u = RowOf(src, y);
    std::vector<std::uint32_t>& out = sums[slot];
    out.assign(static_cast<std::size_t>(wd) * channels, 0);
    for (int j = 0; j < wd; ++j) {
      const Span& sp = across[static_cast<std::size_t>(j)];
      if (sp.edge) continue;
      const std::uint32_t head = 16 - static_cast<std::uint32_t>(sp.first_frac), tail = static_cast<std::uint32_t>(sp.last_frac);
      std::uint32_t* o = out.data() + static_cast<std::size_t>(j) * channels;
      const std::uint8_t* a = u + static_cast<std::ptrdiff_t>(sp.first) * channels;
      const std::uint8_t* b = u + static_cast<std::ptrdiff_t>(sp.last) * channels;
      for (int c = 0; c < channels; ++c) {
        std::uint32_t middle = 0;
        for (const std::uint8_t* m = a + channels + c; m < b; m += channels) middle += *m;
        o[c] = head * a[c] + 16 * middle + tail * b[c];
      }
    }
    sum_of[slot] = y;
    return out.data();
  };

  Image out = RgbImage(wd, hd, dpi);
  std::vector<std::uint32_t> total(static_cast<std::size_t>(wd) * channels);
  // The columns' sixteenths take a few values: each column's kind, and per
  // row a divider for each kind's area.
  std::vector<int> widths;
  std::vector<std::uint8_t> kind(static_cast<std::size_t>(wd), 0);
  for (int j = 0; j < wd; ++j) {
    const int t = across[static_cast<std::size_t>(j)].total();
    auto it = std::find(widths.begin(), widths.end(), t);
    if (it == widths.end()) {
      if (widths.size() == 255) return std::nullopt;
      it = widths.insert(widths.end(), t);
    }
    kind[static_cast<std::size_t>(j)] = static_cast<std::uint8_t>(it - widths.begin());
  }
  int tallest = 0;
  for (const Span& sp : down) tallest = std::max(tallest, sp.total());
  if (static_cast<std::uint64_t>(*std::max_element(widths.begin(), widths.end())) * tallest * 255 + 128 >= (1u << 24))
    return std::nullopt;  // beyond the dividers' range (a reduction past 1/16)
  std::vector<Divider> by_kind;
  for (int i = 0; i < hd; ++i) {
    const Span& rows = down[static_cast<std::size_t>(i)];
    std::uint8_t* dst = out.pixels.data() + static_cast<std::size_t>(i) * wd * 3;
    const std::uint8_t* first_row = RowOf(src, rows.first);
    // Where the span reaches an edge: the first source pixel as it is.
    auto copy_first = [&](int j) {
      const std::uint8_t* p = first_row + static_cast<std::ptrdiff_t>(across[static_cast<std::size_t>(j)].first) * channels;
      for (int c = 0; c < 3; ++c) dst[3 * j + c] = p[channels == 3 ? c : 0];
    };
    if (rows.edge) {
      for (int j = 0; j < wd; ++j) copy_first(j);
      continue;
    }
    std::fill(total.begin(), total.end(), 0u);
    for (int y = rows.first; y <= rows.last; ++y) {
      const std::uint32_t w = static_cast<std::uint32_t>(rows.weight(y - rows.first));
      const std::uint32_t* sum = row_sums(y);
      for (std::size_t k = 0; k < total.size(); ++k) total[k] += w * sum[k];
    }
    by_kind.clear();
    for (int w : widths) by_kind.emplace_back(static_cast<std::uint32_t>(w * rows.total()));
    for (int j = 0; j < wd; ++j) {
      const Span& cols = across[static_cast<std::size_t>(j)];
      if (cols.edge) {
        copy_first(j);
        continue;
      }
      const Divider& by_area = by_kind[kind[static_cast<std::size_t>(j)]];
      for (int c = 0; c < 3; ++c) {
        const std::uint32_t t = total[static_cast<std::size_t>(j) * channels + (channels == 3 ? c : 0)];
        dst[3 * j + c] = static_cast<std::uint8_t>(by_area(t + 128));
      }
    }
  }
  return out;
}

// A source row interpolated along its length at the output's columns:
// each output value (a pixel's channel) is (16 - frac) · a + frac · b of
// two source values. Planned once per image in blocks of eight values;
// where a block's sources lie within sixteen bytes (scaling up, and down
// to about 0.8), its values are picked by one byte shuffle and weighted
// eight at a time (AVX2 machines); other blocks value by value. The same
// integers either way.
class AlongRow {
 public:
  AlongRow(const std::vector<Tap>& taps, int source_width, int channels, bool vectors) {
    const int n = static_cast<int>(taps.size()) * channels;
    a_.resize(static_cast<std::size_t>(n));
    b_.resize(static_cast<std::size_t>(n));
    frac_.resize(static_cast<std::size_t>(n));
    for (int k = 0; k < n; ++k) {
      const Tap& t = taps[static_cast<std::size_t>(k / channels)];
      a_[static_cast<std::size_t>(k)] = t.at * channels + k % channels;
      b_[static_cast<std::size_t>(k)] = t.next * channels + k % channels;
      frac_[static_cast<std::size_t>(k)] = static_cast<std::uint16_t>(t.frac);
    }
#ifdef __x86_64__
    if (!vectors || !__builtin_cpu_supports("avx2")) return;
    const int row_bytes = source_width * channels;
    for (int k0 = 0; k0 + 8 <= n; k0 += 8) {
      Block block;
      block.first = k0;
      block.base = *std::min_element(&a_[static_cast<std::size_t>(k0)], &a_[static_cast<std::size_t>(k0)] + 8);
      const int top = *std::max_element(&b_[static_cast<std::size_t>(k0)], &b_[static_cast<std::size_t>(k0)] + 8);
      if (top - block.base > 15 || block.base + 16 > row_bytes) continue;
      for (int i = 0; i < 8; ++i) {
        const auto k = static_cast<std::size_t>(k0 + i);
        block.pick[i] = static_cast<std::uint8_t>(a_[k] - block.base);
        block.pick[8 + i] = static_cast<std::uint8_t>(b_[k] - block.base);
        block.weight_a[i] = static_cast<std::uint16_t>(16 - frac_[k]);
        block.weight_b[i] = frac_[k];
      }
      blocks_.push_back(block);
    }
#else
    (void)source_width;
    (void)vectors;
#endif
  }

  void Interpolate(const std::uint8_t* u, std::uint16_t* out) const {
    int k = 0;
#ifdef __x86_64__
    if (!blocks_.empty()) k = Blocks(u, out);
#endif
    Values(u, out, k, static_cast<int>(a_.size()));
  }

 private:
  struct Block {
    int first, base;
    alignas(16) std::uint8_t pick[16];  // a's then b's, from base
    alignas(16) std::uint16_t weight_a[8], weight_b[8];
  };

  void Values(const std::uint8_t* u, std::uint16_t* out, int from, int to) const {
    for (int k = from; k < to; ++k) {
      const auto i = static_cast<std::size_t>(k);
      out[k] = static_cast<std::uint16_t>((16 - frac_[i]) * u[a_[i]] + frac_[i] * u[b_[i]]);
    }
  }

#ifdef __x86_64__
  // The planned blocks, and the values between them value by value; returns
  // where the rest begins.
  __attribute__((target("avx2"))) int Blocks(const std::uint8_t* u, std::uint16_t* out) const {
    int k = 0;
    for (const Block& block : blocks_) {
      Values(u, out, k, block.first);
      const __m128i source = _mm_loadu_si128(reinterpret_cast<const __m128i*>(u + block.base));
      const __m128i picked = _mm_shuffle_epi8(source, _mm_load_si128(reinterpret_cast<const __m128i*>(block.pick)));
      const __m128i a = _mm_cvtepu8_epi16(picked), b = _mm_cvtepu8_epi16(_mm_srli_si128(picked, 8));
      const __m128i value = _mm_add_epi16(_mm_mullo_epi16(a, _mm_load_si128(reinterpret_cast<const __m128i*>(block.weight_a))),
                                          _mm_mullo_epi16(b, _mm_load_si128(reinterpret_cast<const __m128i*>(block.weight_b))));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + block.first), value);
      k = block.first + 8;
    }
    return k;
  }
#endif

  std::vector<int> a_, b_;
  std::vector<std::uint16_t> frac_;
  std::vector<Block> blocks_;
};

// Leptonica's linear interpolation (factors of 0.7 and more), for an image
// ScaleToRgb has checked.
std::optional<Image> ScaleLinearToRgb(const Image& src, float scalex, float scaley, int dpi, bool vectors) {
  for (float special : {1.0f, 2.0f, 4.0f})
    if (scalex == special && scaley == special) return std::nullopt;
  const int ws = src.width, hs = src.height;
  const auto [wd, hd] = ScaledSize(ws, hs, scalex, scaley);
  if (ws < 1 || hs < 1 || wd < 1 || hd < 1) return std::nullopt;
  const std::vector<Tap> across = Taps(ws, wd), down = Taps(hs, hd);
  const int channels = src.channels;

  // A source row interpolated along its length, in 256ths (at most 16 × 255).
  const AlongRow along(across, ws, channels, vectors);
  auto interpolate_row = [&](int y, std::vector<std::uint16_t>& out) {
    out.resize(static_cast<std::size_t>(wd) * channels);
    along.Interpolate(RowOf(src, y), out.data());
  };
  // The two source rows in use, each interpolated once.
  std::array<std::vector<std::uint16_t>, 2> rows;
  std::array<int, 2> row_of{-1, -1};
  auto row = [&](int y, int keep) -> const std::vector<std::uint16_t>& {
    for (int s = 0; s < 2; ++s)
      if (row_of[static_cast<std::size_t>(s)] == y) return rows[static_cast<std::size_t>(s)];
    const std::size_t s = row_of[0] == keep ? 1 : 0;
    interpolate_row(y, rows[s]);
    row_of[s] = y;
    return rows[s];
  };

  Image out = RgbImage(wd, hd, dpi);
  const std::size_t n = static_cast<std::size_t>(wd) * channels;
  for (int i = 0; i < hd; ++i) {
    const Tap& t = down[static_cast<std::size_t>(i)];
    const std::uint16_t* top = row(t.at, t.next).data();
    const std::uint16_t* bottom = row(t.next, t.at).data();
    const unsigned wt = 16 - t.frac, wb = t.frac;
    std::uint8_t* dst = out.pixels.data() + static_cast<std::size_t>(i) * wd * 3;
    if (channels == 3) {
      for (std::size_t k = 0; k < n; ++k) dst[k] = static_cast<std::uint8_t>((wt * top[k] + wb * bottom[k] + 128) >> 8);
    } else {
      for (std::size_t k = 0; k < n; ++k) {
        const auto v = static_cast<std::uint8_t>((wt * top[k] + wb * bottom[k] + 128) >> 8);
        dst[3 * k] = dst[3 * k + 1] = dst[3 * k + 2] = v;
      }
    }
  }
  return out;
}

}  // namespace

Image RgbImage(int width, int height, int dpi) {
  Image out;
  out.width = width;
  out.height = height;
  out.channels = 3;
  out.dpi = dpi;
  out.pixels.resize(static_cast<std::size_t>(width) * height * 3);
  return out;
}

std::optional<Image> ScaleToRgb(const Image& src, float scalex, float scaley, int dpi, bool vectors) {
  if (src.channels != 1 && src.channels != 3) return std::nullopt;
  if (src.pixels.size() != static_cast<std::size_t>(src.width) * src.height * src.channels) return std::nullopt;
  if (std::max(scalex, scaley) < 0.7f) return AreaMapToRgb(src, scalex, scaley, dpi);
  return ScaleLinearToRgb(src, scalex, scaley, dpi, vectors);
}

}  // namespace pingcha::ingest
