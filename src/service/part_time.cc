// part_time.cc: part-time timetables and the code a session is already
// decided to take (part_time.h).
#include "service/part_time.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error_codes.h"
#include "service/fields.h"
#include "service/records.h"

namespace rollcall::service {
namespace {

using core::Date;
using core::SessionKey;

constexpr size_t kMaxPartTimeText = 2000;
constexpr int kReminderDays = 7;  // reviews and ends due within a week are listed

core::StatusOr<Date> DateOr(const std::string& text, const char* what, Date fallback) {
  if (text.empty()) return fallback;
  return ParseDateParam(text, what);
}

}  // namespace

core::StatusOr<PartTimeView> PartTime::Agree(const Principal& who, const PartTimeAgreement& a) {
  const Date today = school_.clock().Today();
  store::PartTimeTimetable t;
  t.pupil_id = a.pupil_id;
  ASSIGN_OR_RETURN(t.agreed_on, DateOr(a.agreed_on, "agreed_on", today));
  if (t.agreed_on > today) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "'agreed_on' is in the future: record it once agreed");
  }
  ASSIGN_OR_RETURN(t.start, ParseDateParam(a.start, "start"));
  ASSIGN_OR_RETURN(t.end, ParseDateParam(a.end, "end"));
  ASSIGN_OR_RETURN(t.review_date, ParseDateParam(a.review_date, "review_date"));
  t.agreed_with = a.agreed_with;
  t.reason = a.reason;
  t.plan = a.plan;
  for (const std::string* text : {&t.agreed_with, &t.reason, &t.plan}) {
    if (text->size() > kMaxPartTimeText) {
      return core::InvalidArgument(
          core::kErrValueInvalid,
          fmt::format("a field is longer than {} characters", kMaxPartTimeText));
    }
  }
  if (!a.attends) {
    return core::InvalidArgument(core::kErrRequiredKey,
                                 "'attends' lists the sessions the pupil attends, e.g. "
                                 "[\"mon-am\", \"tue-am\"]");
  }
  for (const std::string& key : *a.attends) {
    const std::optional<int> bit = core::TimetablePattern::BitOfKey(key);
    if (!bit) {
      return core::InvalidArgument(
          core::kErrValueInvalid, fmt::format("'{}' is not a session: use mon-am ... fri-pm", key));
    }
    t.attends = static_cast<uint16_t>(t.attends | (1u << *bit));
  }
  {
    auto lock = school_.Read();
    ASSIGN_OR_RETURN(size_t index, school_.PupilFor(who, a.pupil_id, Action::kAgreePartTime));
    if (!school_.snapshot().scenario.pupils[index].OnRollOn(t.start)) {
      return core::InvalidArgument(
          core::kErrPartTimeInvalid,
          "part-time timetable: the pupil is not on roll on its start date");
    }
  }
  t.at = school_.clock().NowSeconds();
  StampAuthor(t, who);
  {
    const auto write_lock = school_.BeginWrite();
    ASSIGN_OR_RETURN(t.id, school_.store().AddPartTimeTimetable(t));
    school_.Apply([&](Snapshot& s) { s.part_time.push_back(t); });
  }
  auto lock = school_.Read();
  for (PartTimeView& v : TimetablesOf(t.pupil_id)) {
    if (v.t.id == t.id) return std::move(v);
  }
  return core::Internal(core::kErrInternal, "the timetable was not kept");
}

core::StatusOr<store::PartTimeReview> PartTime::Review(const Principal& who,
                                                       const PartTimeReviewRequest& req) {
  const std::optional<int64_t> id = ParseId(req.timetable_id);
  const Date today = school_.clock().Today();
  store::PartTimeReview r;
  std::optional<PartTimeView> view;
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(
        school_.Allow(who, Action::kWorkSupport, {}));  // before saying whether it exists
    const std::vector<store::PartTimeTimetable>& all = school_.snapshot().part_time;
    auto t = std::find_if(all.begin(), all.end(),
                          [&](const store::PartTimeTimetable& x) { return id && x.id == *id; });
    if (t == all.end()) {
      return core::NotFound(core::kErrPartTimeUnknown,
                            "no part-time timetable with id '" + req.timetable_id + "'");
    }
    ASSIGN_OR_RETURN(size_t index, school_.PupilFor(who, t->pupil_id, Action::kWorkSupport));
    (void)index;
    for (PartTimeView& v : TimetablesOf(t->pupil_id)) {
      if (v.t.id == *id) view = std::move(v);
    }
  }
  r.timetable_id = view->t.id;
  ASSIGN_OR_RETURN(r.held_on, DateOr(req.held_on, "held_on", today));
  if (r.held_on > today) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "'held_on' is in the future: record a review once it is held");
  }
  if (!req.outcome) return core::InvalidArgument(core::kErrRequiredKey, "'outcome' is required");
  const std::optional<store::PartTimeOutcome> outcome =
      store::PartTimeOutcomeFromName(*req.outcome);
  if (!outcome) {
    return core::InvalidArgument(core::kErrPartTimeInvalid,
                                 "part-time review: the outcome is continue, extend or end");
  }
  r.outcome = *outcome;
  r.notes = req.notes;
  if (r.notes.size() > kMaxPartTimeText) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("'notes' is longer than {} characters", kMaxPartTimeText));
  }
  // Continuing keeps the end in force; ending defaults to the review day.
  using Outcome = store::PartTimeOutcome;
  ASSIGN_OR_RETURN(r.end, DateOr(req.end, "end",
                                 r.outcome == Outcome::kEnd ? std::min(r.held_on, view->state.end)
                                 : r.outcome == Outcome::kContinue ? view->state.end
                                                                   : Date()));
  if (r.outcome == Outcome::kExtend && r.end == Date()) {
    return core::InvalidArgument(core::kErrRequiredKey, "an extension needs its new 'end' date");
  }
  if (r.outcome != Outcome::kEnd && !req.next_review.empty()) {
    ASSIGN_OR_RETURN(Date d, ParseDateParam(req.next_review, "next_review"));
    r.next_review = d;
  }
  r.at = school_.clock().NowSeconds();
  StampAuthor(r, who);
  const auto write_lock = school_.BeginWrite();
  ASSIGN_OR_RETURN(r.id, school_.store().AddPartTimeReview(r));
  school_.Apply([&](Snapshot& s) { s.part_time_reviews.push_back(r); });
  return r;
}

core::StatusOr<std::vector<PartTimeView>> PartTime::Timetables(const Principal& who,
                                                               int64_t pupil_id) {
  auto lock = school_.Read();
  ASSIGN_OR_RETURN(size_t index, school_.PupilFor(who, pupil_id, Action::kReadSupport));
  (void)index;
  return TimetablesOf(pupil_id);
}

core::StatusOr<PupilPartTime> PartTime::ForPupil(const Principal& who, int64_t pupil_id) {
  auto lock = school_.Read();
  ASSIGN_OR_RETURN(size_t index, school_.PupilFor(who, pupil_id, Action::kReadSupport));
  const store::Pupil& p = school_.snapshot().pupils[index];
  PupilPartTime out;
  out.timetables = TimetablesOf(pupil_id);
  out.may_agree = school_.Allow(who, Action::kAgreePartTime, {p.id, p.class_id}).ok();
  out.may_review = school_.Allow(who, Action::kWorkSupport, {p.id, p.class_id}).ok();
  for (const std::string& tag : CohortTagsOn(p, school_.clock().Today())) {
    if (tag == "EHCP") out.has_ehcp = true;
    if (tag == "SW") out.has_social_worker = true;
  }
  return out;
}

core::StatusOr<PartTimeWorklist> PartTime::Worklist(const Principal& who) {
  auto lock = school_.Read();
  RETURN_IF_ERROR(school_.Allow(who, Action::kReadWorklist, {}));
  const Snapshot& snap = school_.snapshot();
  const Date today = school_.clock().Today();
  const Date soon = today.AddDays(kReminderDays);
  PartTimeWorklist out;
  std::vector<std::pair<int64_t, core::TimetableState>> covered;  // pupil, dates in force
  for (PartTimeView& v : TimetablesOf(std::nullopt)) {
    auto it = snap.pupil_index.find(v.t.pupil_id);
    if (it == snap.pupil_index.end()) continue;
    const store::Pupil& p = snap.pupils[it->second];
    covered.push_back({p.id, v.state});
    if (v.state.status == core::TimetableStatus::kEnded ||
        v.state.status == core::TimetableStatus::kCancelled) {
      continue;
    }
    PartTimeReminder r;
    const std::optional<Date>& next_review = v.state.next_review;
    r.review_overdue = next_review && *next_review < today;
    r.review_soon = !r.review_overdue && next_review && *next_review <= soon;
    r.ends_soon = v.state.end <= soon;
    r.pupil_id = p.id;
    r.pupil_name = DisplayName(p);
    r.view = std::move(v);
    out.timetables.push_back(std::move(r));
  }
  // C2 this year where no part-time timetable was in force: docs/rules.md
  // section 6 has rollcall flag it.
  const Date year_start = today.AcademicYearStart();
  for (size_t i = 0; i < snap.pupils.size(); ++i) {
    UnagreedC2 u;
    for (const core::RecordedMark& m : snap.scenario.marks[i]) {
      if (m.code != core::AttendanceCode::kPartTimeTimetable || m.slot.date < year_start) continue;
      const bool agreed = std::any_of(covered.begin(), covered.end(), [&](const auto& c) {
        return c.first == snap.pupils[i].id && c.second.Covers(m.slot.date);
      });
      if (agreed) continue;
      if (u.sessions++ == 0) u.first = m.slot;
    }
    if (u.sessions == 0) continue;
    u.pupil_id = snap.pupils[i].id;
    u.pupil_name = DisplayName(snap.pupils[i]);
    out.unagreed.push_back(std::move(u));
  }
  return out;
}

std::optional<int64_t> PartTime::PupilOf(const std::string& timetable_id) const {
  const std::optional<int64_t> id = ParseId(timetable_id);
  auto lock = school_.Read();
  for (const store::PartTimeTimetable& t : school_.snapshot().part_time) {
    if (id == t.id) return t.pupil_id;
  }
  return std::nullopt;
}

std::vector<PartTimeView> PartTime::TimetablesOf(std::optional<int64_t> pupil_id) const {
  const Snapshot& snap = school_.snapshot();
  std::vector<PartTimeView> out;
  const Date today = school_.clock().Today();
  for (const store::PartTimeTimetable& t : snap.part_time) {
    if (pupil_id && t.pupil_id != *pupil_id) continue;
    PartTimeView v{t, {}, {}};
    for (const store::PartTimeReview& r : snap.part_time_reviews) {
      if (r.timetable_id == t.id) v.reviews.push_back(r);
    }
    v.state = core::TimetableStateOn({t.start, t.end, t.review_date},
                                     store::TimetableReviewsOf(t, snap.part_time_reviews), today);
    if (auto it = snap.pupil_index.find(t.pupil_id); it != snap.pupil_index.end()) {
      v.off_code = core::OffTimetableCode(snap.pupils[it->second].date_of_birth, t.start);
    }
    out.push_back(std::move(v));
  }
  return out;
}

std::optional<core::AttendanceCode> PartTime::OffTimetable(size_t index, SessionKey slot) const {
  const store::Pupil& p = school_.snapshot().pupils[index];
  for (const PartTimeView& v : TimetablesOf(p.id)) {
    if (!v.state.Covers(slot.date)) continue;
    if (core::TimetablePattern{v.t.attends}.Attends(slot)) return std::nullopt;
    return core::OffTimetableCode(p.date_of_birth, slot.date);
  }
  return std::nullopt;
}

std::optional<std::pair<core::AttendanceCode, int64_t>> PartTime::LeaveOn(size_t index,
                                                                          SessionKey slot) const {
  const Snapshot& snap = school_.snapshot();
  const int64_t pupil_id = snap.pupils[index].id;
  for (const store::LeaveRequest& r : snap.leave_requests) {
    if (r.pupil_id != pupil_id || slot < r.from || r.to < slot) continue;
    for (const store::LeaveDecision& d : snap.leave_decisions) {
      if (d.request_id == r.id && d.decision == store::LeaveOutcome::kGranted) {
        return std::make_pair(r.code, r.id);
      }
    }
  }
  return std::nullopt;
}

std::optional<PlannedCode> PartTime::PlannedCodeFor(size_t index, SessionKey slot) const {
  if (const auto leave = LeaveOn(index, slot)) {
    return PlannedCode{leave->first, "Leave granted",
                       fmt::format("Leave of absence granted (request {})", leave->second)};
  }
  if (const auto off = OffTimetable(index, slot)) {
    return PlannedCode{*off, "Off timetable", "Part-time timetable: not timetabled this session"};
  }
  return std::nullopt;
}

}  // namespace rollcall::service
