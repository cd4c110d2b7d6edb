// Field readers of stages/catalogue/fields.h on arbitrary lines:
// ParseOfficers, ParseSeizureDays.
#include <cstddef>
#include <cstdint>
#include <string>

#include "stages/catalogue/fields.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)pingcha::catalogue::ParseOfficers(text);
  (void)pingcha::catalogue::ParseSeizureDays(text);
  return 0;
}
