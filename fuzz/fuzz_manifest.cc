// pingcha::ParseManifest on arbitrary manifest.csv text: rows or a
// bad_argument error; no accepted path may leave the archive. Also
// EscapeNonUtf8 and CaseIdFor on the same bytes.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "pipeline/archive.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto rows = pingcha::ParseManifest(text, "manifest.csv");
  if (rows.ok()) {
    for (const auto& [path, row] : *rows) {
      std::filesystem::path p(path);
      if (p.is_absolute()) __builtin_trap();
      for (const auto& part : p)
        if (part == "..") __builtin_trap();
    }
  } else if (rows.status().code() != "bad_argument") {
    __builtin_trap();
  }
  std::string escaped = pingcha::EscapeNonUtf8(text);
  if (pingcha::EscapeNonUtf8(escaped) != escaped) __builtin_trap();  // the result is valid UTF-8
  (void)pingcha::CaseIdFor(escaped);
  return 0;
}
