// ctf_xml.h
//
// Reading and writing a Common Transfer File (CTF), the XML a school
// receives when a pupil joins from another English school and sends when one
// leaves, as plain structs: per pupil
// the UPN, names, date of birth, sex, contacts, address, school history and
// attendance at previous schools (docs/ctf.md describes the elements read
// and how each becomes part of rollcall's admission register).
//
// Every problem is added to a CsvErrors as "FILE: PATH: problem", where PATH
// is the element's path, e.g. "CTFpupilData/Pupil[3]/DOB: not a date
// (yyyy-MM-dd)"; only pupils with no problem are returned. A file larger
// than kMaxCtfBytes, that is not UTF-8, or that declares a DOCTYPE (and so
// could declare entities) is refused before its pupils are read.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/codes.h"
#include "core/date.h"
#include "core/status.h"
#include "io/csv_reader.h"

namespace rollcall::io {

// A CTF holds a whole school's leavers at most, with their attendance marks:
// 64 MiB is several times the largest seen, so a bigger file is a wrong one.
inline constexpr uint64_t kMaxCtfBytes = 64 * 1024 * 1024;
// Ok, or InvalidArgument CSV_INVALID: "FILE: N MB: a Common Transfer File
// may have at most 64 MB".
core::Status CheckCtfSize(std::string_view file, uint64_t bytes);

// AttendanceMarks writes one character a session, '#' for a day with no
// session (the code of a planned closure). The 2024 codes of two characters
// are written as digits (docs/ctf.md says which and why): import reads
// them, and an export is to write them the same way.

// The character AttendanceMarks writes for `code`.
char CtfMarkChar(core::AttendanceCode code);
// The code an AttendanceMarks character stands for: nullopt for '-' (no
// mark) and any character that is no code. 'J' and 'Y' are the codes
// withdrawn in August 2024, as older years' marks have them.
std::optional<core::AttendanceCode> CtfMarkCode(char mark);

struct CtfAddress {
  std::vector<std::string> lines;  // house, street, locality, town... as given
  std::string postcode;
  // The lines, one a line (as rollcall keeps an address).
  std::string Text() const;
  bool empty() const { return lines.empty() && postcode.empty(); }
};

struct CtfPhone {
  std::string type;  // as written: H home, M mobile, W work...
  std::string number;
};

struct CtfContact {
  std::optional<int> order;  // the priority, 1 first
  std::string title, given_name, family_name;
  std::string relationship;  // in words (docs/ctf.md lists the codes read)
  bool parental_responsibility = false;
  std::vector<CtfPhone> phones;
  std::string email;
  CtfAddress address;        // the pupil's when the file says AddressAsPupil
  std::string Name() const;  // title, given and family name
};

struct CtfSchool {
  std::string lea, estab, name;
  std::optional<core::Date> entry, leaving;
  std::string leaving_reason;
};

struct CtfYearData {
  int year = 0;  // the academic year's first calendar year: 2024 is 2024/25
  std::string lea, estab, school_name;
  int64_t possible = 0, authorised = 0, attended = 0, unauthorised = 0;
  std::optional<core::Date> marks_start;  // AttendSessions, when given
  std::string marks;                      // two characters a day from marks_start
};

struct CtfPupil {
  std::string path;  // "CTFpupilData/Pupil[2]", for the importer's problems
  std::string upn;
  std::string family_name, given_name;                      // legal
  std::string preferred_family_name, preferred_given_name;  // "" when the same
  core::Date date_of_birth;
  std::string sex;                   // "F" or "M"
  std::optional<int> year_group;     // NCyearActual: 0 for Reception, 1-13
  std::vector<CtfContact> contacts;  // by order
  CtfAddress address;
  std::vector<CtfSchool> schools;       // SchoolHistory, as given
  std::vector<CtfYearData> attendance;  // by year, LEA, estab
};

struct CtfSource {
  std::string lea, estab, school_name;
  std::optional<int> academic_year;
};

struct CtfFile {
  std::string version;  // CTFversion, e.g. "25.0"
  CtfSource source;
  std::vector<CtfPupil> pupils;  // in the file's order
};

// `today` bounds the dates: a birth no later than today and at most 25
// years before it; other dates from 1990 to the end of next year.
CtfFile ReadCtf(std::string_view text, std::string_view file, core::Date today, CsvErrors& errors);

// The school a file is sent to: its LA (3 digits) and establishment (4)
// numbers.
struct CtfDestination {
  std::string lea, estab;
  std::string LaEstab() const { return lea + estab; }  // "8552345"
};
// Where a file goes when the destination is unknown: the DfE's lost pupils
// database, which expects LEA "MMM" and Estab "MMMM" (docs/ctf.md).
CtfDestination CtfUnknownDestination();
// The school a destination in words names by its DfE number, written
// "855/2345" or "8552345" anywhere in the text (as the admission register
// records it, e.g. "Castle Academy (855/2345)"), or "MMMMMMM"; nullopt when
// the text names no number.
std::optional<CtfDestination> CtfDestinationIn(std::string_view text);

struct CtfHeader {
  std::string date_time;  // yyyy-MM-ddTHH:mm:ss, the school's local time
  CtfSource source;       // academic_year: the first year of the academic year the file is
                          // written in (2026 for 2026/27)
  CtfDestination dest;
};

// A CTF 25 of `pupils` (docs/ctf.md lists the elements written), which
// ReadCtf reads back as given: contacts' names split as the reader joins
// them, an address of at most five lines (the fifth takes the rest), marks
// as CtfMarkChar writes them. Fields left empty are left out.
std::string WriteCtf(const CtfHeader& header, std::span<const CtfPupil> pupils);

}  // namespace rollcall::io
