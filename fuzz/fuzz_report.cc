// report::FromJson on arbitrary text (a report on disk may be damaged):
// a Case or an error, never a crash. A report read back is written and read
// again: ToJson of it must parse. The same for PageFromJson (the page cache
// in the run state).
#include <cstddef>
#include <cstdint>
#include <string>

#include "stages/report/report.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  if (auto p = pingcha::report::PageFromJson(text); p.ok()) {
    if (!pingcha::report::PageFromJson(pingcha::report::PageToJson(*p)).ok()) __builtin_trap();
  }
  auto c = pingcha::report::FromJson(text, "fuzz.json");
  if (!c.ok()) return 0;
  std::string json = pingcha::report::ToJson(*c);
  auto again = pingcha::report::FromJson(json, "fuzz.json");
  if (!again.ok()) __builtin_trap();
  if (pingcha::report::ToJson(*again) != json) __builtin_trap();  // stable after one round
  return 0;
}
