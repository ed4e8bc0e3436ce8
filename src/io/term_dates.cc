// term_dates.cc: reading a term-dates file (term_dates.h).
#include "io/term_dates.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <optional>

#include "core/bank_holidays.h"
#include "core/error_codes.h"
#include "io/json_reader.h"

namespace rollcall::io {
namespace {

using core::Date;
using core::Status;
using core::StatusOr;
using nlohmann::json;

// A term as the file gives it, before naming: pupils come from
// pupils_start to pupils_last, staff from start to end.
struct FileTerm {
  std::string name;
  Date start, end, pupils_start, pupils_last;
};

struct Holiday {
  std::string name;
  Date start, end;
};

// Everything read from the file, over all its years.
struct FileCalendar {
  std::vector<FileTerm> terms;
  std::vector<Holiday> holidays;
  std::vector<Date> inset_days;
};

StatusOr<Date> DateValue(const json& value, const JsonPath& path) {
  if (value.is_string()) {
    if (std::optional<Date> date = Date::Parse(value.get_ref<const std::string&>())) return *date;
  }
  return PathError(core::kErrDateInvalid, path, "not a date (YYYY-MM-DD)");
}

// The date at `key` of `object`; nullopt when the key is missing and not `required`.
StatusOr<std::optional<Date>> DateAt(const json& object, std::string_view key, bool required,
                                     const JsonPath& path) {
  auto it = object.find(key);
  if (it == object.end()) {
    if (!required) return std::optional<Date>();
    return PathError(core::kErrRequiredKey, path.Key(key), "missing");
  }
  ASSIGN_OR_RETURN(Date date, DateValue(*it, path.Key(key)));
  return std::optional<Date>(date);
}

StatusOr<std::string> NameAt(const json& object, const JsonPath& path) {
  auto it = object.find("name");
  if (it == object.end()) return std::string();
  if (!it->is_string()) return PathError(core::kErrJsonType, path.Key("name"), "must be text");
  return it->get<std::string>();
}

const json* ListAt(const json& object, std::string_view key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

// A term: {"start"|"first_day", "end"|"last_day", "name"?, "pupils_start"?, "pupils_last_day"?}.
StatusOr<FileTerm> ReadTerm(const json& value, const JsonPath& path) {
  RETURN_IF_ERROR(CheckDocumentKeys(
      value, {"name", "start", "end", "first_day", "last_day", "pupils_start", "pupils_last_day"},
      path, "not a key of a term-dates file"));
  FileTerm term;
  ASSIGN_OR_RETURN(term.name, NameAt(value, path));
  const bool staff_days = value.contains("first_day") || value.contains("last_day");
  ASSIGN_OR_RETURN(std::optional<Date> start,
                   DateAt(value, staff_days ? "first_day" : "start", true, path));
  ASSIGN_OR_RETURN(std::optional<Date> end,
                   DateAt(value, staff_days ? "last_day" : "end", true, path));
  ASSIGN_OR_RETURN(std::optional<Date> pupils_start, DateAt(value, "pupils_start", false, path));
  ASSIGN_OR_RETURN(std::optional<Date> pupils_last, DateAt(value, "pupils_last_day", false, path));
  term.start = *start;
  term.end = *end;
  if (term.end < term.start) {
    return PathError(core::kErrValueInvalid, path.Key(staff_days ? "last_day" : "end"),
                     fmt::format("{} is before the term starts ({})", term.end.LongText(),
                                 term.start.LongText()));
  }
  term.pupils_start = pupils_start.value_or(term.start);
  term.pupils_last = pupils_last.value_or(term.end);
  if (term.pupils_start < term.start || term.pupils_start > term.end) {
    return PathError(core::kErrValueInvalid, path.Key("pupils_start"), "not inside the term");
  }
  if (term.pupils_last < term.pupils_start || term.pupils_last > term.end) {
    return PathError(core::kErrValueInvalid, path.Key("pupils_last_day"),
                     "not inside the term, after pupils start");
  }
  return term;
}

StatusOr<Holiday> ReadHoliday(const json& value, const JsonPath& path) {
  RETURN_IF_ERROR(
      CheckDocumentKeys(value, {"name", "start", "end"}, path, "not a key of a term-dates file"));
  Holiday holiday;
  ASSIGN_OR_RETURN(holiday.name, NameAt(value, path));
  ASSIGN_OR_RETURN(std::optional<Date> start, DateAt(value, "start", true, path));
  ASSIGN_OR_RETURN(std::optional<Date> end, DateAt(value, "end", true, path));
  holiday.start = *start;
  holiday.end = *end;
  if (holiday.end < holiday.start) {
    return PathError(core::kErrValueInvalid, path.Key("end"), "before the holiday starts");
  }
  return holiday;
}

// The lists of one year (or of the whole file, in the one-list shape).
Status ReadYear(const json& year, const JsonPath& path, FileCalendar& out) {
  if (const json* terms = ListAt(year, "terms")) {
    if (!terms->is_array()) return PathError(core::kErrJsonType, path.Key("terms"), "not a list");
    for (size_t i = 0; i < terms->size(); ++i) {
      ASSIGN_OR_RETURN(FileTerm term, ReadTerm((*terms)[i], path.Key("terms").Index(i)));
      out.terms.push_back(std::move(term));
    }
  }
  if (const json* holidays = ListAt(year, "holidays")) {
    if (!holidays->is_array()) {
      return PathError(core::kErrJsonType, path.Key("holidays"), "not a list");
    }
    for (size_t i = 0; i < holidays->size(); ++i) {
      ASSIGN_OR_RETURN(Holiday holiday, ReadHoliday((*holidays)[i], path.Key("holidays").Index(i)));
      out.holidays.push_back(std::move(holiday));
    }
  }
  // "inset_days_known": a year whose schools have not all chosen theirs yet.
  for (const char* key : {"inset_days", "inset_days_known", "inset_fixed_by_LA"}) {
    const json* days = ListAt(year, key);
    if (days == nullptr) continue;
    if (!days->is_array()) return PathError(core::kErrJsonType, path.Key(key), "not a list");
    for (size_t i = 0; i < days->size(); ++i) {
      const JsonPath item_list = path.Key(key);  // named: item points to it
      const JsonPath item = item_list.Index(i);
      const json& day = (*days)[i];
      if (day.is_object()) {
        RETURN_IF_ERROR(
            CheckDocumentKeys(day, {"date", "name"}, item, "not a key of a term-dates file"));
        ASSIGN_OR_RETURN(std::optional<Date> date, DateAt(day, "date", true, item));
        out.inset_days.push_back(*date);
      } else {
        ASSIGN_OR_RETURN(Date date, DateValue(day, item));
        out.inset_days.push_back(date);
      }
    }
  }
  return core::OkStatus();
}

const char* SeasonOf(Date start) {
  if (start.month() >= 8) return "Autumn";
  return start.month() <= 3 ? "Spring" : "Summer";
}

// Names each term "<name> <year it starts>"; a term without a name is
// named by its season, numbered when its season has several that year.
std::vector<NamedTerm> NameTerms(const std::vector<FileTerm>& terms) {
  std::map<std::string, int> of_season;
  for (const FileTerm& t : terms) {
    if (t.name.empty()) ++of_season[fmt::format("{} {}", SeasonOf(t.start), t.start.year())];
  }
  std::map<std::string, int> seen;
  std::vector<NamedTerm> named;
  for (const FileTerm& t : terms) {
    std::string name = t.name;
    if (name.empty()) {
      const std::string key = fmt::format("{} {}", SeasonOf(t.start), t.start.year());
      name = of_season[key] > 1 ? fmt::format("{} {}", SeasonOf(t.start), ++seen[key])
                                : SeasonOf(t.start);
    }
    named.push_back({fmt::format("{} {}", name, t.start.year()), t.start, t.end});
  }
  return named;
}

}  // namespace

StatusOr<TermDates> ReadTermDates(std::string_view json_text) {
  ASSIGN_OR_RETURN(StrictJson parsed, ParseStrictJson(json_text));
  const json& root = parsed.value;
  const JsonPath top;
  RETURN_IF_ERROR(CheckDocumentKeys(root,
                                    {"label", "terms", "holidays", "inset_days", "inset_days_known",
                                     "inset_fixed_by_LA", "academic_years"},
                                    top, "not a key of a term-dates file"));
  FileCalendar file;
  RETURN_IF_ERROR(ReadYear(root, top, file));
  if (const json* years = ListAt(root, "academic_years")) {
    const JsonPath years_path = top.Key("academic_years");
    if (!years->is_object()) {
      return PathError(core::kErrJsonType, years_path, "must be an object of years");
    }
    for (const auto& item : years->items()) {
      const json& year = item.value();
      const JsonPath year_path = years_path.Entry(item.key());
      RETURN_IF_ERROR(CheckDocumentKeys(
          year, {"terms", "holidays", "inset_days", "inset_days_known", "inset_fixed_by_LA"},
          year_path, "not a key of a term-dates file"));
      RETURN_IF_ERROR(ReadYear(year, year_path, file));
    }
  }
  if (file.terms.empty()) {
    return PathError(core::kErrRequiredKey, top.Key("terms"), "the file gives no terms");
  }
  std::stable_sort(file.terms.begin(), file.terms.end(),
                   [](const FileTerm& a, const FileTerm& b) { return a.start < b.start; });
  for (size_t i = 1; i < file.terms.size(); ++i) {
    if (file.terms[i].start <= file.terms[i - 1].end) {
      return PathError(core::kErrValueInvalid, top.Key("terms"),
                       fmt::format("the term starting {} overlaps the one before it",
                                   file.terms[i].start.LongText()));
    }
  }

  // Each weekday inside a term when pupils do not come, with the first
  // reason that holds: a bank holiday, an INSET day, a holiday.
  TermDates out;
  out.terms = NameTerms(file.terms);
  std::map<Date, std::string> reasons;
  for (const FileTerm& t : file.terms) {
    for (Date d = t.start; d <= t.end; d = d.AddDays(1)) {
      if (d.IsWeekend()) continue;
      std::string reason;
      if (const core::BankHoliday* bank = core::BankHolidayOn(d)) {
        reason = fmt::format("Bank holiday: {}", bank->title);
      } else if (d < t.pupils_start || d > t.pupils_last ||
                 std::find(file.inset_days.begin(), file.inset_days.end(), d) !=
                     file.inset_days.end()) {
        reason = kInsetReason;
      } else {
        for (const Holiday& h : file.holidays) {
          if (d >= h.start && d <= h.end) {
            reason = h.name.empty() ? "School holiday" : h.name;
            break;
          }
        }
      }
      if (!reason.empty()) reasons.emplace(d, std::move(reason));
    }
  }
  for (auto& [date, reason] : reasons) {
    out.closures.push_back({date, core::ClosureSessions::kBoth, std::move(reason)});
  }
  return out;
}

}  // namespace rollcall::io
