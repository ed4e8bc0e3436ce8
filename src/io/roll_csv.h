// roll_csv.h
//
// A school's roll from its old system, for `rollcall import-roll`
// (docs/import.md): a pupils CSV and optionally a contacts CSV, in the CSV
// form of io/csv_reader.h, read through a column mapping. The mapping names,
// for each rollcall field, the column heading the file uses, how the file
// writes sex, year groups, yes/no cells and dates, and which columns carry
// cohort flags. Presets are built in ("rollcall", our own headings, and
// "surname-forename-dmy"); a mapping file is JSON of the same shape.
//
// Reading checks each row on its own and against the other rows of its
// file: required columns, UPN check letters, UPNs given twice, dates that do
// not exist or are out of range, year groups rollcall does not know, yes/no
// and flag cells the mapping does not name, invalid UTF-8, rows of the wrong
// length. Whether a row fits the school (its classes, its pupils) is the
// importer's check (service/roll_import.h). Every problem is added to a
// CsvErrors as "FILE line N: field: problem"; only rows with no problem are
// returned.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "io/csv_reader.h"

namespace rollcall::io {

// An import file larger than this is refused before it is read: 16 MiB
// holds the roll of a school twenty times the largest in England, so a
// bigger file is a wrong file (an export of everything, or not a CSV).
inline constexpr uint64_t kMaxRollFileBytes = 16 * 1024 * 1024;
// Ok, or InvalidArgument CSV_INVALID: "FILE is N MB: an import file may have
// at most 16 MB".
core::Status CheckRollFileSize(std::string_view file, uint64_t bytes);

enum class DateFormat : uint8_t { kIso = 1, kDayMonthYear = 2 };  // YYYY-MM-DD, DD/MM/YYYY

// A column of cohort flags: a yes/no column (`flag` set), or a column whose
// cells name a flag (`values`: cell -> flag, "" for none), with the column
// of the day the flag started, if the file has one.
struct FlagColumn {
  std::string heading;
  std::string flag;
  std::map<std::string, std::string> values;  // keys in lower case
  std::string from_heading;                   // "": the admission date
  // The flags this column decides: {flag}, or every flag of `values`.
  std::set<std::string> Governs() const;
};

struct RollMapping {
  std::string name;
  // rollcall field -> the heading(s) of its column; several headings are
  // joined (names with a space, address lines with a new line).
  std::map<std::string, std::vector<std::string>> pupils;
  std::map<std::string, std::vector<std::string>> contacts;
  std::vector<FlagColumn> flags;
  std::map<std::string, std::string> sex;  // lower-case cell -> "F" or "M"
  std::map<std::string, int> year_group;   // lower-case cell -> 0 (Reception) to 13
  std::set<std::string> yes, no;           // lower-case cells of yes/no columns
  DateFormat date_format = DateFormat::kIso;
};

// The fields of the two files, the required ones first.
extern const std::vector<std::string> kPupilFields;
extern const std::vector<std::string> kRequiredPupilFields;
extern const std::vector<std::string> kContactFields;
extern const std::vector<std::string> kRequiredContactFields;

// InvalidArgument (JSON errors, or VALUE_INVALID "mapping: ..." naming an
// unknown field, a missing required field, a flag rollcall does not know,
// a year group outside 0-13, a date format other than the two).
core::StatusOr<RollMapping> ParseRollMapping(std::string_view json, std::string_view name);
// A built-in mapping by name; InvalidArgument VALUE_INVALID listing the
// names for any other.
core::StatusOr<RollMapping> RollMappingPreset(std::string_view name);
std::vector<std::string> RollMappingPresetNames();

struct RollFlag {
  std::set<std::string> governs;  // the flags the column decides
  std::string held;               // the one the pupil holds, "" for none
  core::Date from;                // the day it started
};

struct RollPupilRow {
  int64_t line = 0;
  std::string upn;
  std::string legal_given_name, legal_family_name;
  std::string preferred_given_name, preferred_family_name;
  core::Date date_of_birth;
  std::string sex;  // "F" or "M"
  int year_group = 0;
  std::string registration_group;  // "": none
  core::Date admission;
  std::optional<core::Date> leaving;
  std::string previous_school;
  bool boarder = false;
  std::vector<RollFlag> flags;
};

struct RollPupilsFile {
  std::set<std::string> fields;  // the fields whose columns the file has
  std::vector<RollPupilRow> rows;
};

struct RollContactRow {
  int64_t line = 0;
  std::string upn;
  std::optional<int> priority;  // nullopt: the order of the pupil's rows
  std::string name, relationship, phone, other_phone, email, address, postcode;
  bool parental_responsibility = false, lives_with = false, emergency = false;
};

struct RollContactsFile {
  std::set<std::string> fields;
  std::vector<RollContactRow> rows;
};

// `today` bounds the dates: a birth no later than today and at most 25
// years before it; admission and leaving dates from 1990 to the end of next
// year.
RollPupilsFile ReadRollPupils(std::string_view text, std::string_view file,
                              const RollMapping& mapping, core::Date today, CsvErrors& errors);
RollContactsFile ReadRollContacts(std::string_view text, std::string_view file,
                                  const RollMapping& mapping, CsvErrors& errors);

}  // namespace rollcall::io
