// lessons_disagreements.cc: where lesson registers and the statutory
// register disagree, today's internal truancy and a pupil's pattern of it
// (lessons.h). Each pupil's session is judged by core::CheckSession over the
// lesson marks stored and the statutory mark the school holds.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "core/error_codes.h"
#include "service/fields.h"
#include "service/lessons.h"
#include "service/lessons_day.h"
#include "service/records.h"

namespace rollcall::service {
namespace {

using lessons_internal::TimetableIndex;

std::string DisagreementWords(const DisagreementLine& d) {
  const std::string lesson = lessons_internal::LessonWords(d.lesson);
  const std::string seen =
      d.lesson_code == core::AttendanceCode::kLateBeforeClose ? "late" : "present";
  switch (d.kind) {
    case core::Disagreement::kSeenWhileAbsent:
      return fmt::format("Marked {} at registration, {} in {}",
                         d.statutory ? core::SymbolOf(*d.statutory) : "-", seen, lesson);
    case core::Disagreement::kMissingFromLesson:
      if (d.statutory && core::CategoryOf(*d.statutory) == core::StatCategory::kPresent) {
        return fmt::format("Marked {} at registration, missing (N) from {}",
                           core::SymbolOf(*d.statutory), lesson);
      }
      return fmt::format("Seen in an earlier lesson, missing (N) from {}", lesson);
    case core::Disagreement::kSeenButUnmarked:
      return fmt::format("No {} mark after the register closed, {} in {}",
                         core::SessionName(d.session), seen, lesson);
  }
  core::Unreachable();
}

// When each pupil was at school by reception's book, per day: signed in
// late at `in`, signed out early at `out` (minutes after midnight).
struct OnSite {
  std::optional<int> in, out;
};
using SignedTimes = std::map<std::pair<int64_t, core::Date>, OnSite>;

// The signings in and out on the days of `marks`.
core::StatusOr<SignedTimes> SignedTimesFor(store::Store& store,
                                           const std::vector<store::LessonMark>& marks) {
  std::set<core::Date> days;
  for (const store::LessonMark& m : marks) days.insert(m.date);
  SignedTimes out;
  for (const core::Date day : days) {
    ASSIGN_OR_RETURN(const std::vector<store::SignEvent> events, store.SignEventsOn(day));
    for (const store::SignEvent& e : events) {
      OnSite& at = out[{e.pupil_id, day}];
      if (e.kind == store::SignKind::kIn) {
        at.in = std::max(at.in.value_or(e.minute), e.minute);
      } else {
        at.out = std::min(at.out.value_or(e.minute), e.minute);
      }
    }
  }
  return out;
}

// Whether a lesson starting at `start` was one the pupil was away from by
// reception's book: before they signed in late, or after they signed out.
bool SignedAway(const SignedTimes& signed_times, int64_t pupil_id, core::Date date, int start) {
  auto it = signed_times.find({pupil_id, date});
  if (it == signed_times.end()) return false;
  return (it->second.in && start < *it->second.in) || (it->second.out && start >= *it->second.out);
}

// Every disagreement in `marks` (ordered by date, period start, pupil) that
// `keep` keeps, newest first. A pupil missing from a lesson that began
// before they arrived late (the register's arrival time, or reception's
// signing in) or after they signed out is no disagreement.
// Requires the school's lock.
template <typename Keep>
std::vector<DisagreementLine> Judge(const School& school, const TimetableIndex& index,
                                    const std::vector<store::LessonMark>& marks,
                                    const SignedTimes& signed_times, Keep keep) {
  const Snapshot& snap = school.snapshot();
  const core::Clock& clock = school.clock();
  // Each pupil's lessons of each session, in the order of the day.
  std::map<std::tuple<int64_t, core::Date, core::Session>, std::vector<const store::LessonMark*>>
      sessions;
  for (const store::LessonMark& m : marks) {
    const store::Period* period = index.period(m.period_id);
    if (period == nullptr) continue;
    sessions[{m.pupil_id, m.date, period->session}].push_back(&m);
  }
  std::vector<DisagreementLine> out;
  for (const auto& [key, lesson_marks] : sessions) {
    const auto& [pupil_id, date, session] = key;
    auto at = snap.pupil_index.find(pupil_id);
    if (at == snap.pupil_index.end()) continue;
    const core::SessionKey slot{date, session};
    const SlotMark held = school.MarkAt(at->second, slot);
    const std::optional<core::AttendanceCode> statutory = held.code;
    const bool closed =
        date < clock.Today() ||
        (date == clock.Today() && clock.MinuteOfDay() >= school.RegisterClose(session));
    std::vector<core::LessonEntry> entries;
    for (const store::LessonMark* m : lesson_marks) {
      entries.push_back({index.period(m->period_id)->start_minute, m->code});
    }
    for (const core::SessionDisagreement& d : core::CheckSession(statutory, entries, closed)) {
      if (!keep(d.kind)) continue;
      const store::LessonMark& m = *lesson_marks[d.lesson];
      // Not yet arrived (the register's late time) or signed out: away, not truant.
      const int start = entries[d.lesson].start_minute;
      if (d.kind == core::Disagreement::kMissingFromLesson &&
          ((held.arrival && start < *held.arrival) ||
           SignedAway(signed_times, pupil_id, date, start))) {
        continue;
      }
      const store::Pupil& p = snap.pupils[at->second];
      DisagreementLine line;
      line.pupil_id = pupil_id;
      line.pupil = DisplayName(p);
      line.form = ClassNameOf(snap, p.class_id);
      line.date = date;
      line.session = session;
      line.kind = d.kind;
      line.statutory = statutory;
      line.lesson_code = m.code;
      line.lesson = lessons_internal::RefOfMark(index, m, snap);
      line.words = DisagreementWords(line);
      out.push_back(std::move(line));
    }
  }
  std::sort(out.begin(), out.end(), [](const DisagreementLine& a, const DisagreementLine& b) {
    return std::tie(b.date, b.lesson.start_minute, a.pupil, a.pupil_id) <
           std::tie(a.date, a.lesson.start_minute, b.pupil, b.pupil_id);
  });
  return out;
}

}  // namespace

core::StatusOr<std::vector<DisagreementLine>> Lessons::Disagreements(
    const Principal& who, const std::string& from_text, const std::string& to_text) const {
  ASSIGN_OR_RETURN(const core::Date from, ParseDateParam(from_text, "from"));
  ASSIGN_OR_RETURN(const core::Date to, ParseDateParam(to_text, "to"));
  if (to < from) {
    return core::InvalidArgument(
        core::kErrDateInvalid,
        fmt::format("'to' ({}) is before 'from' ({})", to.ToString(), from.ToString()));
  }
  RETURN_IF_ERROR(school_.AllowNow(who, Action::kReadLessonDisagreements, {}));
  ASSIGN_OR_RETURN(const std::vector<store::LessonMark> marks,
                   school_.store().LessonMarksBetween(from, to));
  ASSIGN_OR_RETURN(const SignedTimes signed_times, SignedTimesFor(school_.store(), marks));
  auto lock = school_.Read();
  const TimetableIndex index(school_.snapshot().timetable);
  return Judge(school_, index, marks, signed_times, [](core::Disagreement) { return true; });
}

core::StatusOr<std::vector<DisagreementLine>> Lessons::TruancyToday(const Principal& who) const {
  RETURN_IF_ERROR(school_.AllowNow(who, Action::kReadWorklist, {}));
  const core::Date today = school_.clock().Today();
  {
    auto lock = school_.Read();
    if (school_.snapshot().timetable.periods.empty()) return std::vector<DisagreementLine>{};
  }
  ASSIGN_OR_RETURN(const std::vector<store::LessonMark> marks,
                   school_.store().LessonMarksBetween(today, today));
  ASSIGN_OR_RETURN(const SignedTimes signed_times, SignedTimesFor(school_.store(), marks));
  auto lock = school_.Read();
  const TimetableIndex index(school_.snapshot().timetable);
  return Judge(school_, index, marks, signed_times,
               [](core::Disagreement d) { return d == core::Disagreement::kMissingFromLesson; });
}

core::StatusOr<TruancyPatternView> Lessons::TruancyPattern(const Principal& who, int64_t pupil_id,
                                                           int weeks) const {
  if (weeks < 1 || weeks > 52) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("weeks is 1 to 52, not {}", weeks));
  }
  TruancyPatternView out;
  out.pupil_id = pupil_id;
  {
    auto lock = school_.Read();
    ASSIGN_OR_RETURN(const size_t index, school_.PupilFor(who, pupil_id, Action::kReadPupil));
    out.pupil = DisplayName(school_.snapshot().pupils[index]);
  }
  out.to = school_.clock().Today();
  out.from = out.to.AddDays(-7 * weeks + 1);
  ASSIGN_OR_RETURN(const std::vector<store::LessonMark> marks,
                   school_.store().LessonMarksOf(pupil_id, out.from, out.to));
  ASSIGN_OR_RETURN(const SignedTimes signed_times, SignedTimesFor(school_.store(), marks));
  {
    auto lock = school_.Read();
    const TimetableIndex index(school_.snapshot().timetable);
    out.missed = Judge(school_, index, marks, signed_times, [](core::Disagreement d) {
      return d == core::Disagreement::kMissingFromLesson;
    });
  }
  for (const DisagreementLine& d : out.missed) {
    const int weekday = static_cast<int>(d.date.weekday());
    if (weekday < 5) ++out.by_weekday[static_cast<size_t>(weekday)];
    ++out.by_period[d.lesson.period];
    ++out.by_subject[d.lesson.subject];
  }
  return out;
}

}  // namespace rollcall::service
