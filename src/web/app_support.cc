// app_support.cc: the graduated approach on a pupil's page and over the API:
// the stage rollcall suggests (core/graduated.h) and the one staff confirm,
// panel meetings, action plans and their reviews. A review quotes the
// pupil's attendance in the six weeks before the plan and since it, counted
// by the rules core, and says what comes next.
#include <fmt/format.h>

#include <algorithm>

#include "core/error_codes.h"
#include "core/graduated.h"
#include "core/pupil_sessions.h"
#include "core/statistics.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

constexpr size_t kMaxSupportText = 2000;
constexpr int kWeeksBefore = 6;

std::string PctText(const core::SessionCounts& c) {
  const std::optional<double> p = core::Percent(c.attended, c.possible);
  return p ? fmt::format("{:.1f}%", *p) : std::string("no sessions");
}

}  // namespace

StatusOr<App::SupportView> App::SupportOf(const Call& call, int64_t pupil_id) {
  SupportView v;
  {
    std::shared_lock lock(mu_);
    ASSIGN_OR_RETURN(size_t index, PupilFor(call, pupil_id, Action::kReadSupport));
    const Date today = clock_.Today();
    const core::PupilEvaluation e = core::EvaluatePupil(snapshot_.scenario, index, today);
    v.suggested = core::SuggestStage(e, snapshot_.scenario.policy, snapshot_.scenario.calendar);
    v.may_work = Authorize(*call.who, Action::kWorkSupport,
                           {pupil_id, snapshot_.pupils[index].class_id}, snapshot_.school.la_code)
                     .ok();
  }
  ASSIGN_OR_RETURN(v.history, store_.StageHistory(pupil_id));
  ASSIGN_OR_RETURN(v.events, store_.SupportEventsFor(pupil_id));
  return v;
}

json App::SupportJson(const SupportView& v) {
  json history = json::array();
  for (const store::StageRecord& r : v.history) {
    history.push_back({{"stage", core::StageKey(r.stage)},
                       {"at", IsoTime(r.at)},
                       {"reason", r.reason},
                       {"by", {{"name", r.by_name}, {"role", store::RoleName(r.by_role)}}}});
  }
  json events = json::array();
  for (const store::SupportEvent& e : v.events) {
    json j{{"id", e.id},
           {"kind", store::SupportKindName(e.kind)},
           {"held_on", e.held_on.ToString()},
           {"notes", e.notes},
           {"by", {{"name", e.by_name}, {"role", store::RoleName(e.by_role)}}}};
    if (e.kind == store::SupportKind::kPanelMeeting) j["attendees"] = e.attendees;
    if (e.kind == store::SupportKind::kActionPlan) {
      j["targets"] = e.targets;
      j["support_offered"] = e.support_offered;
      j["review_date"] = e.review_date->ToString();
      const bool reviewed = std::any_of(v.events.begin(), v.events.end(), [&](const auto& r) {
        return r.kind == store::SupportKind::kReview && r.plan_id == e.id;
      });
      j["reviewed"] = reviewed;
    }
    if (e.kind == store::SupportKind::kReview) {
      j["plan_id"] = *e.plan_id;
      j["outcome"] = e.outcome;
      j["attendance_before"] = e.attendance_before;
      j["attendance_since"] = e.attendance_after;
    }
    events.push_back(std::move(j));
  }
  json suggested{{"stage", core::StageKey(v.suggested.stage)},
                 {"title", core::StageTitle(v.suggested.stage)},
                 {"reasons", v.suggested.reasons}};
  const core::SupportStage current =
      v.history.empty() ? core::SupportStage::kExpect : v.history.back().stage;
  return json{{"stage", core::StageKey(current)}, {"title", core::StageTitle(current)},
              {"confirmed", !v.history.empty()},  {"suggested", std::move(suggested)},
              {"history", std::move(history)},    {"events", std::move(events)}};
}

Response App::GetSupport(Call& call, int64_t pupil_id) {
  StatusOr<SupportView> v = SupportOf(call, pupil_id);
  if (!v.ok()) return ErrorResponse(v.status());
  return JsonResponse(SupportJson(*v).dump());
}

Status App::ConfirmStage(const Call& call, int64_t pupil_id, const nlohmann::json& body) {
  {
    std::shared_lock lock(mu_);
    ASSIGN_OR_RETURN(size_t index, PupilFor(call, pupil_id, Action::kWorkSupport));
    (void)index;
  }
  ASSIGN_OR_RETURN(std::string key, StringField(body, "stage", true));
  ASSIGN_OR_RETURN(std::string reason, StringField(body, "reason", true));
  const std::optional<core::SupportStage> stage = core::StageFromKey(key);
  if (!stage) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("stage '{}' is not one of expect, monitor, listen, facilitate, formalise, "
                    "enforce",
                    key));
  }
  if (reason.empty() || reason.size() > kMaxSupportText) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("give the reason (1 to {} characters)", kMaxSupportText));
  }
  store::StageRecord r{
      .pupil_id = pupil_id, .stage = *stage, .at = clock_.NowSeconds(), .reason = reason};
  SetAuthor(r, *call.who);
  return store_.AddStageRecord(r).status();
}

StatusOr<store::SupportEvent> App::AddSupport(const Call& call, int64_t pupil_id,
                                              const nlohmann::json& body) {
  size_t index = 0;
  {
    std::shared_lock lock(mu_);
    ASSIGN_OR_RETURN(index, PupilFor(call, pupil_id, Action::kWorkSupport));
  }
  ASSIGN_OR_RETURN(std::string kind_text, StringField(body, "kind", true));
  const std::optional<store::SupportKind> kind = store::SupportKindFromName(kind_text);
  if (!kind) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("kind '{}' is not one of panel_meeting, action_plan, review", kind_text));
  }
  store::SupportEvent e;
  e.pupil_id = pupil_id;
  e.kind = *kind;
  const Date today = clock_.Today();
  ASSIGN_OR_RETURN(std::string held_text, StringField(body, "held_on", false));
  if (held_text.empty()) {
    e.held_on = today;
  } else {
    ASSIGN_OR_RETURN(e.held_on, ParseDateParam(held_text, "held_on"));
  }
  if (e.held_on > today) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "'held_on' is in the future: record a meeting once it is held");
  }
  ASSIGN_OR_RETURN(e.notes, StringField(body, "notes", false));
  ASSIGN_OR_RETURN(e.attendees, StringField(body, "attendees", false));
  ASSIGN_OR_RETURN(e.targets, StringField(body, "targets", false));
  ASSIGN_OR_RETURN(e.support_offered, StringField(body, "support_offered", false));
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
      ASSIGN_OR_RETURN(std::string review_text, StringField(body, "review_date", true));
      ASSIGN_OR_RETURN(Date review, ParseDateParam(review_text, "review_date"));
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
      if (!body.contains("plan_id") || !body["plan_id"].is_number_integer()) {
        return core::InvalidArgument(core::kErrRequiredKey,
                                     "a review needs 'plan_id', the action plan's id");
      }
      e.plan_id = body["plan_id"].get<int64_t>();
      ASSIGN_OR_RETURN(e.outcome, StringField(body, "outcome", true));
      if (e.outcome != "improved" && e.outcome != "not_improved") {
        return core::InvalidArgument(core::kErrSupportEvent,
                                     "'outcome' is improved or not_improved");
      }
      // The figures the review quotes: the plan's six weeks before, and since.
      ASSIGN_OR_RETURN(std::vector<store::SupportEvent> events, store_.SupportEventsFor(pupil_id));
      auto plan = std::find_if(events.begin(), events.end(), [&](const store::SupportEvent& p) {
        return p.id == *e.plan_id && p.kind == store::SupportKind::kActionPlan;
      });
      if (plan == events.end()) {
        return core::NotFound(core::kErrSupportPlan,
                              fmt::format("pupil {} has no action plan {}", pupil_id, *e.plan_id));
      }
      if (e.held_on < plan->held_on) {
        return core::InvalidArgument(core::kErrValueInvalid,
                                     "a review is held on or after the day its plan was agreed");
      }
      std::shared_lock lock(mu_);
      const core::Calendar& calendar = snapshot_.scenario.calendar;
      const std::vector<core::PupilSession> sessions = core::BuildPupilSessions(
          calendar, snapshot_.scenario.pupils[index], snapshot_.scenario.marks[index],
          snapshot_.scenario.default_mark, today);
      e.attendance_before = PctText(core::CountSessions(
          calendar, sessions,
          {plan->held_on.AddDays(-7 * kWeeksBefore), plan->held_on.AddDays(-1)}));
      e.attendance_after =
          PctText(core::CountSessions(calendar, sessions, {plan->held_on, e.held_on}));
      break;
    }
  }
  e.at = clock_.NowSeconds();
  SetAuthor(e, *call.who);
  ASSIGN_OR_RETURN(e.id, store_.AddSupportEvent(e));
  return e;
}

Response App::PostStage(Call& call, int64_t pupil_id) {
  StatusOr<nlohmann::json> body = ObjectBody(call.req, {"stage", "reason"});
  if (!body.ok()) return ErrorResponse(body.status());
  if (Status s = ConfirmStage(call, pupil_id, *body); !s.ok()) return ErrorResponse(s);
  return GetSupport(call, pupil_id);
}

Response App::PostSupportEvent(Call& call, int64_t pupil_id) {
  StatusOr<nlohmann::json> body =
      ObjectBody(call.req, {"kind", "held_on", "attendees", "notes", "targets", "support_offered",
                            "review_date", "plan_id", "outcome"});
  if (!body.ok()) return ErrorResponse(body.status());
  StatusOr<store::SupportEvent> e = AddSupport(call, pupil_id, *body);
  if (!e.ok()) return ErrorResponse(e.status());
  json out{{"id", e->id}, {"kind", store::SupportKindName(e->kind)}};
  if (e->kind == store::SupportKind::kReview) {
    out["attendance_before"] = e->attendance_before;
    out["attendance_since"] = e->attendance_after;
  }
  return JsonResponse(out.dump(), http::status::created);
}

// ---------------------------------------------------------------------------
// Pages

Html App::SupportSection(const Call& call, const store::Pupil& p) {
  StatusOr<SupportView> found = SupportOf(call, p.id);
  if (!found.ok()) return Html();
  const SupportView& v = *found;
  const core::SupportStage current =
      v.history.empty() ? core::SupportStage::kExpect : v.history.back().stage;
  Html reasons;
  for (const std::string& r : v.suggested.reasons) reasons += Html::Format("<li>{}</li>", r);
  Html history;
  for (auto r = v.history.rbegin(); r != v.history.rend(); ++r) {
    history += Html::Format("<li>{}: {} — {} ({})</li>", IsoTime(r->at), core::StageTitle(r->stage),
                            r->reason, r->by_name);
  }
  Html events;
  Html plan_options;
  for (const store::SupportEvent& e : v.events) {
    switch (e.kind) {
      case store::SupportKind::kPanelMeeting:
        events += Html::Format(
            R"(<li><strong>Attendance panel</strong>, {}: {}. <em>Present:</em> {} ({})</li>)",
            e.held_on.ToString(), e.notes, e.attendees, e.by_name);
        break;
      case store::SupportKind::kActionPlan:
        events += Html::Format(
            R"(<li><strong>Action plan</strong> agreed {}, review by {}. <em>Targets:</em> {}. )"
            R"(<em>Support:</em> {}. {} ({})</li>)",
            e.held_on.ToString(), e.review_date->ToString(), e.targets, e.support_offered, e.notes,
            e.by_name);
        plan_options += Html::Format(R"(<option value="{}">Plan of {} (review by {})</option>)",
                                     e.id, e.held_on.ToString(), e.review_date->ToString());
        break;
      case store::SupportKind::kReview: {
        const std::string next =
            e.outcome == "improved"
                ? "improved: carry on, or step down a stage"
                : fmt::format("not improved: consider {}",
                              core::StageTitle(std::min(
                                  core::SupportStage::kEnforce,
                                  static_cast<core::SupportStage>(static_cast<int>(current) + 1))));
        events += Html::Format(
            R"(<li><strong>Review</strong> {}: attendance {} in the six weeks before the plan, {} )"
            R"(since; {}. {} ({})</li>)",
            e.held_on.ToString(), e.attendance_before, e.attendance_after, next, e.notes,
            e.by_name);
        break;
      }
    }
  }
  Html forms;
  if (v.may_work) {
    Html stage_options;
    for (core::SupportStage s : core::kStages) {
      stage_options += Html::Format(R"(<option value="{}"{}>{}</option>)", core::StageKey(s),
                                    s == v.suggested.stage ? Html::Trusted(" selected") : Html(),
                                    core::StageTitle(s));
    }
    const std::string today = clock_.Today().ToString();
    forms = Html::Format(
        R"(<details><summary>Confirm the stage</summary><form class="stack" method="post" action="/pupils/{}/stage">)"
        R"(<input type="hidden" name="_csrf" value="{}"><label for="stage">Stage</label><select id="stage" name="stage">{}</select>)"
        R"(<label for="stage-reason">Why</label><input id="stage-reason" name="reason" required maxlength="2000">)"
        R"(<p><button type="submit">Confirm</button></p></form></details>)"
        R"(<details><summary>Record an attendance panel meeting</summary><form class="stack" method="post" action="/pupils/{}/support">)"
        R"(<input type="hidden" name="_csrf" value="{}"><input type="hidden" name="kind" value="panel_meeting">)"
        R"(<label for="panel-date">Held on</label><input id="panel-date" type="date" name="held_on" value="{}" required>)"
        R"(<label for="attendees">Who attended</label><input id="attendees" name="attendees" required maxlength="2000">)"
        R"(<label for="panel-notes">Notes</label><textarea id="panel-notes" name="notes" rows="2" required maxlength="2000"></textarea>)"
        R"(<p><button type="submit">Save the meeting</button></p></form></details>)"
        R"(<details><summary>Agree an action plan</summary><form class="stack" method="post" action="/pupils/{}/support">)"
        R"(<input type="hidden" name="_csrf" value="{}"><input type="hidden" name="kind" value="action_plan">)"
        R"(<label for="plan-date">Agreed on</label><input id="plan-date" type="date" name="held_on" value="{}" required>)"
        R"(<label for="targets">Targets</label><input id="targets" name="targets" required maxlength="2000">)"
        R"(<label for="support-offered">Support offered</label><input id="support-offered" name="support_offered" required maxlength="2000">)"
        R"(<label for="review-date">Review by</label><input id="review-date" type="date" name="review_date" required>)"
        R"(<label for="plan-notes">Notes</label><textarea id="plan-notes" name="notes" rows="2" maxlength="2000"></textarea>)"
        R"(<p><button type="submit">Save the plan</button></p></form></details>)",
        p.id, call.csrf, stage_options, p.id, call.csrf, today, p.id, call.csrf, today);
    if (!plan_options.str().empty()) {
      forms += Html::Format(
          R"(<details><summary>Review an action plan</summary><form class="stack" method="post" action="/pupils/{}/support">)"
          R"(<input type="hidden" name="_csrf" value="{}"><input type="hidden" name="kind" value="review">)"
          R"(<label for="plan-id">Plan</label><select id="plan-id" name="plan_id">{}</select>)"
          R"(<label for="review-held">Held on</label><input id="review-held" type="date" name="held_on" value="{}" required>)"
          R"(<label for="outcome-review">Outcome</label><select id="outcome-review" name="outcome"><option value="improved">Improved</option>)"
          R"(<option value="not_improved">Not improved</option></select>)"
          R"(<label for="review-notes">Notes</label><textarea id="review-notes" name="notes" rows="2" maxlength="2000"></textarea>)"
          R"(<p><button type="submit">Save the review</button></p></form></details>)",
          p.id, call.csrf, plan_options, today);
    }
  }
  return Html::Format(
      R"(<h2 id="support">Support: the graduated approach</h2>)"
      R"(<p>Stage: <strong>{}</strong>{}. rollcall suggests <strong>{}</strong>{}</p>{})"
      R"(<h3>Meetings, plans and reviews</h3><ul>{}</ul><h3>Stage history</h3><ul>{}</ul>{})",
      core::StageTitle(current), v.history.empty() ? Html::Trusted(" (not yet confirmed)") : Html(),
      core::StageTitle(v.suggested.stage),
      reasons.str().empty() ? Html::Trusted(": attendance gives no cause for concern.")
                            : Html::Trusted(", because:"),
      reasons.str().empty() ? Html() : Html::Format("<ul>{}</ul>", reasons),
      events.str().empty() ? Html::Trusted("<li>None yet.</li>") : events,
      history.str().empty() ? Html::Trusted("<li>None yet.</li>") : history, forms);
}

Html App::ReviewsDueSection(const Call& call) {
  StatusOr<std::vector<store::SupportEvent>> all = store_.AllSupportEvents();
  if (!all.ok()) return Html::Format(R"(<p class="error">{}</p>)", all.status().message());
  const Date soon = clock_.Today().AddDays(7);
  Html items;
  std::shared_lock lock(mu_);
  for (const store::SupportEvent& e : *all) {
    if (e.kind != store::SupportKind::kActionPlan || *e.review_date > soon) continue;
    const bool reviewed = std::any_of(all->begin(), all->end(), [&](const auto& r) {
      return r.kind == store::SupportKind::kReview && r.plan_id == e.id;
    });
    if (reviewed) continue;
    auto it = snapshot_.pupil_index.find(e.pupil_id);
    if (it == snapshot_.pupil_index.end()) continue;
    const store::Pupil& p = snapshot_.pupils[it->second];
    if (!Authorize(*call.who, Action::kReadSupport, {p.id, p.class_id}, snapshot_.school.la_code)
             .ok()) {
      continue;
    }
    items += Html::Format(
        R"(<li><a href="/pupils/{}#support">{}</a>: action plan of {}, review by {}{}</li>)", p.id,
        DisplayName(p), e.held_on.ToString(), e.review_date->ToString(),
        *e.review_date < clock_.Today() ? Html::Trusted(" <strong>(overdue)</strong>") : Html());
  }
  return Html::Format(R"(<h2>Action plan reviews due this week</h2><ul>{}</ul>)",
                      items.str().empty() ? Html::Trusted("<li>None.</li>") : items);
}

Response App::PageSupport(Call& call, const std::string& pupil_text, bool stage) {
  std::map<std::string, std::string> form = FormFields(call.req);
  std::optional<int64_t> pupil_id = ParseId(pupil_text);
  if (!pupil_id) {
    return Refused(call.who, call.csrf, "",
                   core::NotFound(core::kErrPupilUnknown, "No such pupil."));
  }
  Status s;
  if (stage) {
    s = ConfirmStage(call, *pupil_id, json{{"stage", form["stage"]}, {"reason", form["reason"]}});
  } else {
    nlohmann::json body;
    for (const char* key : {"kind", "held_on", "attendees", "notes", "targets", "support_offered",
                            "review_date", "outcome"}) {
      body[key] = form[key];
    }
    if (std::optional<int64_t> plan = ParseId(form["plan_id"])) body["plan_id"] = *plan;
    s = AddSupport(call, *pupil_id, body).status();
  }
  if (!s.ok()) {
    return Layout(
        call.who, call.csrf, "", "Not saved",
        Html::Format(
            R"(<p class="error" role="alert">{}</p><p><a href="/pupils/{}#support">Back</a></p>)",
            s.message(), *pupil_id),
        HttpStatusFor(s.kind()));
  }
  return Redirect(fmt::format("/pupils/{}#support", *pupil_id));
}

}  // namespace rollcall::web
