#include "io/marks_csv.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "core/upn.h"
#include "io/quote.h"

namespace rollcall::io {
namespace {

// The header's columns by name; every column must be known and present.
struct Header {
  std::map<std::string, size_t> index;
};

// Reads the header and every record, calling row(line, fields).
template <typename Row>
core::Status ForEachRecord(std::string_view text, std::string_view what,
                           const std::vector<std::vector<std::string>>& shapes,
                           const std::vector<std::string>& optional_columns, CsvErrors& errors,
                           Header& header, Row row) {
  CsvReader reader(text);
  ASSIGN_OR_RETURN(const std::vector<std::string> head, reader.Header());
  std::set<std::string> names(head.begin(), head.end());
  for (size_t i = 0; i < head.size(); ++i) header.index[head[i]] = i;
  const std::vector<std::string>* shape = nullptr;
  for (const std::vector<std::string>& s : shapes) {
    if (std::all_of(s.begin(), s.end(), [&](const std::string& c) { return names.count(c); })) {
      shape = &s;
    }
  }
  if (shape == nullptr) {
    std::vector<std::string> described;
    for (const auto& s : shapes) described.push_back(fmt::format("{}", fmt::join(s, ",")));
    return core::InvalidArgument(
        kErrCsvInvalid, fmt::format("line 1: a {} file's header must have the columns {}", what,
                                    fmt::join(described, " or ")));
  }
  for (const std::string& name : names) {
    if (std::find(shape->begin(), shape->end(), name) == shape->end() &&
        std::find(optional_columns.begin(), optional_columns.end(), name) ==
            optional_columns.end()) {
      return core::InvalidArgument(kErrCsvInvalid,
                                   fmt::format("line 1: unknown column {}", Quote(name)));
    }
  }
  int64_t line = 0;
  std::vector<std::string> fields;
  while (reader.Next(errors, line, fields)) row(line, fields);
  return core::OkStatus();
}

std::optional<core::Date> DateField(const std::string& text, int64_t line, const char* column,
                                    CsvErrors& errors) {
  std::optional<core::Date> d = core::Date::Parse(text);
  if (!d) errors.Add(line, fmt::format("{} {} is not a date (YYYY-MM-DD)", column, Quote(text)));
  return d;
}

bool CheckIds(const std::string& school, const std::string& upn, int64_t line, CsvErrors& errors) {
  bool ok = true;
  if (school.empty()) {
    errors.Add(line, "school is empty");
    ok = false;
  }
  if (core::Status s = core::CheckUpn(upn); !s.ok()) {
    errors.Add(line, fmt::format("upn {}: {}", Quote(upn), s.message()));
    ok = false;
  }
  return ok;
}

}  // namespace

core::StatusOr<std::vector<MarkRow>> ParseMarksCsv(std::string_view text) {
  CsvErrors errors;
  Header header;
  std::vector<MarkRow> rows;
  std::map<std::tuple<std::string, std::string, core::SessionKey>, int64_t> seen;
  auto add = [&](int64_t line, const std::string& school, const std::string& upn,
                 core::SessionKey slot, const std::string& symbol) {
    MarkRow row{line, school, upn, slot, std::nullopt};
    if (!symbol.empty()) {
      row.code = core::CodeFromSymbol(symbol);
      if (!row.code) {
        errors.Add(line, fmt::format("{} is not an attendance code", Quote(symbol)));
        return;
      }
    }
    auto [it, added] = seen.emplace(std::make_tuple(school, upn, slot), line);
    if (!added) {
      errors.Add(line,
                 fmt::format("{} {} {} {} is also on line {}", Shorten(school), upn,
                             slot.date.ToString(), core::SessionName(slot.session), it->second));
      return;
    }
    rows.push_back(std::move(row));
  };
  const std::vector<std::string> per_session{"school", "upn", "date", "session", "code"};
  const std::vector<std::string> per_day{"school", "upn", "date", "am", "pm"};
  RETURN_IF_ERROR(ForEachRecord(
      text, "marks", {per_session, per_day}, {}, errors, header,
      [&](int64_t line, const std::vector<std::string>& f) {
        const std::string& school = f[header.index.at("school")];
        const std::string& upn = f[header.index.at("upn")];
        if (!CheckIds(school, upn, line, errors)) return;
        std::optional<core::Date> date =
            DateField(f[header.index.at("date")], line, "date", errors);
        if (!date) return;
        if (header.index.count("session")) {
          const std::string& name = f[header.index.at("session")];
          std::optional<core::Session> session = core::SessionFromName(name);
          if (!session) {
            errors.Add(line, fmt::format("session {} is not AM or PM", Quote(name)));
            return;
          }
          add(line, school, upn, {*date, *session}, f[header.index.at("code")]);
        } else {
          add(line, school, upn, {*date, core::Session::kAm}, f[header.index.at("am")]);
          add(line, school, upn, {*date, core::Session::kPm}, f[header.index.at("pm")]);
        }
      }));
  if (!errors.empty()) return errors.ToStatus("marks file");
  return rows;
}

core::StatusOr<std::vector<PupilRow>> ParsePupilsCsv(std::string_view text) {
  CsvErrors errors;
  Header header;
  std::vector<PupilRow> rows;
  std::map<std::pair<std::string, std::string>, int64_t> seen;
  RETURN_IF_ERROR(ForEachRecord(
      text, "pupils", {{"school", "upn"}}, {"cohorts", "admitted", "left"}, errors, header,
      [&](int64_t line, const std::vector<std::string>& f) {
        PupilRow row;
        row.line = line;
        row.school = f[header.index.at("school")];
        row.upn = f[header.index.at("upn")];
        if (!CheckIds(row.school, row.upn, line, errors)) return;
        if (auto it = header.index.find("cohorts"); it != header.index.end()) {
          std::string_view rest = f[it->second];
          while (!rest.empty()) {
            const size_t semi = rest.find(';');
            std::string tag = Trim(std::string(rest.substr(0, semi)));
            if (!tag.empty()) row.cohorts.push_back(std::move(tag));
            rest = semi == std::string_view::npos ? "" : rest.substr(semi + 1);
          }
        }
        for (const char* column : {"admitted", "left"}) {
          auto it = header.index.find(column);
          if (it == header.index.end() || f[it->second].empty()) continue;
          std::optional<core::Date> d = DateField(f[it->second], line, column, errors);
          if (!d) return;
          (std::string_view(column) == "admitted" ? row.admitted : row.left) = d;
        }
        if (row.admitted && row.left && *row.left < *row.admitted) {
          errors.Add(line, "left is before admitted");
          return;
        }
        auto [it, added] = seen.emplace(std::make_pair(row.school, row.upn), line);
        if (!added) {
          errors.Add(line, fmt::format("pupil {} of school {} is also on line {}", row.upn,
                                       Shorten(row.school), it->second));
          return;
        }
        rows.push_back(std::move(row));
      }));
  if (!errors.empty()) return errors.ToStatus("pupils file");
  return rows;
}

}  // namespace rollcall::io
