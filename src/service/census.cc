#include "service/census.h"

#include <fmt/format.h>

#include <cctype>
#include <map>
#include <set>

#include "core/error_codes.h"
#include "core/pupil_sessions.h"
#include "service/fields.h"
#include "service/records.h"
#include "service/words.h"

namespace rollcall::service {
namespace {

std::string EnrolmentText(const core::OnRollPeriod& dates) {
  if (dates.from) return "enrolment from " + LongDate(*dates.from);
  if (dates.to) return "enrolment to " + LongDate(*dates.to);
  return "";
}

void AddTo(CensusTotals& t, const core::CensusEnrolment& e) {
  ++t.enrolments;
  t.possible += e.counts.possible;
  t.attended += e.counts.attended;
  t.authorised += e.counts.authorised;
  t.unauthorised += e.counts.unauthorised;
}

std::string FileName(const CensusRequest& request, std::string_view extension) {
  return fmt::format("census-{}-{}.{}", core::CensusName(request.census), request.year, extension);
}

}  // namespace

std::string CensusTitle(const CensusRequest& request) {
  std::string name(core::CensusName(request.census));
  name[0] = static_cast<char>(std::toupper(name[0]));
  return fmt::format("{} census {}", name, request.year);
}

CensusRequest LatestCensus(core::Date today) {
  for (int year = today.year() + 1;; --year) {
    for (core::Census census :
         {core::Census::kAutumn, core::Census::kSummer, core::Census::kSpring}) {
      if (core::CensusParts(census, year).back().period.to < today) return {census, year};
    }
  }
}

core::StatusOr<CensusView> CensusReturns::Prepare(const Principal& who,
                                                  const CensusRequest& request) {
  if (request.year < 2000 || request.year > 2200) {
    return core::InvalidArgument(
        core::kErrValueInvalid, fmt::format("Census year {}: expected 2000 to 2200", request.year));
  }
  CensusView v;
  v.request = request;
  v.reference_date = core::CensusDay(request.census, request.year);
  v.parts = core::CensusParts(request.census, request.year);
  const core::Date today = school_.clock().Today();
  if (today < v.parts.front().period.from) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("The {} census of {} returns the {} from {}, which has not started",
                    core::CensusName(request.census), request.year,
                    v.parts.size() == 1 ? v.parts.front().label : "summer term",
                    LongDate(v.parts.front().period.from)));
  }
  ASSIGN_OR_RETURN(v.codes, io::CensusCodes());
  v.term_over = v.parts.back().period.to < today;
  v.as_of = v.term_over ? v.parts.back().period.to : today;

  std::vector<int64_t> marks_off_roll;
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kMakeCensusReturn, {}));
    const Snapshot& snap = school_.snapshot();
    const core::Scenario& sc = snap.scenario;
    const core::DayPart part = school_.DayPartOf(v.as_of);
    for (size_t i = 0; i < snap.pupils.size(); ++i) {
      const store::Pupil& p = snap.pupils[i];
      v.pupils.push_back({p.upn, p.legal_family_name, p.legal_given_name, p.year_group});
      v.names.push_back(DisplayName(p));
      // The module covers day pupils of 4 to 15 (docs/census.md).
      if (p.boarder || !core::InCensusAgeRange(p.date_of_birth, request.census, request.year)) {
        marks_off_roll.push_back(0);
        continue;
      }
      const std::vector<core::PupilSession> sessions = core::BuildPupilSessions(
          sc.calendar, sc.pupils[i], sc.marks[i], sc.default_mark, v.as_of, part);
      for (core::CensusEnrolment& e :
           core::CensusEnrolments(sc.calendar, sc.pupils[i], i, sessions, v.parts, v.codes)) {
        e.upn = p.upn;
        v.enrolments.push_back(std::move(e));
      }
      marks_off_roll.push_back(
          core::MarksOutsideEnrolments(sc.calendar, sc.pupils[i], sc.marks[i], v.parts));
    }
  }

  if (!v.term_over) {
    v.problems.push_back(
        {core::CensusCheck::kTermNotOver, false,
         fmt::format("The term has not ended: the figures are to {}.", LongDate(v.as_of))});
  }
  for (const core::CensusProblem& problem :
       core::CheckCensus(v.enrolments, v.parts, v.codes, marks_off_roll)) {
    std::string who_text;
    if (problem.enrolment) {
      const core::CensusEnrolment& e = v.enrolments[*problem.enrolment];
      const std::string dates = EnrolmentText(e.dates);
      // The part's label ("Autumn term") goes mid-sentence here.
      std::string label(v.parts[e.part].label);
      if (!label.empty()) label[0] = static_cast<char>(std::tolower(label[0]));
      who_text = fmt::format("{}{}, {}: ", v.names[e.pupil],
                             dates.empty() ? "" : " (" + dates + ")", label);
    } else if (problem.pupil) {
      who_text = v.names[*problem.pupil] + ": ";
    }
    std::string text = who_text + problem.message;
    if (who_text.empty() && !text.empty()) text[0] = static_cast<char>(std::toupper(text[0]));
    v.problems.push_back({problem.check, problem.blocking, text + "."});
    if (problem.blocking) ++v.blocking;
  }
  // Checked, but not returned: an enrolment with no possible session.
  std::erase_if(v.enrolments,
                [](const core::CensusEnrolment& e) { return e.counts.possible == 0; });

  std::map<int, CensusTotals> by_year;
  std::map<int, std::set<size_t>> pupils_by_year;
  std::set<size_t> pupils;
  for (const core::CensusEnrolment& e : v.enrolments) {
    const int year_group = v.pupils[e.pupil].year_group;
    CensusTotals& t = by_year[year_group];
    t.year_group = year_group;
    AddTo(t, e);
    AddTo(v.total, e);
    pupils_by_year[year_group].insert(e.pupil);
    pupils.insert(e.pupil);
  }
  for (auto& [year_group, t] : by_year) {
    t.pupils = static_cast<int64_t>(pupils_by_year[year_group].size());
    v.year_groups.push_back(t);
  }
  v.total.pupils = static_cast<int64_t>(pupils.size());
  return v;
}

io::CensusReturnFile CensusReturns::FileOf(const CensusView& v) const {
  store::School school;
  {
    auto lock = school_.Read();
    school = school_.snapshot().school;
  }
  return {.census = v.request.census,
          .year = v.request.year,
          .reference_date = v.reference_date,
          .produced_at = LocalIsoTime(school_.clock().NowSeconds()),
          .lea = school.la_code,
          .estab = school.establishment_number,
          .school_name = school.name,
          .codes = v.codes,
          .parts = v.parts,
          .enrolments = v.enrolments,
          .pupils = v.pupils};
}

core::StatusOr<CensusFile> CensusReturns::RecordXml(const Principal& who, const CensusView& v) {
  CensusFile file = Xml(v);
  RETURN_IF_ERROR(Record(who, v, file));
  return file;
}

core::Status CensusReturns::Record(const Principal& who, const CensusView& v,
                                   const CensusFile& file) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kMakeCensusReturn, {}));
  }
  store::CensusReturnRecord record{.census = v.request.census,
                                   .year = v.request.year,
                                   .produced_at = school_.clock().NowSeconds(),
                                   .by_user_id = who.user_id,
                                   .by_name = who.name,
                                   .pupils = v.total.pupils,
                                   .enrolments = v.total.enrolments,
                                   .possible = v.total.possible,
                                   .authorised = v.total.authorised,
                                   .unauthorised = v.total.unauthorised,
                                   .problems = v.blocking,
                                   .xml = file.text};
  return school_.store().AddCensusReturn(record).status();
}

CensusFile CensusReturns::Xml(const CensusView& v) const {
  return {FileName(v.request, "xml"), io::WriteCensusXml(FileOf(v))};
}

CensusFile CensusReturns::Csv(const CensusView& v) const {
  return {FileName(v.request, "csv"), io::WriteCensusCsv(FileOf(v))};
}

core::StatusOr<std::vector<store::CensusReturnRecord>> CensusReturns::Returns(
    const Principal& who) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kReadCensusReturns, {}));
  }
  return school_.store().CensusReturns();
}

core::StatusOr<CensusFile> CensusReturns::RecordedXml(const Principal& who, int64_t id) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kMakeCensusReturn, {}));
  }
  ASSIGN_OR_RETURN(std::vector<store::CensusReturnRecord> returns, school_.store().CensusReturns());
  for (const store::CensusReturnRecord& r : returns) {
    if (r.id != id) continue;
    ASSIGN_OR_RETURN(std::string xml, school_.store().CensusReturnXml(id));
    return CensusFile{FileName({r.census, r.year}, "xml"), std::move(xml)};
  }
  return core::NotFound(core::kErrNotFound, fmt::format("no census return with number {}", id));
}

}  // namespace rollcall::service
