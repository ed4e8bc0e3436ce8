// mark_planner.cc: the plan of every register the teachers save and every
// amendment the office makes, from synth's marks: unexplained absence
// recorded as N and resolved later, the office's contact log with it.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/calendar.h"
#include "core/codes.h"
#include "demo/internal.h"

namespace rollcall::cli::internal {
namespace {

std::string ClockText(int minute_of_day) {
  return fmt::format("{:02d}:{:02d}", minute_of_day / 60, minute_of_day % 60);
}

// An explanation the school does not accept as a reason for absence (O).
std::string NotAccepted(synth::Rng& rng) {
  constexpr std::array<std::string_view, 5> kExplanations = {
      "family day out", "birthday treat", "shopping trip", "overslept", "visiting relatives"};
  return fmt::format("Reason given not accepted: {}", Pick(kExplanations, rng));
}

// The open school days in order, for "n school days later".
class SchoolDayList {
 public:
  explicit SchoolDayList(const core::Calendar& calendar) : calendar_(calendar) {
    for (int32_t s = 0; s < calendar.SessionCount(); ++s) {
      const Date date = calendar.SessionAt(s).date;
      if (days_.empty() || days_.back() != date) {
        index_.emplace(date.days(), days_.size());
        days_.push_back(date);
      }
    }
  }
  // The school day `n` school days after `date` (a school day), if the calendar has one.
  std::optional<Date> After(Date date, int n) const {
    const auto it = index_.find(date.days());
    if (it == index_.end() || it->second + static_cast<size_t>(n) >= days_.size()) {
      return std::nullopt;
    }
    return days_[it->second + static_cast<size_t>(n)];
  }
  // School days after `from`, up to and including `to`.
  int Between(Date from, Date to) const { return calendar_.SchoolDaysBetween(from, to); }

 private:
  const core::Calendar& calendar_;
  std::vector<Date> days_;
  std::map<int32_t, size_t> index_;
};

struct Resolution {
  std::optional<Date> date;  // nullopt: never (beyond the calendar, or not followed up)
  int minute = 0;
  std::string reason;
  AttendanceCode code = AttendanceCode::kNoReasonYet;
  std::optional<int> arrival_minute;
};

class MarkPlanner {
 public:
  MarkPlanner(const core::Calendar& calendar, Date today, const LocalTime& time, uint64_t seed)
      : days_(calendar), today_(today), time_(time), seed_(seed) {}

  // Plans the writes of one mark whose code in synth's registers is `code`.
  // `rng` is the pupil's own stream, drawn from in session order.
  void Plan(size_t pupil, const Draft& draft, core::SessionKey slot, AttendanceCode code,
            synth::Rng& rng, MarkPlan& plan) const {
    const bool am = slot.session == Session::kAm;
    const int start = am ? kAmStart : kPmStart;
    const int register_minute = am ? kAmRegisterMinute : kPmRegisterMinute;
    const int64_t register_at = time_.At(slot.date, register_minute);
    if (register_at > time_.now()) return;
    PlannedWrite teacher{.pupil = pupil,
                         .slot = slot,
                         .code = code,
                         .at = register_at,
                         .reason = std::string(kTeacherReason)};
    if (code == AttendanceCode::kLateBeforeClose) {
      teacher.arrival_minute = start + rng.Between(1, register_minute - start - 1);
    }
    // One draw per pupil and day, so that a morning and an afternoon absence
    // are explained together.
    synth::Rng day_rng(synth::StreamSeed(seed_ + static_cast<uint64_t>(slot.date.days()),
                                         kDemoDayStreamBase + pupil));
    const std::optional<Resolution> later = Resolve(draft, slot, code, start, day_rng, rng);
    const AttendanceCode final_code = later && later->date ? later->code : teacher.code;
    const core::StatCategory category = core::CategoryOf(final_code);
    if (core::IsPossible(final_code)) ++plan.possible[pupil];
    if (category == core::StatCategory::kAuthorised ||
        category == core::StatCategory::kUnauthorised) {
      ++plan.absent[pupil];
    }
    if (!later) {
      plan.writes.push_back(std::move(teacher));
      return;
    }
    // Absent at registration with no reason yet: N, until the office learns why.
    teacher.code = AttendanceCode::kNoReasonYet;
    plan.writes.push_back(std::move(teacher));
    if (am) PlanContacts(pupil, slot.date, *later, plan);
    // The office never amends a register before the teacher has saved it:
    // an afternoon's absences wait for the sitting after that register.
    const int64_t earliest = am ? register_at : time_.At(slot.date, kAfternoonSitting);
    const std::optional<int64_t> at =
        later->date
            ? std::optional<int64_t>(std::max(time_.At(*later->date, later->minute), earliest))
            : std::nullopt;
    if (!at || *at > time_.now()) {
      ++plan.unresolved_n[pupil];
      return;
    }
    plan.writes.push_back({.pupil = pupil,
                           .slot = slot,
                           .code = later->code,
                           .arrival_minute = later->arrival_minute,
                           .at = *at,
                           .by_office = true,
                           .reason = later->reason});
  }

 private:
  // The office's contact log for a morning's unexplained absence, as the
  // first-day calling routine would leave it: the parent rang in or emailed;
  // or the office rang (no answer), then heard back, wrote, or, for a child
  // missing education, rang again and visited.
  void PlanContacts(size_t pupil, Date day, const Resolution& later, MarkPlan& plan) const {
    using store::ContactMethod;
    using store::ContactOutcome;
    auto add = [&](std::optional<Date> date, int minute, ContactMethod method,
                   ContactOutcome outcome, std::string note) {
      if (!date) return;
      const int64_t at = time_.At(*date, minute);
      if (at > time_.now()) return;
      plan.contacts.push_back({pupil, at, method, outcome, std::move(note)});
    };
    const std::string& why = later.reason;
    if (why.starts_with("Parent phoned:") || why.starts_with("Parent told the office")) {
      add(day, kFirstSitting - 5, ContactMethod::kCall, ContactOutcome::kSpoke,
          "Parent rang the office: " + why.substr(why.find(':') + 2));
      return;
    }
    if (why.starts_with("Parent emailed")) {
      add(day, kMidMorningSitting - 10, ContactMethod::kEmail, ContactOutcome::kSent,
          "Parent's email: " + why.substr(why.find(':') + 2));
      return;
    }
    if (why.starts_with("Term-time holiday") || why.starts_with("Note from parent") ||
        why.starts_with("Appointment card") || why.starts_with("Arrived at")) {
      return;  // known from a note, a card or the signing-in book
    }
    // The office rang the first contact that morning and got no answer.
    add(day, kFirstSitting, ContactMethod::kCall, ContactOutcome::kNoAnswer,
        "First-day call about the unexplained absence");
    if (!later.date) return;  // still open
    if (why.starts_with("Parent phoned back")) {
      add(later.date, later.minute - 5, ContactMethod::kCall, ContactOutcome::kSpoke,
          "Parent phoned back: " + why.substr(why.find(':') + 2));
    } else if (why.starts_with("No contact after 5 school days")) {
      add(days_.After(day, 1), kFirstSitting, ContactMethod::kCall, ContactOutcome::kNoAnswer,
          "Second day: rang both contacts, no answer; emailed");
      add(days_.After(day, 3), kAfternoonSitting, ContactMethod::kHomeVisit,
          ContactOutcome::kNotSeen,
          "Home visit with the DSL: no one home, card left. DSL informed");
    } else {
      add(later.date, later.minute, ContactMethod::kLetter, ContactOutcome::kSent,
          "Letter: no reason given for the absence, so it is recorded as unauthorised");
    }
  }

  // How and when the office learns the reason for an absence that the
  // teacher records as N; nullopt for a code the teacher records directly
  // (present, late before close, and absence known in advance: trips, leave
  // granted, suspensions, part-time timetables). Choices come from
  // `day_rng`; arrival times from `rng`.
  std::optional<Resolution> Resolve(const Draft& draft, core::SessionKey slot, AttendanceCode code,
                                    int session_start, synth::Rng& day_rng, synth::Rng& rng) const {
    const Date day = slot.date;
    const auto when = [&](std::optional<Date> date, int minute, std::string reason,
                          AttendanceCode final_code) {
      return Resolution{
          .date = date, .minute = minute, .reason = std::move(reason), .code = final_code};
    };
    const double draw = day_rng.Uniform();
    switch (code) {
      case AttendanceCode::kIllness:
        if (draw < 0.15) return std::nullopt;  // the parent rang before the register
        if (draw < 0.7) return when(day, kFirstSitting, "Parent phoned: illness", code);
        if (draw < 0.9) return when(day, kMidMorningSitting, "Parent emailed: illness", code);
        return when(days_.After(day, 1), kFirstSitting, "Note from parent on return: illness",
                    code);
      case AttendanceCode::kMedical:
        if (draw < 0.5) {
          return when(day, kMidMorningSitting, "Parent told the office: medical appointment", code);
        }
        return when(days_.After(day, 1), kFirstSitting,
                    "Appointment card seen: medical appointment", code);
      case AttendanceCode::kHolidayNotGranted:
        return when(days_.After(day, 2), kLunchtimeSitting,
                    "Term-time holiday: leave not requested, so not authorised", code);
      case AttendanceCode::kOtherUnauthorised:
        if (draw < 0.5) {
          return when(days_.After(day, 1), kLunchtimeSitting, NotAccepted(day_rng), code);
        }
        if (draw < 0.85) {
          return when(days_.After(day, 3), kLastSitting, "No reason given after 3 school days",
                      code);
        }
        return when(days_.After(day, 5), kLastSitting, "No reason given after 5 school days", code);
      case AttendanceCode::kLateAfterClose: {
        // Absent when the register was taken; the office records the arrival.
        const int arrival = session_start + kRegisterCloseMinutes + rng.Between(1, 75);
        Resolution r = when(day, arrival + 3,
                            fmt::format("Arrived at {}, after the register closed: signed in "
                                        "at the office",
                                        ClockText(arrival)),
                            code);
        r.arrival_minute = arrival;
        return r;
      }
      case AttendanceCode::kNoReasonYet:
        return ResolveUnexplained(draft, day, draw, day_rng);
      default:
        return std::nullopt;
    }
  }

  // Synth's N marks: a child missing education, the last few days'
  // unexplained absence, and the odd older N never followed up.
  std::optional<Resolution> ResolveUnexplained(const Draft& draft, Date day, double draw,
                                               synth::Rng& day_rng) const {
    Resolution r;
    if (draft.pattern == synth::PupilPattern::kMissingEducation) {
      // No contact, so unauthorised after five school days while the CME
      // enquiries go on.
      r.date = days_.After(day, 5);
      r.minute = kLastSitting;
      r.reason = "No contact after 5 school days: CME enquiries under way";
      r.code = AttendanceCode::kOtherUnauthorised;
      return r;
    }
    if (days_.Between(day, today_) >= 3) return r;  // overdue: never followed up
    // The office chases the last few days' absences; some are still open.
    if (draw < 0.4) {
      r.date = day;
      r.minute = kMidMorningSitting;
      r.reason = "Parent phoned back: illness";
      r.code = AttendanceCode::kIllness;
    } else if (draw < 0.65) {
      r.date = days_.After(day, 1);
      r.minute = kFirstSitting;
      r.reason = "Parent phoned back: illness";
      r.code = AttendanceCode::kIllness;
    } else if (draw < 0.8) {
      r.date = days_.After(day, 1);
      r.minute = kLunchtimeSitting;
      r.reason = NotAccepted(day_rng);
      r.code = AttendanceCode::kOtherUnauthorised;
    }
    return r;
  }

  SchoolDayList days_;
  Date today_;
  LocalTime time_;
  uint64_t seed_;
};

}  // namespace

MarkPlan PlanMarks(const synth::SynthSchool& school, const std::vector<Draft>& drafts, Date today,
                   int minute_of_day, const LocalTime& time, uint64_t seed) {
  const core::Calendar& calendar = school.scenario.calendar;
  const MarkPlanner planner(calendar, today, time, seed);
  MarkPlan plan;
  plan.unresolved_n.assign(drafts.size(), 0);
  plan.possible.assign(drafts.size(), 0);
  plan.absent.assign(drafts.size(), 0);
  // A register is recorded once it has closed: every session before today,
  // and today's sessions whose close time has passed.
  const auto recorded = [&](core::SessionKey slot) {
    if (slot.date != today) return slot.date < today;
    const int start = slot.session == Session::kAm ? kAmStart : kPmStart;
    return minute_of_day >= start + kRegisterCloseMinutes;
  };
  // Synth's explicit nulls: a register not taken. Only the odd pupil's
  // session is kept unmarked; synth's whole-form gap on the last school
  // afternoon does not match the demo's classes, so those pupils are marked
  // present.
  const int32_t last_session = calendar.FirstSessionOnOrAfter(today.AddDays(1)) - 1;
  const bool any_school_day = last_session >= 0;
  const Date last_school_day = any_school_day ? calendar.SessionAt(last_session).date : Date();
  constexpr uint8_t kFree = 0;
  constexpr uint8_t kUnmarked = 255;
  std::vector<uint8_t> cells(static_cast<size_t>(calendar.SessionCount()));
  for (size_t idx = 0; idx < drafts.size(); ++idx) {
    std::fill(cells.begin(), cells.end(), kFree);
    for (const core::RecordedMark& mark : school.scenario.marks[idx]) {
      if (const std::optional<int32_t> s = calendar.IndexOf(mark.slot)) {
        cells[static_cast<size_t>(*s)] = mark.code ? static_cast<uint8_t>(*mark.code) : kUnmarked;
      }
    }
    synth::Rng rng(synth::StreamSeed(seed, kDemoMarksStreamBase + idx));
    for (int32_t s = 0; s < calendar.SessionCount(); ++s) {
      const core::SessionKey slot = calendar.SessionAt(s);
      if (!recorded(slot)) break;
      if (!drafts[idx].record.OnRollOn(slot.date)) continue;
      const uint8_t cell = cells[static_cast<size_t>(s)];
      const bool whole_form_gap =
          any_school_day && slot.date == last_school_day && slot.session == Session::kPm;
      if (cell == kUnmarked && !whole_form_gap) continue;
      AttendanceCode code =
          slot.session == Session::kAm ? AttendanceCode::kPresentAm : AttendanceCode::kPresentPm;
      if (cell != kFree && cell != kUnmarked) code = *core::CodeFromStored(cell);
      planner.Plan(idx, drafts[idx], slot, code, rng, plan);
    }
  }
  return plan;
}

}  // namespace rollcall::cli::internal
