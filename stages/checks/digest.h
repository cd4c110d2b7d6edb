// SHA-256 of bytes or of a file, as lowercase hex (OpenSSL). Thread-safe.
#pragma once

#include <string>

#include "models/status.h"

namespace pingcha::checks {

std::string Sha256Hex(const std::string& bytes);
// Errors: unreadable (missing, a symbolic link loop, no permission, or not a
// regular file: a FIFO is never opened, so this never blocks), io_error.
Result<std::string> Sha256File(const std::string& path);

}  // namespace pingcha::checks
