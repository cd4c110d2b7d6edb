// ring_probe: how a seal's ring reads against candidate names — for tuning
// and for answering "why was this seal's owner not recognised".
//
//   build/ring_probe SEAL.png COHORT.txt NAME [NAME...]
//
// SEAL.png: a colour crop holding one seal (an evidence crop under
// OUT/evidence/ will do). COHORT.txt: text whose Han characters are the
// cohort (a page's OCR text). Prints, per name and number of unnamed
// characters before it (0–6), the agreement and each character's rank.
// Says whether a seal was found (if not, the whole image is unwrapped).
// RING_PROBE_DPI: the image's resolution (default 200). RING_PROBE_STRIP=PATH
// writes the unwrapped strip there (never beside SEAL.png, which may sit in
// an archive under review).
#include <leptonica/allheaders.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "stages/catalogue/text.h"
#include "stages/seals/ring_match.h"
#include "stages/seals/seals.h"

using namespace pingcha;

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: ring_probe SEAL.png COHORT.txt NAME [NAME...]\n");
    return 2;
  }
  PIX* pix = pixRead(argv[1]);
  if (!pix) { std::fprintf(stderr, "%s: cannot read image\n", argv[1]); return 1; }
  PIX* p32 = pixConvertTo32(pix);
  Image rgb;
  rgb.width = pixGetWidth(p32);
  rgb.height = pixGetHeight(p32);
  rgb.dpi = std::getenv("RING_PROBE_DPI") ? std::atoi(std::getenv("RING_PROBE_DPI")) : 200;
  rgb.pixels.resize(static_cast<std::size_t>(rgb.width) * rgb.height * 3);
  for (int y = 0; y < rgb.height; ++y)
    for (int x = 0; x < rgb.width; ++x) {
      l_int32 r, g, b;
      l_uint32 v;
      pixGetPixel(p32, x, y, &v);
      extractRGBValues(v, &r, &g, &b);
      std::uint8_t* o = rgb.pixels.data() + (static_cast<std::size_t>(y) * rgb.width + x) * 3;
      o[0] = static_cast<std::uint8_t>(r); o[1] = static_cast<std::uint8_t>(g); o[2] = static_cast<std::uint8_t>(b);
    }
  pixDestroy(&p32);
  pixDestroy(&pix);
  if (const char* gain = std::getenv("RING_PROBE_STRENGTHEN")) rgb = seals::StrengthenedInk(rgb, std::atof(gain));
  auto found = seals::FindSeals(rgb);
  BBox box{0.01, 0.01, 0.99, 0.99};
  if (!found.empty()) box = found[0].box;
  Image strip = seals::RingStrip(rgb, seals::FitRing(rgb, box));
  if (const char* out = std::getenv("RING_PROBE_STRIP")) (void)seals::WriteCrop(strip, {0, 0, 1, 1}, 0, out, 5000);
  if (found.empty()) std::printf("no seal found: the whole image unwrapped\n");
  else std::printf("seal found (%s)\n", found[0].shape.c_str());
  std::ifstream in(argv[2]);
  std::stringstream ss;
  ss << in.rdbuf();
  std::u32string cohort;
  std::set<char32_t> seen;
  for (char32_t ch : catalogue::ToU32(ss.str()))
    if (ch >= 0x4E00 && ch <= 0x9FFF && seen.insert(ch).second) cohort += ch;
  seals::GlyphRenderer glyphs;
  std::printf("strip %dx%d, cohort %zu, fonts:", strip.width, strip.height, cohort.size());
  for (const auto& f : glyphs.fonts()) std::printf(" %s", f.c_str());
  std::printf("\n");
  seals::RingComparer ring(strip, cohort, glyphs);
  for (int a = 3; a < argc; ++a) {
    std::u32string name = catalogue::ToU32(argv[a]);
    const char* only = std::getenv("RING_PREFIX");  // one placement only (with PINGCHA_RING_DUMP)
    for (int prefix = only ? std::atoi(only) : 0; prefix <= (only ? std::atoi(only) : 6); ++prefix) {
      auto m = ring.Match(name, prefix);
      std::printf("%s +%d mean rank %.3f:", argv[a], prefix, m.mean_rank);
      for (double r : m.ranks) std::printf(" %.2f", r);
      std::printf("\n");
    }
  }
  return 0;
}
