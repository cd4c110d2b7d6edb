#include "stages/ingest/resample.h"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <array>
#include <cstdint>
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

}  // namespace

std::optional<Image> ScaleLinearToRgb(PIX* pix, float scalex, float scaley, int dpi) {
  if (!pix || pixGetColormap(pix)) return std::nullopt;
  const int depth = pixGetDepth(pix);
  if (depth != 8 && depth != 32) return std::nullopt;
  if (std::max(scalex, scaley) < 0.7f) return std::nullopt;
  for (float special : {1.0f, 2.0f, 4.0f})
    if (scalex == special && scaley == special) return std::nullopt;
  const int ws = pixGetWidth(pix), hs = pixGetHeight(pix);
  const int wd = static_cast<int>(scalex * static_cast<float>(ws) + 0.5);
  const int hd = static_cast<int>(scaley * static_cast<float>(hs) + 0.5);
  if (ws < 1 || hs < 1 || wd < 1 || hd < 1) return std::nullopt;
  const std::vector<Tap> across = Taps(ws, wd), down = Taps(hs, hd);
  const int channels = depth == 32 ? 3 : 1;
  const l_uint32* data = pixGetData(pix);
  const int wpl = pixGetWpl(pix);

  // A source row interpolated along its length, in 256ths (at most 16 × 255).
  std::vector<std::uint8_t> unpacked(static_cast<std::size_t>(ws) * channels);
  auto interpolate_row = [&](int y, std::vector<std::uint16_t>& out) {
    const l_uint32* line = data + static_cast<std::ptrdiff_t>(y) * wpl;
    std::uint8_t* u = unpacked.data();
    if (channels == 3) {
      for (int x = 0; x < ws; ++x) {
        const l_uint32 v = line[x];
        u[3 * x] = static_cast<std::uint8_t>(v >> L_RED_SHIFT);
        u[3 * x + 1] = static_cast<std::uint8_t>(v >> L_GREEN_SHIFT);
        u[3 * x + 2] = static_cast<std::uint8_t>(v >> L_BLUE_SHIFT);
      }
    } else {
      for (int x = 0; x < ws; ++x) u[x] = static_cast<std::uint8_t>(GET_DATA_BYTE(line, x));
    }
    out.resize(static_cast<std::size_t>(wd) * channels);
    std::uint16_t* o = out.data();
    for (int j = 0; j < wd; ++j) {
      const Tap& t = across[static_cast<std::size_t>(j)];
      const std::uint8_t* a = u + static_cast<std::ptrdiff_t>(t.at) * channels;
      const std::uint8_t* b = u + static_cast<std::ptrdiff_t>(t.next) * channels;
      for (int c = 0; c < channels; ++c)
        *o++ = static_cast<std::uint16_t>((16 - t.frac) * a[c] + t.frac * b[c]);
    }
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

  Image out;
  out.width = wd;
  out.height = hd;
  out.channels = 3;
  out.dpi = dpi;
  out.pixels.resize(static_cast<std::size_t>(wd) * hd * 3);
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

}  // namespace pingcha::ingest
