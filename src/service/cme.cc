// cme.cc: reading and working children-missing-education cases (cme.h).
#include "service/cme.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "core/error_codes.h"
#include "service/fields.h"
#include "service/records.h"

namespace rollcall::service {
namespace {

constexpr size_t kMaxCmeText = 2000;

}  // namespace

const char* CmeStepStatusWord(CmeStepStatus s) {
  switch (s) {
    case CmeStepStatus::kDone:
      return "done";
    case CmeStepStatus::kOverdue:
      return "overdue";
    case CmeStepStatus::kDue:
      return "due";
    case CmeStepStatus::kLater:
      return "later";
  }
  core::Unreachable();
}

core::StatusOr<CmeView> Cme::ViewOf(const Principal& who, const store::CmeCase& c) {
  ASSIGN_OR_RETURN(std::vector<store::CmeStepRecord> records, school_.store().CmeStepsFor(c.id));
  CmeView v;
  v.c = c;
  const core::Date today = school_.clock().Today();
  auto lock = school_.Read();
  const Snapshot& snap = school_.snapshot();
  const core::Calendar& calendar = snap.scenario.calendar;
  if (auto it = snap.pupil_index.find(c.pupil_id); it != snap.pupil_index.end()) {
    const store::Pupil& p = snap.pupils[it->second];
    v.pupil_name = DisplayName(p);
    v.class_id = p.class_id;
    v.may_work = school_.Allow(who, Action::kWorkCases, {p.id, p.class_id}).ok();
  }
  v.day = core::ProtocolDay(calendar, c.first_day, today);
  for (const core::CmeStepInfo& info : core::CmeSteps()) {
    CmeStepView s;
    s.info = &info;
    s.from = core::SchoolDayNumber(calendar, c.first_day, info.from_day);
    s.due = core::SchoolDayNumber(calendar, c.first_day, info.due_day);
    for (const store::CmeStepRecord& r : records) {
      if (r.step == info.step) s.done.push_back(r);
    }
    if (!s.done.empty()) {
      s.status = CmeStepStatus::kDone;
    } else if (s.due && *s.due < today) {
      s.status = CmeStepStatus::kOverdue;
      s.overdue_school_days = calendar.SchoolDaysBetween(*s.due, today);
    } else if (v.day >= info.from_day) {
      s.status = CmeStepStatus::kDue;
    } else {
      s.status = CmeStepStatus::kLater;
    }
    v.steps.push_back(std::move(s));
  }
  return v;
}

core::StatusOr<std::vector<CmeView>> Cme::Cases(const Principal& who, std::optional<int64_t> pupil,
                                                bool open_only) {
  {
    auto lock = school_.Read();
    if (pupil) {
      RETURN_IF_ERROR(school_.PupilFor(who, *pupil, Action::kReadCases).status());
    } else {
      RETURN_IF_ERROR(school_.Allow(who, Action::kReadCases, {}));
    }
  }
  ASSIGN_OR_RETURN(std::vector<store::CmeCase> cases, school_.store().ListCmeCases(open_only));
  std::vector<CmeView> out;
  for (const store::CmeCase& c : cases) {
    if (pupil && c.pupil_id != *pupil) continue;
    {
      // Cases of pupils no longer in the school, or beyond the reader's
      // pupils, are left out rather than refused.
      auto lock = school_.Read();
      if (!school_.PupilFor(who, c.pupil_id, Action::kReadCases).ok()) continue;
    }
    ASSIGN_OR_RETURN(CmeView v, ViewOf(who, c));
    out.push_back(std::move(v));
  }
  return out;
}

core::StatusOr<store::CmeCase> Cme::CaseToWork(const Principal& who, const std::string& id_text) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kWorkCases, {}));
  }
  std::optional<int64_t> id = ParseId(id_text);
  if (!id) return core::NotFound(core::kErrCaseUnknown, "no CME case '" + id_text + "'");
  ASSIGN_OR_RETURN(std::vector<store::CmeCase> cases, school_.store().ListCmeCases(false));
  auto it = std::find_if(cases.begin(), cases.end(),
                         [&](const store::CmeCase& c) { return c.id == *id; });
  if (it == cases.end()) {
    return core::NotFound(core::kErrCaseUnknown, fmt::format("no CME case {}", *id));
  }
  auto lock = school_.Read();
  RETURN_IF_ERROR(school_.PupilFor(who, it->pupil_id, Action::kWorkCases).status());
  if (it->closed_at) {
    return core::Conflict(core::kErrCaseClosed, fmt::format("CME case {} is closed", *id));
  }
  return *it;
}

core::StatusOr<store::CmeStepRecord> Cme::RecordStep(const Principal& who,
                                                     const CmeStepRequest& req) {
  ASSIGN_OR_RETURN(store::CmeCase c, CaseToWork(who, req.case_id));
  const std::optional<core::CmeStep> step = core::CmeStepFromKey(req.step);
  if (!step) {
    std::string keys;
    for (const core::CmeStepInfo& info : core::CmeSteps()) {
      keys += (keys.empty() ? "" : ", ") + std::string(info.key);
    }
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("step '{}' is not one of {}", req.step, keys));
  }
  if (req.note.empty() || req.note.size() > kMaxCmeText) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("say what was done in 'note' (1 to {} characters)", kMaxCmeText));
  }
  store::CmeStepRecord r{.case_id = c.id,
                         .step = *step,
                         .done_at = school_.clock().NowSeconds(),
                         .by_user_id = who.user_id,
                         .by_name = who.name,
                         .by_role = who.role,
                         .note = req.note};
  const auto write = school_.BeginWrite();
  ASSIGN_OR_RETURN(r.id, school_.store().RecordCmeStep(r));
  return r;
}

core::Status Cme::Close(const Principal& who, const CmeCloseRequest& req) {
  ASSIGN_OR_RETURN(store::CmeCase c, CaseToWork(who, req.case_id));
  if (req.outcome.empty() || req.outcome.size() > kMaxCmeText) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("give the outcome of the enquiries (1 to {} characters)", kMaxCmeText));
  }
  const auto write = school_.BeginWrite();
  return school_.store().CloseCmeCase(c.id, school_.clock().NowSeconds(), req.outcome, who.name);
}

}  // namespace rollcall::service
