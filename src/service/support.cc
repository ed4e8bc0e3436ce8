// support.cc: the graduated approach (support.h).
#include "service/support.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "core/error_codes.h"
#include "core/evaluate.h"
#include "core/pupil_sessions.h"
#include "core/statistics.h"
#include "service/fields.h"
#include "service/records.h"

namespace rollcall::service {
namespace {

constexpr size_t kMaxSupportText = 2000;
// A review compares attendance since the plan with this many weeks before it.
constexpr int kReviewWeeksBefore = 6;
// Today lists the reviews due within this many days.
constexpr int kReviewDueWithinDays = 7;

std::string ReviewPercentText(const core::SessionCounts& c) {
  const std::optional<double> p = core::Percent(c.attended, c.possible);
  return p ? fmt::format("{:.1f}%", *p) : std::string("no sessions");
}

}  // namespace

core::StatusOr<SupportView> Support::Of(const Principal& who, int64_t pupil_id) {
  SupportView v;
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    ASSIGN_OR_RETURN(size_t index, school_.PupilFor(who, pupil_id, Action::kReadSupport));
    const core::Date today = school_.clock().Today();
    const core::PupilEvaluation e =
        core::EvaluatePupil(snap.scenario, index, today, school_.DayPartOf(today));
    v.suggested = core::SuggestStage(e, snap.scenario.policy, snap.scenario.calendar);
    v.may_work =
        school_.Allow(who, Action::kWorkSupport, {pupil_id, snap.pupils[index].class_id}).ok();
  }
  ASSIGN_OR_RETURN(v.history, school_.store().StageHistory(pupil_id));
  ASSIGN_OR_RETURN(v.events, school_.store().SupportEventsFor(pupil_id));
  v.confirmed = !v.history.empty();
  if (v.confirmed) v.current = v.history.back().stage;
  return v;
}

core::StatusOr<store::StageRecord> Support::ConfirmStage(const Principal& who,
                                                         const StageRequest& req) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.PupilFor(who, req.pupil_id, Action::kWorkSupport).status());
  }
  const std::optional<core::SupportStage> stage = core::StageFromKey(req.stage);
  if (!stage) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("stage '{}' is not one of expect, monitor, listen, facilitate, formalise, "
                    "enforce",
                    req.stage));
  }
  if (req.reason.empty() || req.reason.size() > kMaxSupportText) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("give the reason (1 to {} characters)", kMaxSupportText));
  }
  store::StageRecord r{.pupil_id = req.pupil_id,
                       .stage = *stage,
                       .at = school_.clock().NowSeconds(),
                       .reason = req.reason,
                       .by_user_id = who.user_id,
                       .by_name = who.name,
                       .by_role = who.role};
  const auto write = school_.BeginWrite();
  ASSIGN_OR_RETURN(r.id, school_.store().AddStageRecord(r));
  return r;
}

core::StatusOr<store::SupportEvent> Support::AddEvent(const Principal& who,
                                                      const SupportEventRequest& req) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.PupilFor(who, req.pupil_id, Action::kWorkSupport).status());
  }
  const std::optional<store::SupportKind> kind = store::SupportKindFromName(req.kind);
  if (!kind) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("kind '{}' is not one of panel_meeting, action_plan, review", req.kind));
  }
  store::SupportEvent e;
  e.pupil_id = req.pupil_id;
  e.kind = *kind;
  const core::Date today = school_.clock().Today();
  if (req.held_on.empty()) {
    e.held_on = today;
  } else {
    ASSIGN_OR_RETURN(e.held_on, ParseDateParam(req.held_on, "held_on"));
  }
  if (e.held_on > today) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "'held_on' is in the future: record a meeting once it is held");
  }
  e.notes = req.notes;
  e.attendees = req.attendees;
  e.targets = req.targets;
  e.support_offered = req.support_offered;
  for (const std::string* text : {&e.notes, &e.attendees, &e.targets, &e.support_offered}) {
    if (text->size() > kMaxSupportText) {
      return core::InvalidArgument(
          core::kErrValueInvalid,
          fmt::format("a field is longer than {} characters", kMaxSupportText));
    }
  }
  switch (e.kind) {
    case store::SupportKind::kPanelMeeting:
      if (e.attendees.empty() || e.notes.empty()) {
        return core::InvalidArgument(core::kErrValueInvalid,
                                     "a panel meeting needs its 'attendees' and 'notes'");
      }
      break;
    case store::SupportKind::kActionPlan: {
      if (!req.review_date) {
        return core::InvalidArgument(core::kErrRequiredKey, "'review_date' is required");
      }
      ASSIGN_OR_RETURN(core::Date review, ParseDateParam(*req.review_date, "review_date"));
      if (review <= e.held_on || review.days() - e.held_on.days() > 366) {
        return core::InvalidArgument(
            core::kErrValueInvalid,
            "'review_date' must be after the plan is agreed and within a year of it");
      }
      if (e.targets.empty() || e.support_offered.empty()) {
        return core::InvalidArgument(core::kErrValueInvalid,
                                     "an action plan needs its 'targets' and 'support_offered'");
      }
      e.review_date = review;
      break;
    }
    case store::SupportKind::kReview: {
      if (!req.plan_id) {
        return core::InvalidArgument(core::kErrRequiredKey,
                                     "a review needs 'plan_id', the action plan's id");
      }
      e.plan_id = *req.plan_id;
      if (!req.outcome)
        return core::InvalidArgument(core::kErrRequiredKey, "'outcome' is required");
      e.outcome = core::ImprovementOutcomeFromName(*req.outcome);
      if (!e.outcome) {
        return core::InvalidArgument(core::kErrSupportEvent,
                                     "'outcome' is improved or not_improved");
      }
      // The figures the review quotes: the plan's six weeks before, and since.
      ASSIGN_OR_RETURN(std::vector<store::SupportEvent> events,
                       school_.store().SupportEventsFor(req.pupil_id));
      auto plan = std::find_if(events.begin(), events.end(), [&](const store::SupportEvent& p) {
        return p.id == *e.plan_id && p.kind == store::SupportKind::kActionPlan;
      });
      if (plan == events.end()) {
        return core::NotFound(core::kErrSupportPlan, fmt::format("pupil {} has no action plan {}",
                                                                 req.pupil_id, *e.plan_id));
      }
      if (e.held_on < plan->held_on) {
        return core::InvalidArgument(core::kErrValueInvalid,
                                     "a review is held on or after the day its plan was agreed");
      }
      auto lock = school_.Read();
      const Snapshot& snap = school_.snapshot();
      ASSIGN_OR_RETURN(size_t index, school_.PupilFor(who, req.pupil_id, Action::kWorkSupport));
      const core::Calendar& calendar = snap.scenario.calendar;
      const std::vector<core::PupilSession> sessions = core::BuildPupilSessions(
          calendar, snap.scenario.pupils[index], snap.scenario.marks[index],
          snap.scenario.default_mark, today, school_.DayPartOf(today));
      e.attendance_before = ReviewPercentText(core::CountSessions(
          calendar, sessions,
          {plan->held_on.AddDays(-7 * kReviewWeeksBefore), plan->held_on.AddDays(-1)}));
      e.attendance_after =
          ReviewPercentText(core::CountSessions(calendar, sessions, {plan->held_on, e.held_on}));
      break;
    }
  }
  e.at = school_.clock().NowSeconds();
  e.by_user_id = who.user_id;
  e.by_name = who.name;
  e.by_role = who.role;
  const auto write = school_.BeginWrite();
  ASSIGN_OR_RETURN(e.id, school_.store().AddSupportEvent(e));
  return e;
}

core::StatusOr<std::vector<ReviewDue>> Support::ReviewsDue(const Principal& who) {
  ASSIGN_OR_RETURN(std::vector<store::SupportEvent> all, school_.store().AllSupportEvents());
  const core::Date today = school_.clock().Today();
  const core::Date soon = today.AddDays(kReviewDueWithinDays);
  std::vector<ReviewDue> out;
  auto lock = school_.Read();
  const Snapshot& snap = school_.snapshot();
  for (const store::SupportEvent& e : all) {
    if (e.kind != store::SupportKind::kActionPlan || *e.review_date > soon) continue;
    const bool reviewed = std::any_of(all.begin(), all.end(), [&](const store::SupportEvent& r) {
      return r.kind == store::SupportKind::kReview && r.plan_id == e.id;
    });
    if (reviewed) continue;
    // Plans of pupils no longer in the school, or beyond the reader's
    // pupils, are left out.
    core::StatusOr<size_t> index = school_.PupilFor(who, e.pupil_id, Action::kReadSupport);
    if (!index.ok()) continue;
    out.push_back({e.pupil_id, DisplayName(snap.pupils[*index]), e, *e.review_date < today});
  }
  return out;
}

core::StatusOr<Support::Interventions> Support::InterventionsSince(const Principal& who,
                                                                   core::Date since) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kReadSchoolSummary, {}));
  }
  Interventions out;
  ASSIGN_OR_RETURN(out.contacts, school_.store().ContactLogSince(int64_t{since.days()} * 86400));
  ASSIGN_OR_RETURN(out.support, school_.store().AllSupportEvents());
  return out;
}

}  // namespace rollcall::service
