// app_cme.cc: children-missing-education cases. rollcall opens a case when a
// pupil's run of unexplained absence (core/cme.h) reaches a whole school day
// and closes it when the pupil is back or the absence is explained; staff
// record what they did at each step and may close a case with the outcome
// of their enquiries. Due dates and overdue steps are computed on every view
// from the calendar, so Today escalates a step the day it becomes overdue.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/cme.h"
#include "core/codes.h"
#include "core/error_codes.h"
#include "core/pupil_sessions.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

constexpr size_t kMaxCmeText = 2000;

const char* StatusWord(CmeStepStatus s) {
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

}  // namespace

StatusOr<App::CmeView> App::ViewOf(const store::CmeCase& c) {
  ASSIGN_OR_RETURN(std::vector<store::CmeStepRecord> records, store_.CmeStepsFor(c.id));
  CmeView v;
  v.c = c;
  const Date today = clock_.Today();
  std::shared_lock lock(mu_);
  const core::Calendar& calendar = snapshot_.scenario.calendar;
  if (auto it = snapshot_.pupil_index.find(c.pupil_id); it != snapshot_.pupil_index.end()) {
    v.pupil_name = DisplayName(snapshot_.pupils[it->second]);
    v.class_id = snapshot_.pupils[it->second].class_id;
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

json App::CmeJson(const CmeView& v) {
  json steps = json::array();
  for (const CmeStepView& s : v.steps) {
    json done = json::array();
    for (const store::CmeStepRecord& r : s.done) {
      done.push_back({{"at", IsoTime(r.done_at)},
                      {"by", {{"name", r.by_name}, {"role", store::RoleName(r.by_role)}}},
                      {"note", r.note}});
    }
    steps.push_back({{"step", s.info->key},
                     {"title", s.info->title},
                     {"owner", s.info->owner},
                     {"from", s.from ? json(s.from->ToString()) : json(nullptr)},
                     {"due", s.due ? json(s.due->ToString()) : json(nullptr)},
                     {"status", StatusWord(s.status)},
                     {"overdue_school_days", s.overdue_school_days},
                     {"done", std::move(done)}});
  }
  json out{{"id", v.c.id},
           {"pupil", {{"id", v.c.pupil_id}, {"name", v.pupil_name}}},
           {"first_day", v.c.first_day.ToString()},
           {"open", !v.c.closed_at},
           {"steps", std::move(steps)}};
  if (v.c.closed_at) {
    out["closed_at"] = IsoTime(*v.c.closed_at);
    out["outcome"] = v.c.outcome;
    out["closed_by"] = v.c.closed_by_name;
  } else {
    out["school_day"] = v.day;
  }
  return out;
}

StatusOr<std::vector<App::CmeView>> App::CasesFor(const Call& call, std::optional<int64_t> pupil,
                                                  bool open_only) {
  ASSIGN_OR_RETURN(std::vector<store::CmeCase> cases, store_.ListCmeCases(open_only));
  std::vector<CmeView> out;
  for (const store::CmeCase& c : cases) {
    if (pupil && c.pupil_id != *pupil) continue;
    {
      std::shared_lock lock(mu_);
      if (!PupilFor(call, c.pupil_id, Action::kReadCases).ok()) continue;
    }
    ASSIGN_OR_RETURN(CmeView v, ViewOf(c));
    out.push_back(std::move(v));
  }
  return out;
}

Response App::ListCmeCases(Call& call) {
  if (Status s = Allow(call, Action::kReadCases, {}); !s.ok()) return ErrorResponse(s);
  StatusOr<std::vector<CmeView>> views =
      CasesFor(call, std::nullopt, !call.target.query.contains("all"));
  if (!views.ok()) return ErrorResponse(views.status());
  json list = json::array();
  for (const CmeView& v : *views) list.push_back(CmeJson(v));
  return JsonResponse(json{{"cme_cases", std::move(list)}}.dump());
}

Response App::PupilCmeCases(Call& call, int64_t pupil_id) {
  {
    std::shared_lock lock(mu_);
    StatusOr<size_t> index = PupilFor(call, pupil_id, Action::kReadCases);
    if (!index.ok()) return ErrorResponse(index.status());
  }
  StatusOr<std::vector<CmeView>> views = CasesFor(call, pupil_id, false);
  if (!views.ok()) return ErrorResponse(views.status());
  json list = json::array();
  for (const CmeView& v : *views) list.push_back(CmeJson(v));
  return JsonResponse(json{{"cme_cases", std::move(list)}}.dump());
}

// The open case `id` when the caller may act on its pupil.
StatusOr<store::CmeCase> App::CaseToActOn(const Call& call, const std::string& id_text) {
  RETURN_IF_ERROR(Allow(call, Action::kWorkCases, {}));
  std::optional<int64_t> id = ParseId(id_text);
  if (!id) return core::NotFound(core::kErrCaseUnknown, "no CME case '" + id_text + "'");
  ASSIGN_OR_RETURN(std::vector<store::CmeCase> cases, store_.ListCmeCases(false));
  auto it = std::find_if(cases.begin(), cases.end(),
                         [&](const store::CmeCase& c) { return c.id == *id; });
  if (it == cases.end()) {
    return core::NotFound(core::kErrCaseUnknown, fmt::format("no CME case {}", *id));
  }
  std::shared_lock lock(mu_);
  ASSIGN_OR_RETURN(size_t index, PupilFor(call, it->pupil_id, Action::kWorkCases));
  (void)index;
  if (it->closed_at) {
    return core::Conflict(core::kErrCaseClosed, fmt::format("CME case {} is closed", *id));
  }
  return *it;
}

StatusOr<store::CmeStepRecord> App::RecordStep(const Call& call, const std::string& case_id,
                                               const nlohmann::json& body) {
  ASSIGN_OR_RETURN(store::CmeCase c, CaseToActOn(call, case_id));
  ASSIGN_OR_RETURN(std::string step_key, StringField(body, "step", true));
  ASSIGN_OR_RETURN(std::string note, StringField(body, "note", true));
  const std::optional<core::CmeStep> step = core::CmeStepFromKey(step_key);
  if (!step) {
    std::string keys;
    for (const core::CmeStepInfo& info : core::CmeSteps()) {
      keys += (keys.empty() ? "" : ", ") + std::string(info.key);
    }
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("step '{}' is not one of {}", step_key, keys));
  }
  if (note.empty() || note.size() > kMaxCmeText) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("say what was done in 'note' (1 to {} characters)", kMaxCmeText));
  }
  store::CmeStepRecord r{.case_id = c.id, .step = *step, .done_at = clock_.NowSeconds()};
  SetAuthor(r, *call.who);
  r.note = note;
  ASSIGN_OR_RETURN(r.id, store_.RecordCmeStep(r));
  return r;
}

Response App::PostCmeStep(Call& call, const std::string& case_id) {
  StatusOr<nlohmann::json> body = ObjectBody(call.req, {"step", "note"});
  if (!body.ok()) return ErrorResponse(body.status());
  StatusOr<store::CmeStepRecord> r = RecordStep(call, case_id, *body);
  if (!r.ok()) return ErrorResponse(r.status());
  return JsonResponse(json{{"id", r->id}, {"step", core::InfoOf(r->step).key}}.dump(),
                      http::status::created);
}

Status App::CloseCase(const Call& call, const std::string& case_id, const nlohmann::json& body) {
  ASSIGN_OR_RETURN(store::CmeCase c, CaseToActOn(call, case_id));
  ASSIGN_OR_RETURN(std::string outcome, StringField(body, "outcome", true));
  if (outcome.empty() || outcome.size() > kMaxCmeText) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("give the outcome of the enquiries (1 to {} characters)", kMaxCmeText));
  }
  return store_.CloseCmeCase(c.id, clock_.NowSeconds(), outcome, call.who->name);
}

Response App::PostCloseCme(Call& call, const std::string& case_id) {
  StatusOr<nlohmann::json> body = ObjectBody(call.req, {"outcome"});
  if (!body.ok()) return ErrorResponse(body.status());
  if (Status s = CloseCase(call, case_id, *body); !s.ok()) return ErrorResponse(s);
  return JsonResponse(json{{"id", case_id}, {"status", "closed"}}.dump());
}

// ---------------------------------------------------------------------------
// Pages

Html App::CmeSection(const Call& call, const store::Pupil& p) {
  bool may_act = false;
  {
    std::shared_lock lock(mu_);
    if (!Authorize(*call.who, Action::kReadCases, {p.id, p.class_id}, snapshot_.school.la_code)
             .ok()) {
      return Html();
    }
    may_act =
        Authorize(*call.who, Action::kWorkCases, {p.id, p.class_id}, snapshot_.school.la_code).ok();
  }
  StatusOr<std::vector<CmeView>> views = CasesFor(call, p.id, false);
  if (!views.ok() || views->empty()) return Html();
  Html out = Html::Trusted(R"(<h2 id="cme">Children missing education</h2>)");
  for (auto v = views->rbegin(); v != views->rend(); ++v) {
    Html rows;
    Html options;
    for (const CmeStepView& s : v->steps) {
      Html done;
      for (const store::CmeStepRecord& r : s.done) {
        done += Html::Format("<div>{}: {} ({})</div>", IsoTime(r.done_at), r.note, r.by_name);
      }
      const std::string status =
          s.status == CmeStepStatus::kOverdue
              ? fmt::format("overdue by {} school day{}", s.overdue_school_days,
                            s.overdue_school_days == 1 ? "" : "s")
              : StatusWord(s.status);
      rows += Html::Format(
          R"(<tr class="step-{}"><td class="date">{}</td><td>{}</td><td>{}</td><td><strong>{}</strong>{}</td></tr>)",
          StatusWord(s.status), s.due ? s.due->ToString() : std::string("beyond the calendar"),
          s.info->title, s.info->owner, status, done);
      options += Html::Format(R"(<option value="{}">{}</option>)", s.info->key, s.info->title);
    }
    Html heading = v->c.closed_at
                       ? Html::Format(R"(<h3>From {}: closed</h3><p>{} ({}, {})</p>)",
                                      v->c.first_day.ToString(), v->c.outcome, v->c.closed_by_name,
                                      IsoTime(*v->c.closed_at))
                       : Html::Format(R"(<h3>From {}: open, school day {} without contact</h3>)",
                                      v->c.first_day.ToString(), v->day);
    Html forms;
    if (may_act && !v->c.closed_at) {
      forms = Html::Format(
          R"(<form class="stack" method="post" action="/cme/{}/step"><input type="hidden" name="_csrf" value="{}">)"
          R"(<h4>Record a step</h4><label for="step-{}">Step</label><select id="step-{}" name="step">{}</select>)"
          R"(<label for="note-{}">What was done</label><textarea id="note-{}" name="note" rows="2" maxlength="2000" required></textarea>)"
          R"(<p><button class="primary" type="submit">Save the step</button></p></form>)"
          R"(<form class="stack" method="post" action="/cme/{}/close"><input type="hidden" name="_csrf" value="{}">)"
          R"(<h4>Close the case</h4><label for="outcome-{}">Outcome of the enquiries</label>)"
          R"(<input id="outcome-{}" name="outcome" maxlength="2000" required>)"
          R"(<p><button type="submit">Close the case</button></p></form>)",
          v->c.id, call.csrf, v->c.id, v->c.id, options, v->c.id, v->c.id, v->c.id, call.csrf,
          v->c.id, v->c.id);
    }
    out +=
        heading +
        Html::Format(
            R"(<div class="scroll"><table><thead><tr><th>Due by</th><th>Step</th><th>Who</th><th>Status</th></tr></thead>)"
            R"(<tbody>{}</tbody></table></div>{})",
            rows, forms);
  }
  return out;
}

Html App::CmeTodaySection(const Call& call) {
  StatusOr<std::vector<CmeView>> views = CasesFor(call, std::nullopt, true);
  if (!views.ok()) return Html::Format(R"(<p class="error">{}</p>)", views.status().message());
  Html overdue, open;
  for (const CmeView& v : *views) {
    std::string next;
    for (const CmeStepView& s : v.steps) {
      if (s.status == CmeStepStatus::kOverdue) {
        overdue += Html::Format(
            R"(<li><a href="/pupils/{}#cme">{}</a>: <strong>{}</strong>, due {}, overdue by {} school day{} ({})</li>)",
            v.c.pupil_id, v.pupil_name, s.info->title, s.due->ToString(), s.overdue_school_days,
            s.overdue_school_days == 1 ? "" : "s", s.info->owner);
      }
      if (next.empty() && s.status == CmeStepStatus::kDue) {
        next = fmt::format("next: {} (due {})", s.info->title,
                           s.due ? s.due->ToString() : std::string("later"));
      }
    }
    open += Html::Format(R"(<li><a href="/pupils/{}#cme">{}</a>: school day {} since {}{}</li>)",
                         v.c.pupil_id, v.pupil_name, v.day, v.c.first_day.ToString(),
                         next.empty() ? std::string() : "; " + next);
  }
  return Html::Format(
      R"(<h2>Children missing education</h2><h3>Overdue steps</h3><ul>{}</ul><h3>Open cases</h3><ul>{}</ul>)",
      overdue.str().empty() ? Html::Trusted("<li>None.</li>") : overdue,
      open.str().empty() ? Html::Trusted("<li>None.</li>") : open);
}

Response App::PageCme(Call& call, const std::string& case_id, bool close) {
  std::map<std::string, std::string> form = FormFields(call.req);
  Status s;
  int64_t pupil_id = 0;
  StatusOr<store::CmeCase> c = CaseToActOn(call, case_id);
  if (!c.ok()) {
    s = c.status();
  } else {
    pupil_id = c->pupil_id;
    s = close ? CloseCase(call, case_id, nlohmann::json{{"outcome", form["outcome"]}})
              : RecordStep(call, case_id,
                           nlohmann::json{{"step", form["step"]}, {"note", form["note"]}})
                    .status();
  }
  if (!s.ok()) {
    return Layout(
        call.who, call.csrf, "", "Not saved",
        Html::Format(R"(<p class="error" role="alert">{}</p><p><a href="{}">Back</a></p>)",
                     s.message(), pupil_id ? fmt::format("/pupils/{}#cme", pupil_id) : "/today"),
        HttpStatusFor(s.kind()));
  }
  return Redirect(fmt::format("/pupils/{}#cme", pupil_id));
}

}  // namespace rollcall::web
