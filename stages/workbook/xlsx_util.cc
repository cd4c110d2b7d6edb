#include "stages/workbook/xlsx_util.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

namespace pingcha::workbook {
namespace {

// Decodes one UTF-8 character at s[*i] and advances *i; invalid bytes decode
// to U+FFFD one byte at a time, so any input makes progress.
char32_t NextChar(std::string_view s, size_t* i) {
  unsigned char c = s[*i];
  int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || *i + len > s.size()) {
    ++*i;
    return 0xFFFD;
  }
  char32_t cp = len == 1 ? c : c & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    unsigned char d = s[*i + k];
    if ((d >> 6) != 2) {
      ++*i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (d & 0x3F);
  }
  *i += len;
  return cp;
}

void AppendUtf8(std::string* out, char32_t cp) {
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out += static_cast<char>(0xC0 | (cp >> 6));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += static_cast<char>(0xE0 | (cp >> 12));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (cp >> 18));
    *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool IsWide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2018 && cp <= 0x201D) || cp == 0x2014 ||
         cp == 0x2026 || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
         (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) || cp >= 0x20000;
}

std::string FoldAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Trims characters in `chars` (ASCII only) from both ends.
std::string_view Trim(std::string_view s, std::string_view chars) {
  while (!s.empty() && chars.find(s.front()) != std::string_view::npos) s.remove_prefix(1);
  while (!s.empty() && chars.find(s.back()) != std::string_view::npos) s.remove_suffix(1);
  return s;
}

// Replaces characters in `bad` and control characters with '_'; re-encodes
// invalid UTF-8 as U+FFFD.
std::string ReplaceBad(std::string_view s, std::u32string_view bad) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    char32_t cp = NextChar(s, &i);
    if (cp < 0x20 || cp == 0x7F || bad.find(cp) != std::u32string_view::npos) cp = U'_';
    AppendUtf8(&out, cp);
  }
  return out;
}

constexpr size_t kMaxCellChars = 32000;  // Excel's limit is 32767

}  // namespace

size_t Utf16Length(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size();) n += NextChar(s, &i) >= 0x10000 ? 2 : 1;
  return n;
}

std::string TruncateUtf16(std::string_view s, size_t max_units) {
  size_t units = 0, i = 0;
  while (i < s.size()) {
    size_t next = i;
    size_t add = NextChar(s, &next) >= 0x10000 ? 2 : 1;
    if (units + add > max_units) break;
    units += add;
    i = next;
  }
  return std::string(s.substr(0, i));
}

double DisplayWidth(std::string_view s) {
  double w = 0;
  for (size_t i = 0; i < s.size();) w += IsWide(NextChar(s, &i)) ? 2 : 1;
  return w;
}

std::string SanitizeSheetName(std::string_view wanted, std::set<std::string>* used) {
  std::string clean = ReplaceBad(wanted, U"[]:*?/\\");
  std::string base(Trim(clean, "' "));
  base = std::string(Trim(TruncateUtf16(base, LXW_SHEETNAME_MAX), "' "));
  if (base.empty()) base = "Sheet";
  if (FoldAscii(base) == "history") base += "_";  // reserved by Excel
  std::string name = base;
  for (int n = 2; used->count(FoldAscii(name)) != 0; ++n) {
    std::string suffix = "(" + std::to_string(n) + ")";
    name = std::string(Trim(TruncateUtf16(base, LXW_SHEETNAME_MAX - suffix.size()), " ")) + suffix;
  }
  used->insert(FoldAscii(name));
  return name;
}

std::string SanitizeFileName(std::string_view wanted) {
  std::string clean = ReplaceBad(wanted, U"/\\:*?\"<>|");
  std::string name(Trim(clean, ". "));
  if (name.size() > 200) {
    size_t i = 0, keep = 0;
    while (i < name.size()) {
      NextChar(name, &i);
      if (i > 200) break;
      keep = i;
    }
    name = std::string(Trim(std::string_view(name).substr(0, keep), ". "));
  }
  if (name.empty()) name = "_";
  return name;
}

std::string CellRef(int row, int col, bool absolute) {
  std::string letters;
  for (int c = col + 1; c > 0; c = (c - 1) / 26)
    letters.insert(letters.begin(), 'A' + (c - 1) % 26);
  std::string d = absolute ? "$" : "";
  return d + letters + d + std::to_string(row + 1);
}

std::string RangeRef(int row1, int col1, int row2, int col2, bool absolute) {
  return CellRef(row1, col1, absolute) + ":" + CellRef(row2, col2, absolute);
}

std::string QuoteSheet(std::string_view name) {
  std::string out = "'";
  for (char c : name) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string NumberText(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

std::string FormulaString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

lxw_format* FormatCache::Get(const Style& s) {
  auto it = formats_.find(s);
  if (it != formats_.end()) return it->second;
  lxw_format* f = workbook_add_format(wb_);  // owned by the workbook
  format_set_font_name(f, "宋体");
  format_set_font_charset(f, 134);  // GB2312: viewers without SimSun pick a Chinese font
  format_set_font_size(f, s.size);
  if (s.bold) format_set_bold(f);
  format_set_align(f, s.align);
  format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
  if (s.border) format_set_border(f, LXW_BORDER_THIN);
  if (s.fill != 0) format_set_bg_color(f, s.fill);
  if (s.wrap) format_set_text_wrap(f);
  if (!s.num.empty()) format_set_num_format(f, s.num.c_str());
  if (s.unlocked) format_set_unlocked(f);
  formats_.emplace(s, f);
  return f;
}

Sheet::Sheet(lxw_worksheet* ws, FormatCache* formats, lxw_error* error)
    : ws_(ws), formats_(formats), error_(error) {}

void Sheet::Columns(const std::vector<double>& widths) {
  widths_ = widths;
  for (size_t c = 0; c < widths.size(); ++c) {
    Check(worksheet_set_column(ws_, c, c, widths[c], nullptr));
  }
}

void Sheet::Text(int row, int col, std::string_view text, const Style& style) {
  if (text.empty()) return Blank(row, col, style);
  std::string s = TruncateUtf16(text, kMaxCellChars);
  Check(worksheet_write_string(ws_, row, col, s.c_str(), formats_->Get(style)));
  Need(row, row, col, col, s, style);
}

void Sheet::Number(int row, int col, double value, const Style& style) {
  Check(worksheet_write_number(ws_, row, col, value, formats_->Get(style)));
}

void Sheet::Blank(int row, int col, const Style& style) {
  Check(worksheet_write_blank(ws_, row, col, formats_->Get(style)));
}

void Sheet::Formula(int row, int col, const std::string& formula, double cached,
                    const Style& style) {
  Check(worksheet_write_formula_num(ws_, row, col, formula.c_str(), formats_->Get(style), cached));
}

void Sheet::FormulaText(int row, int col, const std::string& formula, const std::string& cached,
                        const Style& style) {
  Check(worksheet_write_formula_str(ws_, row, col, formula.c_str(), formats_->Get(style),
                                    cached.c_str()));
  Need(row, row, col, col, cached, style);
}

void Sheet::Merge(int row1, int col1, int row2, int col2, std::string_view text,
                  const Style& style) {
  if (row1 == row2 && col1 == col2) return Text(row1, col1, text, style);
  std::string s = TruncateUtf16(text, kMaxCellChars);
  Check(worksheet_merge_range(ws_, row1, col1, row2, col2, s.c_str(), formats_->Get(style)));
  Need(row1, row2, col1, col2, s, style);
}

void Sheet::MergeFormula(int row1, int col1, int row2, int col2, const std::string& formula,
                         double cached, const Style& style) {
  if (row1 != row2 || col1 != col2)
    Check(worksheet_merge_range(ws_, row1, col1, row2, col2, "", formats_->Get(style)));
  Formula(row1, col1, formula, cached, style);
}

void Sheet::MergeFormulaText(int row1, int col1, int row2, int col2, const std::string& formula,
                             const std::string& cached, const Style& style) {
  if (row1 != row2 || col1 != col2)
    Check(worksheet_merge_range(ws_, row1, col1, row2, col2, "", formats_->Get(style)));
  FormulaText(row1, col1, formula, cached, style);
  Need(row1, row2, col1, col2, cached, style);
}

void Sheet::MergeLink(int row1, int col1, int row2, int col2, const std::string& url,
                      const std::string& text, const Style& style) {
  Merge(row1, col1, row2, col2, text, style);
  Check(worksheet_write_url_opt(ws_, row1, col1, url.c_str(), formats_->Get(style), text.c_str(),
                                nullptr));
}

void Sheet::Fill(int row1, int col1, int row2, int col2, const Style& style) {
  for (int r = row1; r <= row2; ++r)
    for (int c = col1; c <= col2; ++c) Blank(r, c, style);
}

void Sheet::MinHeight(int row, double points) {
  double& h = height_[row];
  h = std::max(h, points);
}

void Sheet::Need(int row1, int row2, int col1, int col2, std::string_view text,
                 const Style& style) {
  double width = 0;
  for (int c = col1; c <= col2; ++c)
    width += c < static_cast<int>(widths_.size()) ? widths_[c] : 8.43;
  double avail = std::max(1.0, width - 0.8);
  int lines = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    double w = DisplayWidth(text.substr(start, end - start)) * style.size / 10.0 * 1.05;
    lines += style.wrap ? std::max(1, static_cast<int>(std::ceil(w / avail))) : 1;
    start = end + 1;
  }
  double points = lines * style.size * 1.4 + 5;
  if (row1 == row2) {
    MinHeight(row1, points);
  } else {
    spans_.push_back({row1, row2, points});
  }
}

void Sheet::Finish() {
  for (const Span& s : spans_) {
    double have = 0;
    for (int r = s.row1; r <= s.row2; ++r) {
      auto it = height_.find(r);
      have += it == height_.end() ? LXW_DEF_ROW_HEIGHT : it->second;
    }
    if (have >= s.points) continue;
    double add = (s.points - have) / (s.row2 - s.row1 + 1);
    for (int r = s.row1; r <= s.row2; ++r) {
      auto it = height_.find(r);
      height_[r] = (it == height_.end() ? LXW_DEF_ROW_HEIGHT : it->second) + add;
    }
  }
  for (const auto& [row, points] : height_) {
    Check(worksheet_set_row(ws_, row, std::round(points * 4) / 4, nullptr));
  }
}

void PrintSetup(Sheet& sheet, bool landscape, int repeat_first, int repeat_last) {
  lxw_worksheet* ws = sheet.ws();
  worksheet_set_paper(ws, 9);  // A4
  if (landscape)
    worksheet_set_landscape(ws);
  else
    worksheet_set_portrait(ws);
  worksheet_fit_to_pages(ws, 1, 0);
  worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.7);
  worksheet_center_horizontally(ws);
  sheet.Check(worksheet_set_footer(ws, "&C第 &P 页 共 &N 页"));
  if (repeat_first >= 0) sheet.Check(worksheet_repeat_rows(ws, repeat_first, repeat_last));
}

namespace {
// Frees a workbook that was never closed, without writing anything.
struct WorkbookDiscard {
  void operator()(lxw_workbook* wb) const { lxw_workbook_free(wb); }
};
using WorkbookPtr = std::unique_ptr<lxw_workbook, WorkbookDiscard>;

// libxlsxwriter takes created == 0 as "now"; 1980-01-01T00:00:00Z (the
// timestamp it gives every zip entry) keeps such files reproducible.
constexpr std::time_t kFallbackCreated = 315532800;
}  // namespace

Status WriteXlsxAtomically(const std::filesystem::path& path, std::time_t created,
                           const std::string& title,
                           const std::function<lxw_error(lxw_workbook*)>& build) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path tmp = path;
  tmp += ".tmp-" + std::to_string(::getpid());
  auto fail = [&](const std::string& why) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    return Status("io_error", path.string() + ": " + why);
  };
  if (path.has_parent_path()) {
    fs::create_directories(path.parent_path(), ec);
    if (ec) return fail(ec.message());
  }
  lxw_workbook_options options = {};
  // libxlsxwriter's scratch files go beside the workbook, inside OUT, not
  // to TMPDIR: nothing is written outside the output folder.
  std::string scratch = path.has_parent_path() ? path.parent_path().string() : std::string(".");
  options.tmpdir = scratch.data();
  WorkbookPtr wb(workbook_new_opt(tmp.c_str(), &options));
  if (!wb) return fail("cannot create workbook");
  std::string title_copy = title;  // libxlsxwriter copies it
  lxw_doc_properties props = {};
  props.title = title_copy.data();
  props.created = created > 0 ? created : kFallbackCreated;
  lxw_error err = workbook_set_properties(wb.get(), &props);
  if (err == LXW_NO_ERROR) err = build(wb.get());
  if (err != LXW_NO_ERROR) return fail(lxw_strerror(err));  // wb is discarded unwritten
  err = workbook_close(wb.release());                       // writes and frees, even on error
  if (err != LXW_NO_ERROR) return fail(lxw_strerror(err));
  fs::rename(tmp, path, ec);
  if (ec) return fail(ec.message());
  return Status::Ok();
}

}  // namespace pingcha::workbook
