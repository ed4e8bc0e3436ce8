// marks_csv.h
//
// Attendance marks from CSV, for `rollcall import` (README "Importing
// marks"). Two shapes, told apart by the header row (columns in any order):
//
//   one row per pupil-session:  school,upn,date,session,code
//   one row per pupil-day:      school,upn,date,am,pm
//
// school: the school's URN or DfE number as text; upn: the pupil's UPN
// (13 characters, check letter verified); date: YYYY-MM-DD; session: AM or
// PM; code, am, pm: a national code symbol ("/", "\", "L", "I", "C1", ...),
// or empty for "no mark recorded". The CSV form is io/csv_reader.h's: quoted
// fields, a UTF-8 byte-order mark and CRLF line ends are accepted.
//
// And the optional pupil list: school,upn[,cohorts][,admitted][,left] with
// cohorts separated by ';' and dates YYYY-MM-DD (empty: open-ended).
//
// Parsing checks the file's own form; whether a session is open, the pupil
// on roll or the code valid on that day is the importer's check against the
// school's calendar. Every problem is reported with its line number (up to
// kMaxReportedErrors of them) and nothing is returned: a file imports whole
// or not at all.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/codes.h"
#include "core/session.h"
#include "core/status.h"
#include "io/csv_reader.h"

namespace rollcall::io {

struct MarkRow {
  int64_t line = 0;  // 1-based, in the file
  std::string school;
  std::string upn;
  core::SessionKey slot;
  std::optional<core::AttendanceCode> code;  // nullopt: no mark recorded
};

struct PupilRow {
  int64_t line = 0;
  std::string school;
  std::string upn;
  std::vector<std::string> cohorts;
  std::optional<core::Date> admitted;
  std::optional<core::Date> left;
};

// InvalidArgument CSV_INVALID; the message lists "line N: problem" entries
// separated by newlines. A (school, upn, session) given twice is an error.
core::StatusOr<std::vector<MarkRow>> ParseMarksCsv(std::string_view text);
core::StatusOr<std::vector<PupilRow>> ParsePupilsCsv(std::string_view text);

}  // namespace rollcall::io
