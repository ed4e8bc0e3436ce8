// csv_reader.h
//
// The CSV form every import file shares (marks, pupils, contacts): a header
// row naming the columns, then one record per line. Fields may be quoted
// ("..." with "" for a quote) but a quoted field may not span lines; a UTF-8
// byte-order mark and CRLF line ends are accepted; fields are trimmed of
// spaces and tabs; blank lines are skipped. Every record must be valid
// UTF-8 and have as many fields as the header. Problems are collected by
// line in CsvErrors, so that a file reports all of them at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error_codes.h"
#include "core/status.h"

namespace rollcall::io {

inline constexpr size_t kMaxReportedErrors = 20;
using core::kErrCsvInvalid;  // kept in core's registry

// The problems found, in the order added, each "line N: problem" (or
// "FILE line N: problem" when given a file name), the first
// kMaxReportedErrors shown and the rest counted.
class CsvErrors {
 public:
  void Add(int64_t line, std::string problem);
  void Add(std::string_view file, int64_t line, std::string problem);
  // A problem of the whole file: "FILE: problem".
  void AddFile(std::string_view file, std::string problem);
  bool empty() const { return count_ == 0; }
  // InvalidArgument CSV_INVALID: "WHAT: N problems, nothing imported" and
  // the problems, one a line.
  core::Status ToStatus(std::string_view what) const;

 private:
  void Append(std::string entry);

  std::vector<std::string> shown_;
  std::string last_;
  size_t count_ = 0;
};

// Ok, or the offset of the first byte that does not belong to a valid UTF-8
// character (overlong forms, surrogates and values above U+10FFFF included).
std::optional<size_t> FirstInvalidUtf8(std::string_view text);

// Text with spaces and tabs taken off both ends.
std::string Trim(std::string_view text);

// Reads a CSV text record by record.
class CsvReader {
 public:
  // `file` names the file in the problems Next adds ("" for none).
  explicit CsvReader(std::string_view text, std::string_view file = "");

  // The header row's column names, trimmed. InvalidArgument CSV_INVALID
  // ("line 1: ...") when the header is malformed, not UTF-8, or names a
  // column twice. Call once, before Next.
  core::StatusOr<std::vector<std::string>> Header();

  // The next record with its line number, trimmed: false at the end of the
  // text. A record that is malformed, not UTF-8 or of the wrong length is
  // added to `errors` and skipped.
  bool Next(CsvErrors& errors, int64_t& line, std::vector<std::string>& fields);

 private:
  std::string_view text_;
  std::string file_;
  size_t pos_ = 0;
  int64_t line_ = 0;
  size_t columns_ = 0;
};

}  // namespace rollcall::io
