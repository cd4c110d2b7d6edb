#include "pipeline/archive.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace pingcha {
namespace {

namespace fs = std::filesystem;

bool IsYear(const std::string& s) {
  return s.size() == 4 && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); }) &&
         (s[0] == '1' || s[0] == '2');
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool IsImage(const fs::path& p) {
  std::string e = Lower(p.extension().string());
  return e == ".jpg" || e == ".jpeg" || e == ".png" || e == ".tif" || e == ".tiff";
}

std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') { cur += '"'; ++i; }
      else if (c == '"') quoted = false;
      else cur += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(cur);
      cur.clear();
    } else if (c != '\r') {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

// path (relative, '/' separated, extension kept) → row.
Result<std::map<std::string, ManifestRow>> ReadManifest(const fs::path& root) {
  fs::path file = root / "manifest.csv";
  std::error_code ec;
  bool exists = fs::exists(file, ec);
  if (ec && ec != std::errc::no_such_file_or_directory)
    return Status("bad_argument", file.string() + ": cannot read the manifest: " + ec.message());
  if (!exists) return std::map<std::string, ManifestRow>{};
  if (!fs::is_regular_file(file, ec)) return Status("bad_argument", file.string() + ": the manifest is not a regular file");
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status("bad_argument", file.string() + ": cannot read the manifest");
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseManifest(ss.str(), file.string());
}

void Describe(CaseInput& in, const std::map<std::string, ManifestRow>& manifest) {
  fs::path rel(in.rel_path);
  std::vector<std::string> parts;
  for (const auto& c : rel) parts.push_back(c.string());
  in.case_id = CaseIdFor(in.rel_path);
  if (parts.size() >= 2) {
    in.agency = parts.front();
    in.agency_from = "path";
  }
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    std::string t = CaseTypeFromFolder(parts[i]);
    if (!t.empty()) {
      in.case_type = t;
      in.case_type_from = "path";
      if (i == 0) { in.agency.clear(); in.agency_from.clear(); }
    }
  }
  auto it = manifest.find(in.rel_path);
  if (it == manifest.end()) it = manifest.find(fs::path(in.rel_path).replace_extension().generic_string());
  if (it == manifest.end()) return;
  const auto& row = it->second;
  if (!row.case_id.empty()) in.case_id = row.case_id;
  if (!row.agency.empty()) { in.agency = row.agency; in.agency_from = "manifest"; }
  if (!row.case_type.empty()) { in.case_type = row.case_type; in.case_type_from = "manifest"; }
  if (!row.procedure.empty()) in.procedure = row.procedure;
}

}  // namespace

std::string EscapeNonUtf8(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    // Length of a well-formed sequence starting here (RFC 3629: no overlongs,
    // no surrogates, nothing above U+10FFFF), or 0.
    std::size_t n = c < 0x80 ? 1 : (c >= 0xC2 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEF) ? 3 : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
    if (n > 1 && i + n <= s.size()) {
      const auto c1 = static_cast<unsigned char>(s[i + 1]);
      bool ok = (c1 & 0xC0) == 0x80;
      if (c == 0xE0) ok = ok && c1 >= 0xA0;
      if (c == 0xED) ok = ok && c1 < 0xA0;
      if (c == 0xF0) ok = ok && c1 >= 0x90;
      if (c == 0xF4) ok = ok && c1 < 0x90;
      for (std::size_t k = 2; ok && k < n; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
      if (!ok) n = 0;
    } else if (n > 1) {
      n = 0;
    }
    if (n == 0) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
      ++i;
    } else {
      out.append(s, i, n);
      i += n;
    }
  }
  return out;
}

Result<std::map<std::string, ManifestRow>> ParseManifest(const std::string& text, const std::string& origin) {
  std::map<std::string, ManifestRow> rows;
  std::istringstream in(text);
  std::string line;
  std::vector<std::string> header;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (n == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line = line.substr(3);  // BOM
    if (line.empty() || line == "\r") continue;
    auto cells = SplitCsv(line);
    if (header.empty()) {
      header = cells;
      if (std::find(header.begin(), header.end(), "path") == header.end())
        return Status("bad_argument", origin + ":" + std::to_string(n) + ": the manifest needs a 'path' column");
      continue;
    }
    std::map<std::string, std::string> m;
    for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) m[header[i]] = cells[i];
    std::string p = m["path"];
    fs::path rel(p);
    bool escapes = rel.is_absolute() || std::any_of(rel.begin(), rel.end(), [](const fs::path& c) { return c == ".."; });
    if (p.empty() || escapes)
      return Status("bad_argument", origin + ":" + std::to_string(n) + ": path '" + p + "' leaves the archive; refused");
    rows[EscapeNonUtf8(rel.lexically_normal().generic_string())] = {m["case_id"], m["agency"], m["case_type"], m["procedure"]};
  }
  return rows;
}

std::string Relativise(std::string msg, const std::string& abs, const std::string& rel) {
  if (abs.empty()) return msg;
  for (std::size_t p = msg.find(abs); p != std::string::npos; p = msg.find(abs, p + rel.size()))
    msg.replace(p, abs.size(), rel);
  return msg;
}

std::string CaseIdFor(const std::string& rel_path) {
  fs::path p(rel_path);
  if (Lower(p.extension().string()) == ".pdf") p.replace_extension();
  std::string s = p.generic_string();
  std::string out;
  for (char c : s) {
    if (c == '/') out += "__";
    else out += c;
  }
  return out;
}

std::string CaseTypeFromFolder(const std::string& name) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {"行政处罚", "penalty"}, {"行政许可", "license"},     {"行政强制", "coercion"},
      {"行政征收", "levy"},    {"行政检查", "inspection"}, {"行政确认", "confirmation"}};
  for (const auto& [cn, id] : kTypes)
    if (name == cn) return id;
  return "";
}

Result<std::vector<CaseInput>> DiscoverArchive(const std::string& root_arg) {
  std::error_code ec;
  fs::path root = fs::absolute(root_arg, ec);
  if (ec || !fs::is_directory(root, ec)) return Status("bad_argument", root_arg + ": not a folder");
  auto manifest = ReadManifest(root);
  if (!manifest.ok()) return manifest.status();
  std::vector<CaseInput> cases;
  // Walk without following directory symlinks (no loops), skipping what we may not read.
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
  if (ec) return Status("io_error", root_arg + ": cannot list: " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) { ec.clear(); continue; }
    const fs::path& p = it->path();
    std::string name = p.filename().string();
    if (!name.empty() && name[0] == '.') {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    fs::path rel = p.lexically_relative(root);
    int depth = static_cast<int>(std::distance(rel.begin(), rel.end()));
    if (it->is_directory(ec) && !it->is_symlink(ec)) {
      bool has_images = false, has_subdirs = false, has_pdfs = false;
      std::error_code ec2;
      for (const auto& e : fs::directory_iterator(p, fs::directory_options::skip_permission_denied, ec2)) {
        if (e.is_directory(ec2)) has_subdirs = true;
        else if (IsImage(e.path())) has_images = true;
        else if (Lower(e.path().extension().string()) == ".pdf") has_pdfs = true;
      }
      // A folder of page images is one case; so is an empty folder where a
      // case would be (not an agency or year folder): it is reported empty.
      bool empty_case = !has_images && !has_subdirs && !has_pdfs && depth >= 2 && !IsYear(name);
      if (has_images || empty_case) {
        CaseInput in;
        in.path = p.string();
        in.rel_path = EscapeNonUtf8(rel.generic_string());
        cases.push_back(in);
        it.disable_recursion_pending();
      }
      continue;
    }
    if (Lower(p.extension().string()) == ".pdf") {
      CaseInput in;
      in.path = p.string();
      in.rel_path = EscapeNonUtf8(rel.generic_string());
      cases.push_back(in);
    }
  }
  for (auto& c : cases) Describe(c, *manifest);
  std::sort(cases.begin(), cases.end(), [](const CaseInput& a, const CaseInput& b) { return a.rel_path < b.rel_path; });
  return cases;
}

Result<CaseInput> SingleCase(const std::string& file, const std::string& root_arg) {
  std::error_code ec;
  fs::path p = fs::absolute(file, ec);
  // symlink_status: a link (even a loop) exists; the review then says why it cannot be read.
  if (ec || !fs::exists(fs::symlink_status(p, ec))) return Status("bad_argument", file + ": no such file or folder");
  p = p.lexically_normal();
  if (p.filename().empty()) p = p.parent_path();
  fs::path root;
  if (!root_arg.empty()) {
    root = fs::absolute(root_arg, ec).lexically_normal();
  } else {
    fs::path parent = p.parent_path();
    root = IsYear(parent.filename().string()) ? parent.parent_path().parent_path() : parent.parent_path();
  }
  fs::path rel = p.lexically_relative(root);
  if (rel.empty() || *rel.begin() == "..") return Status("bad_argument", file + ": not inside the archive " + root.string());
  auto manifest = ReadManifest(root);
  if (!manifest.ok()) return manifest.status();
  CaseInput in;
  in.path = p.string();
  in.rel_path = EscapeNonUtf8(rel.generic_string());
  Describe(in, *manifest);
  return in;
}

}  // namespace pingcha
