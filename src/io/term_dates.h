// term_dates.h
//
// Reading a term-dates file, as local authorities and schools publish them,
// into a school's calendar: named terms, and closures for the days inside a
// term when pupils do not come (holidays inside a term, INSET days, bank
// holidays, and the staff-only days before pupils start or after they leave).
//
// Two shapes are read, and a file may mix their spellings of a term:
//
//   one list:  {"terms": [{"start": D, "end": D}, ...],
//               "holidays": [{"start": D, "end": D, "name": "..."}],
//               "inset_days": [D or {"date": D}]}
//   by year:   {"academic_years": {"2025/26": {"terms": [{"name": "Autumn",
//               "first_day": D, "last_day": D, "pupils_start": D,
//               "pupils_last_day": D}], "holidays": [...], "inset_days": [...]}}}
//
// Keys starting with "_" (notes, sources) are ignored, as is "label";
// "inset_fixed_by_LA" and "inset_days_known" (a year whose schools have not
// all chosen theirs yet) are INSET days too; any other key is an error. Days outside every term
// need no closure and get none.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/date.h"
#include "core/status.h"

namespace rollcall::io {

struct NamedTerm {
  std::string name;  // "Autumn 2025"; unnamed terms by season: "Autumn 1 2025"
  core::Date start;
  core::Date end;  // inclusive
};

struct TermDates {
  std::vector<NamedTerm> terms;         // by start
  std::vector<core::Closure> closures;  // by date, one a date, weekdays inside a term
};

// The reasons a closure made from a file gives.
inline constexpr char kInsetReason[] = "INSET day (staff training)";

// InvalidArgument with the path of the problem in the file and what is
// wrong, e.g. "terms[2].end: not a date (YYYY-MM-DD)".
core::StatusOr<TermDates> ReadTermDates(std::string_view json_text);

}  // namespace rollcall::io
