#include "stages/ingest/jpeg.h"

#include "stages/ingest/resample.h"

#include <algorithm>
#include <csetjmp>
#include <cstdio>  // jpeglib.h needs FILE and size_t declared first
#include <cstring>
#include <utility>

#include <jpeglib.h>

namespace pingcha::ingest {
namespace {

// libjpeg reports errors through callbacks that must not return: the
// decode jumps back to where it began. Warnings (damaged data) while the
// pixels are read end it too; after the last row (junk before the end
// marker) they do not, as Leptonica counts warnings only up to there.
struct ErrorTrap {
  jpeg_error_mgr mgr;
  std::jmp_buf jump;
  bool rows_read = false;
};

[[noreturn]] void Fail(j_common_ptr cinfo) { std::longjmp(reinterpret_cast<ErrorTrap*>(cinfo->err)->jump, 1); }
void WarnOrTrace(j_common_ptr cinfo, int level) {
  if (level < 0 && !reinterpret_cast<ErrorTrap*>(cinfo->err)->rows_read) Fail(cinfo);  // damaged data
}

// Leptonica refuses an image of 2^31 bytes or more (32 bits a pixel); so
// does this, before allocating it.
constexpr std::uint64_t kMostBytes = std::uint64_t{1} << 31;

// Everything that may jump back lives here, its state in `cinfo` and `out`
// (the caller's), none in locals set after setjmp.
bool Decode(jpeg_decompress_struct* cinfo, ErrorTrap* trap, const std::uint8_t* data, std::size_t size,
            DecodedJpeg* out) {
  if (setjmp(trap->jump)) return false;
  jpeg_create_decompress(cinfo);
  jpeg_mem_src(cinfo, data, static_cast<unsigned long>(size));
  if (jpeg_read_header(cinfo, TRUE) != JPEG_HEADER_OK) return false;
  if (cinfo->num_components != 1 && cinfo->num_components != 3) return false;
  if (cinfo->jpeg_color_space != JCS_GRAYSCALE && cinfo->jpeg_color_space != JCS_YCbCr &&
      cinfo->jpeg_color_space != JCS_RGB)
    return false;
  jpeg_calc_output_dimensions(cinfo);
  if (std::uint64_t{cinfo->output_width} * cinfo->output_height * 4 >= kMostBytes) return false;
  jpeg_start_decompress(cinfo);
  const int channels = cinfo->output_components;
  if (channels != 1 && channels != 3) return false;
  out->image.width = static_cast<int>(cinfo->output_width);
  out->image.height = static_cast<int>(cinfo->output_height);
  out->image.channels = channels;
  out->image.pixels.resize(static_cast<std::size_t>(cinfo->output_width) * cinfo->output_height * channels);
  const std::size_t stride = static_cast<std::size_t>(cinfo->output_width) * channels;
  while (cinfo->output_scanline < cinfo->output_height) {
    JSAMPROW rows[16];
    const JDIMENSION first = cinfo->output_scanline;
    const JDIMENSION n = std::min<JDIMENSION>(16, cinfo->output_height - first);
    for (JDIMENSION k = 0; k < n; ++k) rows[k] = out->image.pixels.data() + (first + k) * stride;
    if (jpeg_read_scanlines(cinfo, rows, n) == 0) return false;
  }
  trap->rows_read = true;
  // As Leptonica: pixels per inch, or per centimetre converted.
  if (cinfo->density_unit == 1) out->xres = cinfo->X_density;
  else if (cinfo->density_unit == 2) out->xres = static_cast<int>(static_cast<float>(cinfo->X_density) * 2.54 + 0.5);
  jpeg_finish_decompress(cinfo);
  return true;
}

}  // namespace

std::optional<DecodedJpeg> DecodeJpeg(const std::uint8_t* data, std::size_t size) {
  if (!data || size < 4) return std::nullopt;
  jpeg_decompress_struct cinfo;
  std::memset(&cinfo, 0, sizeof cinfo);
  ErrorTrap trap;
  cinfo.err = jpeg_std_error(&trap.mgr);
  trap.mgr.error_exit = Fail;
  trap.mgr.emit_message = WarnOrTrace;
  DecodedJpeg out;
  struct Destroy {
    jpeg_decompress_struct* c;
    ~Destroy() { jpeg_destroy_decompress(c); }
  } destroy{&cinfo};
  if (!Decode(&cinfo, &trap, data, size, &out)) return std::nullopt;
  return out;
}

Image ExpandedToRgb(Image image, int dpi) {
  image.dpi = dpi;
  if (image.channels != 1) return image;
  Image rgb = RgbImage(image.width, image.height, dpi);
  for (std::size_t i = 0; i < image.pixels.size(); ++i)
    rgb.pixels[3 * i] = rgb.pixels[3 * i + 1] = rgb.pixels[3 * i + 2] = image.pixels[i];
  return rgb;
}

}  // namespace pingcha::ingest
