// census.h
//
// The school census attendance module (docs/census.md): for a census and
// year, every pupil enrolment's figures over the term it returns, from the
// rules core (core/census.h); the pre-submission checks in words; totals by
// year group; and the return as XML and CSV (io/census_xml.h). Downloading
// the XML records the return (store::CensusReturnRecord), which the school
// and its local authority can see.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/census.h"
#include "core/status.h"
#include "io/census_xml.h"
#include "service/access.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::service {

struct CensusRequest {
  core::Census census = core::Census::kSpring;
  int year = 0;  // the year the census is taken in
};

// "Spring census 2026".
std::string CensusTitle(const CensusRequest& request);
// The census that returns the latest term to have ended by `today`: what a
// school is next to send.
CensusRequest LatestCensus(core::Date today);

// A problem the checks found, in words: "Ann Smith (enrolment from 2 September
// 2025), autumn term: no UPN recorded".
struct CensusProblemLine {
  core::CensusCheck check = core::CensusCheck::kIdentity;
  bool blocking = true;
  std::string text;
};

struct CensusTotals {
  int year_group = 0;  // the pupils' year group now; unused in the whole-school total
  int64_t pupils = 0;
  int64_t enrolments = 0;  // enrolment and part rows
  int64_t possible = 0;
  int64_t attended = 0;
  int64_t authorised = 0;
  int64_t unauthorised = 0;
};

struct CensusView {
  CensusRequest request;
  core::Date reference_date;  // the census day
  core::Date as_of;           // figures to this day: the term's end, or today
  bool term_over = false;     // false: the term has not ended, the figures are to today
  std::vector<core::CensusPart> parts;
  std::vector<core::CensusCodeRow> codes;
  std::vector<core::CensusEnrolment> enrolments;
  std::vector<io::CensusPupil> pupils;  // by scenario index
  std::vector<std::string> names;       // by scenario index (DisplayName)
  std::vector<CensusProblemLine> problems;
  std::vector<CensusTotals> year_groups;  // ascending year group
  CensusTotals total;
  int64_t blocking = 0;  // problems that should be put right before sending
};

struct CensusFile {
  std::string name;  // "census-spring-2026.xml"
  std::string text;
};

class CensusReturns {
 public:
  explicit CensusReturns(School& school) : school_(school) {}

  // The figures, checks and totals. PermissionDenied unless `who` may make
  // the return; InvalidArgument VALUE_INVALID for a year outside 2000-2200
  // or a census whose term has not started.
  core::StatusOr<CensusView> Prepare(const Principal& who, const CensusRequest& request);
  // The return as XML of a view Prepare gave, recorded as downloaded by
  // `who` (PermissionDenied unless they may make the return): Xml, then
  // Record, for a download that can be made again.
  core::StatusOr<CensusFile> RecordXml(const Principal& who, const CensusView& view);
  // The XML as RecordXml writes it, not recorded: a command writes it to its
  // file first and records it only once that worked.
  CensusFile Xml(const CensusView& view) const;
  // Records `xml`, made by Xml from `view`, as the return `who` made
  // (PermissionDenied unless they may make the return). Returns are never
  // changed once recorded.
  core::Status Record(const Principal& who, const CensusView& view, const CensusFile& xml);
  // The same figures as CSV (not recorded: the XML is the return).
  CensusFile Csv(const CensusView& view) const;
  // A return recorded, as it was downloaded, to fetch again
  // (PermissionDenied unless `who` may make the return; NotFound NOT_FOUND
  // for an id that is no return).
  core::StatusOr<CensusFile> RecordedXml(const Principal& who, int64_t id);
  // The returns downloaded, newest first.
  core::StatusOr<std::vector<store::CensusReturnRecord>> Returns(const Principal& who);

 private:
  io::CensusReturnFile FileOf(const CensusView& view) const;

  School& school_;
};

}  // namespace rollcall::service
