// absence_reports.cc: parents' absence reports and confirming them
// (absence_reports.h).
#include "service/absence_reports.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <utility>

#include "core/error_codes.h"
#include "service/fields.h"
#include "service/records.h"
#include "service/words.h"

namespace rollcall::service {
namespace {

// A report covers at most this many days after its first; longer absences
// are arranged with the school.
constexpr int32_t kMaxReportSpanDays = 60;
// How far back and ahead a report may start.
constexpr int32_t kReportStartsAfterDaysAgo = 14;
constexpr int32_t kReportStartsWithinDays = 365;
constexpr size_t kMaxReportText = 500;

}  // namespace

std::optional<core::AttendanceCode> SuggestedCode(std::string_view reason) {
  // Whole words only: "will" is not "ill".
  std::vector<std::string> words;
  std::string word;
  for (char c : std::string(reason) + " ") {
    if (std::isalpha(static_cast<unsigned char>(c))) {
      word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  const auto any = [&](std::initializer_list<std::string_view> wanted) {
    return std::any_of(words.begin(), words.end(), [&](const std::string& w) {
      return std::find(wanted.begin(), wanted.end(), w) != wanted.end();
    });
  };
  // Appointments first: "hospital appointment for her cough" is an appointment.
  if (any({"appointment", "appt", "dentist", "dental", "doctor", "doctors", "hospital",
           "orthodontist", "optician", "opticians", "clinic", "gp", "surgery"})) {
    return core::AttendanceCode::kMedical;
  }
  if (any({"ill",     "illness", "sick",       "unwell",   "poorly",   "temperature",
           "fever",   "vomit",   "vomiting",   "sickness", "cough",    "cold",
           "flu",     "covid",   "chickenpox", "headache", "migraine", "tummy",
           "stomach", "bug",     "diarrhoea"})) {
    return core::AttendanceCode::kIllness;
  }
  if (any({"religious", "eid", "diwali", "kippur", "rosh", "vaisakhi", "holy"})) {
    return core::AttendanceCode::kReligious;
  }
  return std::nullopt;
}

core::StatusOr<store::AbsenceReport> AbsenceReports::Report(const Principal& who,
                                                            const AbsenceReportRequest& req) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.PupilFor(who, req.pupil_id, Action::kReportAbsence).status());
  }
  ASSIGN_OR_RETURN(const core::Date from, ParseDateParam(req.from, "from"));
  ASSIGN_OR_RETURN(const core::Date to, req.to.empty() ? core::StatusOr<core::Date>(from)
                                                       : ParseDateParam(req.to, "to"));
  const core::Date today = school_.clock().Today();
  if (to < from) return core::InvalidArgument(core::kErrValueInvalid, "'to' is before 'from'");
  if (to.days() - from.days() > kMaxReportSpanDays) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "an absence report covers at most 60 days: ask the school");
  }
  if (from.days() < today.days() - kReportStartsAfterDaysAgo ||
      from.days() > today.days() + kReportStartsWithinDays) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        "an absence report starts at most 14 days ago and at most a year ahead");
  }
  if (req.reason.empty() || req.reason.size() > kMaxReportText) {
    return core::InvalidArgument(core::kErrValueInvalid, "give a reason of 1 to 500 characters");
  }
  store::AbsenceReport report;
  report.pupil_id = req.pupil_id;
  report.from = from;
  report.to = to;
  report.reason = req.reason;
  report.reported_at = school_.clock().NowSeconds();
  report.reported_by = who.user_id;
  report.reported_by_name = who.name;
  const auto write = school_.BeginWrite();
  ASSIGN_OR_RETURN(report.id, school_.store().AddAbsenceReport(report));
  return report;
}

core::StatusOr<std::vector<AbsenceReportView>> AbsenceReports::List(const Principal& who,
                                                                    bool open_only) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kListAbsenceReports, {}));
  }
  ASSIGN_OR_RETURN(std::vector<store::AbsenceReport> reports,
                   school_.store().ListAbsenceReports(open_only));
  std::vector<AbsenceReportView> out;
  auto lock = school_.Read();
  const Snapshot& snap = school_.snapshot();
  for (store::AbsenceReport& r : reports) {
    // Reports of pupils no longer in the school, or beyond the reader's
    // pupils, are left out.
    core::StatusOr<size_t> index = school_.PupilFor(who, r.pupil_id, Action::kReadPupil);
    if (!index.ok()) continue;
    std::string name = DisplayName(snap.pupils[*index]);
    out.push_back({std::move(r), std::move(name)});
  }
  return out;
}

core::StatusOr<int64_t> AbsenceReports::Resolve(const Principal& who,
                                                const ResolveReportRequest& req) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kResolveAbsenceReport, {}));
  }
  std::optional<int64_t> id = ParseId(req.report_id);
  if (!id) {
    return core::NotFound(core::kErrReportUnknown, "no absence report '" + req.report_id + "'");
  }
  if (req.resolution.empty() || req.resolution.size() > kMaxReportText) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "give a resolution of 1 to 500 characters");
  }
  const auto write = school_.BeginWrite();
  RETURN_IF_ERROR(school_.store().ResolveAbsenceReport(*id, school_.clock().NowSeconds(),
                                                       who.user_id, req.resolution));
  return *id;
}

core::StatusOr<ReportConfirmation> AbsenceReports::Confirm(const Principal& who,
                                                           const ConfirmReportRequest& req) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kResolveAbsenceReport, {}));
  }
  ASSIGN_OR_RETURN(std::vector<store::AbsenceReport> open,
                   school_.store().ListAbsenceReports(true));
  auto r = std::find_if(open.begin(), open.end(),
                        [&](const store::AbsenceReport& a) { return a.id == req.report_id; });
  if (r == open.end()) {
    return core::NotFound(core::kErrReportUnknown,
                          fmt::format("no open absence report {}", req.report_id));
  }
  const std::optional<core::AttendanceCode> code = core::CodeFromSymbol(req.code);
  if (!code) {
    return core::InvalidArgument(core::kErrCodeUnknown,
                                 fmt::format("'{}' is not an attendance code", req.code));
  }
  const core::Date today = school_.clock().Today();
  ReportConfirmation out;
  std::vector<core::SessionKey> slots;
  bool session_to_come = false;
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    const core::Calendar& calendar = snap.scenario.calendar;
    auto it = snap.pupil_index.find(r->pupil_id);
    if (it == snap.pupil_index.end()) {
      return core::NotFound(core::kErrPupilUnknown, fmt::format("no pupil {}", r->pupil_id));
    }
    const int now_minute = school_.clock().MinuteOfDay();
    for (int32_t i = calendar.FirstSessionOnOrAfter(r->from);
         i < calendar.SessionCount() && calendar.SessionAt(i).date <= std::min(r->to, today); ++i) {
      const core::SessionKey slot = calendar.SessionAt(i);
      if (slot.date == today && now_minute < school_.RegisterOpen(slot.session)) {
        session_to_come = true;  // coded once its register has opened
        continue;
      }
      if (!snap.scenario.pupils[it->second].OnRollOn(slot.date)) continue;
      const std::optional<core::AttendanceCode> current = school_.MarkAt(it->second, slot).code;
      if (!current || *current == core::AttendanceCode::kNoReasonYet) slots.push_back(slot);
    }
  }
  // Each session as a register amendment of its own: Registers checks the
  // code for the pupil and day, and whether `who` may mark them.
  for (const core::SessionKey& slot : slots) {
    ASSIGN_OR_RETURN(
        MarkResult result,
        registers_.RecordMark(
            who, {slot.date.ToString(), std::string(core::SessionName(slot.session)),
                  std::to_string(r->pupil_id), req.code, "Parent reported: " + r->reason, ""}));
    (void)result;
    out.coded.push_back(slot);
  }
  out.resolved = r->to < today || (r->to == today && !session_to_come);
  if (out.resolved) {
    std::string sessions;
    for (const core::SessionKey& s : out.coded) {
      sessions += (sessions.empty() ? "" : ", ") + SessionText(s);
    }
    const std::string resolution =
        out.coded.empty()
            ? fmt::format("Confirmed as {}: the sessions were already coded", req.code)
            : fmt::format("Recorded as {} ({}): {}", req.code, core::InfoOf(*code).meaning,
                          sessions);
    const auto write = school_.BeginWrite();
    RETURN_IF_ERROR(school_.store().ResolveAbsenceReport(r->id, school_.clock().NowSeconds(),
                                                         who.user_id, resolution));
  }
  return out;
}

}  // namespace rollcall::service
