// Small helpers over libxlsxwriter for the workbook stage: names (sheet and
// file), the RAII owner of an lxw_workbook with its atomic save, a cache of
// cell formats and a worksheet writer that keeps the first error and sizes
// rows for wrapped Chinese text. Not thread-safe (libxlsxwriter handles are
// not); every value here lives for one workbook.
#pragma once

#include <xlsxwriter.h>

#include <compare>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "models/status.h"

namespace pingcha::workbook {

// Length in UTF-16 code units (what Excel counts); invalid bytes count 1.
size_t Utf16Length(std::string_view s);
// The longest prefix of `s` of at most `max_units` UTF-16 units, cut on a
// character boundary.
std::string TruncateUtf16(std::string_view s, size_t max_units);
// Printed width in column units of SimSun 10 pt: 2 per CJK/full-width
// character, 1 per other character.
double DisplayWidth(std::string_view s);

// A legal, unused sheet name for `wanted`: []:*?/\ and control characters
// become '_', leading/trailing apostrophes and spaces go, at most 31
// characters (UTF-16 units), empty becomes "Sheet", and a clash with `used`
// (Excel compares case-insensitively) gets a suffix "(2)", "(3)", ... The
// result is added to `used` (which holds case-folded names).
std::string SanitizeSheetName(std::string_view wanted, std::set<std::string>* used);

// A file/folder name for `wanted`: / \ : * ? " < > | and control characters
// become '_', leading/trailing dots and spaces go, "", "." and ".." become
// "_", at most 200 bytes (cut on a character boundary).
std::string SanitizeFileName(std::string_view wanted);

// "A1"-style reference, absolute ("$A$1") when `absolute`.
std::string CellRef(int row, int col, bool absolute = false);
std::string RangeRef(int row1, int col1, int row2, int col2, bool absolute = false);
// A sheet name quoted for formulas: 'name' with ' doubled.
std::string QuoteSheet(std::string_view name);
// Shortest decimal text for a number in a formula ("4", "0.5").
std::string NumberText(double v);
// A string literal for a formula: "text" with " doubled.
std::string FormulaString(std::string_view text);

// Cell style; formats are created once per distinct style (FormatCache).
struct Style {
  double size = 10;
  bool bold = false;
  uint8_t align = LXW_ALIGN_LEFT;
  bool border = true;
  uint32_t fill = 0;  // 0: none
  bool wrap = true;
  std::string num;        // number format, "" = General
  bool unlocked = false;  // input cell
  auto operator<=>(const Style&) const = default;
};

class FormatCache {
 public:
  explicit FormatCache(lxw_workbook* wb) : wb_(wb) {}
  lxw_format* Get(const Style& style);

 private:
  lxw_workbook* wb_;
  std::map<Style, lxw_format*> formats_;
};

// Writes cells on one worksheet. Every call records the first libxlsxwriter
// error in *error (later calls still run; the workbook is discarded). Text
// longer than Excel's cell limit is cut. Rows holding wrapped text get a
// height estimated from the text and the column widths when Finish() runs.
class Sheet {
 public:
  Sheet(lxw_worksheet* ws, FormatCache* formats, lxw_error* error);
  lxw_worksheet* ws() const { return ws_; }

  void Columns(const std::vector<double>& widths);
  void Text(int row, int col, std::string_view text, const Style& style);
  void Number(int row, int col, double value, const Style& style);
  void Blank(int row, int col, const Style& style);
  void Formula(int row, int col, const std::string& formula, double cached, const Style& style);
  void FormulaText(int row, int col, const std::string& formula, const std::string& cached,
                   const Style& style);
  // Merges the range and writes `text` (a single cell is just written).
  void Merge(int row1, int col1, int row2, int col2, std::string_view text, const Style& style);
  // Merges the range and puts a formula with its cached value in it.
  void MergeFormula(int row1, int col1, int row2, int col2, const std::string& formula,
                    double cached, const Style& style);
  void MergeFormulaText(int row1, int col1, int row2, int col2, const std::string& formula,
                        const std::string& cached, const Style& style);
  // Merges the range and puts an internal link ("internal:'Sheet'!A1") in it.
  void MergeLink(int row1, int col1, int row2, int col2, const std::string& url,
                 const std::string& text, const Style& style);
  // Formats the cells of a range without merging (borders on empty cells).
  void Fill(int row1, int col1, int row2, int col2, const Style& style);
  void MinHeight(int row, double points);
  void Check(lxw_error e) {
    if (e != LXW_NO_ERROR && *error_ == LXW_NO_ERROR) *error_ = e;
  }
  // Applies the row heights. Call once, after the last cell.
  void Finish();

 private:
  void Need(int row1, int row2, int col1, int col2, std::string_view text, const Style& style);

  lxw_worksheet* ws_;
  FormatCache* formats_;
  lxw_error* error_;
  std::vector<double> widths_;
  std::map<int, double> height_;  // row -> points
  struct Span {
    int row1, row2;
    double points;
  };
  std::vector<Span> spans_;
};

// Applies the common print set-up: A4, orientation, fit to one page wide,
// margins, centred, footer "第 &P 页 共 &N 页", rows repeated on each page.
void PrintSetup(Sheet& sheet, bool landscape, int repeat_first, int repeat_last);

// Builds `path` atomically: `build` fills a fresh workbook (created time
// fixed), which is saved to "<path>.tmp-<pid>" and renamed over `path`. On
// any error the temporary file is removed and the Status is
// io_error "<path>: <reason>". Parent folders are created.
Status WriteXlsxAtomically(const std::filesystem::path& path, std::time_t created,
                           const std::string& title,
                           const std::function<lxw_error(lxw_workbook*)>& build);

}  // namespace pingcha::workbook
