#include "io/csv_reader.h"

#include <fmt/format.h>

#include <set>

#include "io/quote.h"

namespace rollcall::io {
namespace {

// Splits one CSV record starting at `pos`; advances `pos` past its line end.
// Quoted fields may not span lines (no import file has a use for it).
std::optional<std::vector<std::string>> SplitRecord(std::string_view text, size_t& pos,
                                                    std::string& problem) {
  std::vector<std::string> fields(1);
  bool quoted = false, was_quoted = false;
  while (pos < text.size()) {
    const char c = text[pos++];
    if (quoted) {
      if (c == '"') {
        if (pos < text.size() && text[pos] == '"') {
          fields.back() += '"';
          ++pos;
        } else {
          quoted = false;
        }
      } else if (c == '\n') {
        problem = "a quoted field is not closed on its line";
        return std::nullopt;
      } else {
        fields.back() += c;
      }
      continue;
    }
    if (c == '\n') break;
    if (c == '\r' && pos < text.size() && text[pos] == '\n') continue;
    if (c == ',') {
      fields.emplace_back();
      was_quoted = false;
    } else if (c == '"' && fields.back().empty() && !was_quoted) {
      quoted = was_quoted = true;
    } else if (was_quoted) {
      problem = "text after a closing quote";
      // The rest of the line belongs to this record, not to the next.
      const size_t end = text.find('\n', pos);
      pos = end == std::string_view::npos ? text.size() : end + 1;
      return std::nullopt;
    } else {
      fields.back() += c;
    }
  }
  if (quoted) {
    problem = "a quoted field is not closed";
    return std::nullopt;
  }
  return fields;
}

// The record's first field that is not UTF-8, as a problem; "" when all are.
std::string Utf8Problem(const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (std::optional<size_t> bad = FirstInvalidUtf8(fields[i])) {
      return fmt::format("field {} is not valid UTF-8 (byte {} of {}); save the file as UTF-8",
                         i + 1, *bad + 1, Quote(fields[i]));
    }
  }
  return "";
}

}  // namespace

void CsvErrors::Add(int64_t line, std::string problem) { Add("", line, std::move(problem)); }

void CsvErrors::Add(std::string_view file, int64_t line, std::string problem) {
  Append(file.empty() ? fmt::format("line {}: {}", line, problem)
                      : fmt::format("{} line {}: {}", file, line, problem));
}

void CsvErrors::AddFile(std::string_view file, std::string problem) {
  Append(fmt::format("{}: {}", file, problem));
}

void CsvErrors::Append(std::string entry) {
  // A per-day row's two sessions often share one problem: say it once.
  if (entry == last_) return;
  ++count_;
  if (shown_.size() < kMaxReportedErrors) shown_.push_back(entry);
  last_ = std::move(entry);
}

core::Status CsvErrors::ToStatus(std::string_view what) const {
  std::string message =
      fmt::format("{}: {} problem{}, nothing imported", what, count_, count_ == 1 ? "" : "s");
  for (const std::string& s : shown_) message += "\n  " + s;
  if (count_ > shown_.size()) message += fmt::format("\n  ... and {} more", count_ - shown_.size());
  return core::InvalidArgument(kErrCsvInvalid, message);
}

std::optional<size_t> FirstInvalidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    size_t length = 0;
    uint32_t value = 0, least = 0;
    if ((b & 0xE0) == 0xC0) {
      length = 2, value = b & 0x1Fu, least = 0x80;
    } else if ((b & 0xF0) == 0xE0) {
      length = 3, value = b & 0x0Fu, least = 0x800;
    } else if ((b & 0xF8) == 0xF0) {
      length = 4, value = b & 0x07u, least = 0x10000;
    } else {
      return i;
    }
    if (i + length > text.size()) return i;
    for (size_t k = 1; k < length; ++k) {
      const auto c = static_cast<unsigned char>(text[i + k]);
      if ((c & 0xC0) != 0x80) return i;
      value = (value << 6) | (c & 0x3Fu);
    }
    if (value < least || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return i;
    i += length;
  }
  return std::nullopt;
}

std::string Trim(std::string_view text) {
  const size_t b = text.find_first_not_of(" \t");
  if (b == std::string_view::npos) return "";
  return std::string(text.substr(b, text.find_last_not_of(" \t") - b + 1));
}

CsvReader::CsvReader(std::string_view text, std::string_view file) : text_(text), file_(file) {
  if (text_.substr(0, 3) == "\xEF\xBB\xBF") text_.remove_prefix(3);
}

core::StatusOr<std::vector<std::string>> CsvReader::Header() {
  std::string problem;
  line_ = 1;
  std::optional<std::vector<std::string>> head = SplitRecord(text_, pos_, problem);
  if (!head) return core::InvalidArgument(kErrCsvInvalid, fmt::format("line 1: {}", problem));
  if (std::string bad = Utf8Problem(*head); !bad.empty()) {
    return core::InvalidArgument(kErrCsvInvalid, "line 1: " + bad);
  }
  std::set<std::string> names;
  for (std::string& name : *head) {
    name = Trim(name);
    if (!names.insert(name).second) {
      return core::InvalidArgument(kErrCsvInvalid,
                                   fmt::format("line 1: column {} appears twice", Quote(name)));
    }
  }
  columns_ = head->size();
  return std::move(*head);
}

bool CsvReader::Next(CsvErrors& errors, int64_t& line, std::vector<std::string>& fields) {
  std::string problem;
  while (pos_ < text_.size()) {
    line = ++line_;
    std::optional<std::vector<std::string>> record = SplitRecord(text_, pos_, problem);
    if (!record) {
      errors.Add(file_, line, problem);
      continue;
    }
    if (record->size() == 1 && Trim((*record)[0]).empty()) continue;  // blank line
    if (record->size() != columns_) {
      errors.Add(file_, line,
                 fmt::format("{} fields, the header has {}", record->size(), columns_));
      continue;
    }
    if (std::string bad = Utf8Problem(*record); !bad.empty()) {
      errors.Add(file_, line, bad);
      continue;
    }
    for (std::string& f : *record) f = Trim(f);
    fields = std::move(*record);
    return true;
  }
  return false;
}

}  // namespace rollcall::io
