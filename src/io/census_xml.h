// census_xml.h
//
// The school census attendance module as files (docs/census.md): the
// code-to-reason table compiled in from data/reference/census_codes.json,
// and the return written as XML in the census's message shape and as CSV
// with the same figures. The figures themselves come from core/census.h.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/census.h"
#include "core/date.h"
#include "core/status.h"

namespace rollcall::io {

// Reads a code-to-reason table: {"codes": [{"code": "I", "reason": "I",
// "confirmed": true, "note": "..."}, ...]}. InvalidArgument VALUE_INVALID
// naming the entry for an unknown or repeated code, a reason given for a code
// that is no absence, an absence with no reason, or a missing field; and for
// any code of core/codes.h the table leaves out.
core::StatusOr<std::vector<core::CensusCodeRow>> ParseCensusCodes(std::string_view json);
// The table compiled into rollcall.
core::StatusOr<std::vector<core::CensusCodeRow>> CensusCodes();

struct CensusPupil {
  std::string upn;
  std::string surname;
  std::string forename;
  int year_group = 0;
};

// Everything a return file says.
struct CensusReturnFile {
  core::Census census = core::Census::kSpring;
  int year = 0;
  core::Date reference_date;
  std::string produced_at;  // local time, yyyy-MM-ddTHH:mm:ss
  std::string lea;          // 3 digits
  std::string estab;        // 4 digits
  std::string school_name;
  std::span<const core::CensusCodeRow> codes;  // the CSV has a column per reason
  std::span<const core::CensusPart> parts;
  std::span<const core::CensusEnrolment> enrolments;
  std::span<const CensusPupil> pupils;  // indexed by CensusEnrolment::pupil
};

// The Term element: "SPR", "SUM" or "AUT".
std::string_view CensusTermCode(core::Census census);

// The XML return: one PupilOnRoll per enrolment, its parts' figures inside.
std::string WriteCensusXml(const CensusReturnFile& file);
// The same figures, one row per enrolment and part.
std::string WriteCensusCsv(const CensusReturnFile& file);

}  // namespace rollcall::io
