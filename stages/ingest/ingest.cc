#include "stages/ingest/ingest.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace pingcha::ingest {

std::unique_ptr<Source> OpenPdf(const std::string& path, const Limits& limits, Status* status);
std::unique_ptr<Source> OpenImageFolder(const std::string& path, const Limits& limits,
                                        Status* status);

bool LooksLikePdf(const std::string& first_bytes) {
  // The header may follow a little junk; readers accept it within 1 KiB.
  return first_bytes.find("%PDF-") != std::string::npos;
}

bool IsPageImageName(const std::string& filename) {
  auto dot = filename.rfind('.');
  if (dot == std::string::npos || filename[0] == '.') return false;
  std::string ext = filename.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return ext == "jpg" || ext == "jpeg" || ext == "png" || ext == "tif" || ext == "tiff";
}

Result<std::unique_ptr<Source>> Open(const std::string& path, const Limits& limits) {
  namespace fs = std::filesystem;
  std::error_code ec;
  auto st = fs::status(path, ec);  // follows symbolic links: a loop fails here (ELOOP)
  if (ec && ec != std::errc::no_such_file_or_directory)
    return Status("unreadable", path + ": cannot open: " + ec.message());
  if (!fs::exists(st)) return Status("unreadable", path + ": cannot open: no such file (a dangling link?)");
  Status status;
  std::unique_ptr<Source> source;
  if (fs::is_directory(st)) {
    source = OpenImageFolder(path, limits, &status);
  } else {
    // A FIFO, socket or device named .pdf: opening a FIFO would block forever.
    if (!fs::is_regular_file(st))
      return Status("unreadable", path + ": not a regular file (a FIFO, socket or device); not read");
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status("unreadable", path + ": cannot open for reading: " + std::strerror(errno));
    std::string head(1024, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    if (head.empty()) return Status("not_a_pdf", path + ": the file is empty (0 bytes)");
    if (!LooksLikePdf(head)) {
      if (IsPageImageName(fs::path(path).filename().string())) {
        return Status("not_a_pdf",
                      path + ": a single image is not a case file; put its pages in a folder");
      }
      return Status("not_a_pdf", path + ": not a PDF file (no %PDF- header)");
    }
    source = OpenPdf(path, limits, &status);
  }
  if (!status.ok()) return status;
  return source;
}

}  // namespace pingcha::ingest
