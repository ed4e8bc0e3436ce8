// app_support.cc: the graduated approach on a pupil's page, on Today and
// over the API: the stage rollcall suggests and the one staff confirm, panel
// meetings, action plans and their reviews. The rules and the figures a
// review quotes are service::Support's (service/support.h); this file parses
// the requests and renders what it returns, and says what comes next after a
// review.
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <tuple>
#include <utility>

#include "core/error_codes.h"
#include "core/graduated.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

// A JSON member that only some kinds of support event need: nullopt when
// absent or null; JSON_WRONG_TYPE when not a string.
StatusOr<std::optional<std::string>> OptionalSupportField(const nlohmann::json& body,
                                                          const char* key) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::optional<std::string>();
  ASSIGN_OR_RETURN(std::string value, StringField(body, key, true));
  return std::optional<std::string>(std::move(value));
}

}  // namespace

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
      j["outcome"] = core::ImprovementOutcomeName(*e.outcome);
      j["attendance_before"] = e.attendance_before;
      j["attendance_since"] = e.attendance_after;
    }
    events.push_back(std::move(j));
  }
  json suggested{{"stage", core::StageKey(v.suggested.stage)},
                 {"title", core::StageTitle(v.suggested.stage)},
                 {"reasons", v.suggested.reasons}};
  return json{{"stage", core::StageKey(v.current)}, {"title", core::StageTitle(v.current)},
              {"confirmed", v.confirmed},           {"suggested", std::move(suggested)},
              {"history", std::move(history)},      {"events", std::move(events)}};
}

Response App::GetSupport(Call& call, int64_t pupil_id) {
  StatusOr<SupportView> v = services_.support().Of(*call.who, pupil_id);
  if (!v.ok()) return ErrorResponse(v.status());
  return JsonResponse(SupportJson(*v).dump());
}

Response App::PostStage(Call& call, int64_t pupil_id) {
  StatusOr<nlohmann::json> body = ObjectBody(call.req, {"stage", "reason"});
  if (!body.ok()) return ErrorResponse(body.status());
  service::StageRequest request{.pupil_id = pupil_id};
  for (auto [key, field] :
       {std::pair{"stage", &request.stage}, std::pair{"reason", &request.reason}}) {
    StatusOr<std::string> value = StringField(*body, key, true);
    if (!value.ok()) return ErrorResponse(value.status());
    *field = *value;
  }
  StatusOr<store::StageRecord> r = services_.support().ConfirmStage(*call.who, request);
  if (!r.ok()) return ErrorResponse(r.status());
  return GetSupport(call, pupil_id);
}

Response App::PostSupportEvent(Call& call, int64_t pupil_id) {
  StatusOr<nlohmann::json> body =
      ObjectBody(call.req, {"kind", "held_on", "attendees", "notes", "targets", "support_offered",
                            "review_date", "plan_id", "outcome"});
  if (!body.ok()) return ErrorResponse(body.status());
  service::SupportEventRequest request{.pupil_id = pupil_id};
  for (auto [key, field, required] :
       {std::tuple{"kind", &request.kind, true}, std::tuple{"held_on", &request.held_on, false},
        std::tuple{"notes", &request.notes, false},
        std::tuple{"attendees", &request.attendees, false},
        std::tuple{"targets", &request.targets, false},
        std::tuple{"support_offered", &request.support_offered, false}}) {
    StatusOr<std::string> value = StringField(*body, key, required);
    if (!value.ok()) return ErrorResponse(value.status());
    *field = *value;
  }
  for (auto [key, field] :
       {std::pair{"review_date", &request.review_date}, std::pair{"outcome", &request.outcome}}) {
    StatusOr<std::optional<std::string>> value = OptionalSupportField(*body, key);
    if (!value.ok()) return ErrorResponse(value.status());
    *field = *value;
  }
  // Anything but a whole number is no plan id: the service says a review needs one.
  if (auto plan = body->find("plan_id"); plan != body->end() && plan->is_number_integer()) {
    request.plan_id = plan->get<int64_t>();
  }
  StatusOr<store::SupportEvent> e = services_.support().AddEvent(*call.who, request);
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
  // Nothing for those who may not read the pupil's support.
  StatusOr<SupportView> found = services_.support().Of(*call.who, p.id);
  if (!found.ok()) return Html();
  const SupportView& v = *found;
  const core::SupportStage current = v.current;
  Html reasons;
  for (const std::string& r : v.suggested.reasons) reasons += Html::Format("<li>{}</li>", r);
  Html history;
  for (auto r = v.history.rbegin(); r != v.history.rend(); ++r) {
    history += Html::Format("<li>{}: {} — {} ({})</li>", MomentText(r->at),
                            core::StageTitle(r->stage), r->reason, r->by_name);
  }
  Html events;
  Html plan_options;
  for (const store::SupportEvent& e : v.events) {
    switch (e.kind) {
      case store::SupportKind::kPanelMeeting:
        events += Html::Format(
            R"(<li><strong>Attendance panel</strong>, {}: {}. <em>Present:</em> {} ({})</li>)",
            LongDate(e.held_on), e.notes, e.attendees, e.by_name);
        break;
      case store::SupportKind::kActionPlan:
        events += Html::Format(
            R"(<li><strong>Action plan</strong> agreed {}, review by {}. <em>Targets:</em> {}. )"
            R"(<em>Support:</em> {}. {} ({})</li>)",
            LongDate(e.held_on), LongDate(*e.review_date), e.targets, e.support_offered, e.notes,
            e.by_name);
        plan_options += Html::Format(R"(<option value="{}">Plan of {} (review by {})</option>)",
                                     e.id, LongDate(e.held_on), LongDate(*e.review_date));
        break;
      case store::SupportKind::kReview: {
        const std::string next =
            e.outcome == core::ImprovementOutcome::kImproved
                ? "improved: carry on, or step down a stage"
                : fmt::format("not improved: consider {}",
                              core::StageTitle(std::min(
                                  core::SupportStage::kEnforce,
                                  static_cast<core::SupportStage>(static_cast<int>(current) + 1))));
        events += Html::Format(
            R"(<li><strong>Review</strong> {}: attendance {} in the six weeks before the plan, {} )"
            R"(since; {}. {} ({})</li>)",
            LongDate(e.held_on), e.attendance_before, e.attendance_after, next, e.notes, e.by_name);
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
    const Date today = clock_.Today();
    forms = Html::Format(
        R"(<details><summary>Confirm the stage</summary><form class="stack" method="post" action="/pupils/{}/stage">)"
        R"(<input type="hidden" name="_csrf" value="{}"><label for="stage">Stage</label><select id="stage" name="stage">{}</select>)"
        R"(<label for="stage-reason">Why</label><input id="stage-reason" name="reason" required maxlength="2000">)"
        R"(<p><button type="submit">Confirm</button></p></form></details>)"
        R"(<details><summary>Record an attendance panel meeting</summary><form class="stack" method="post" action="/pupils/{}/support">)"
        R"(<input type="hidden" name="_csrf" value="{}"><input type="hidden" name="kind" value="panel_meeting">)"
        R"({})"
        R"(<label for="attendees">Who attended</label><input id="attendees" name="attendees" required maxlength="2000">)"
        R"(<label for="panel-notes">Notes</label><textarea id="panel-notes" name="notes" rows="2" required maxlength="2000"></textarea>)"
        R"(<p><button type="submit">Save the meeting</button></p></form></details>)"
        R"(<details><summary>Agree an action plan</summary><form class="stack" method="post" action="/pupils/{}/support">)"
        R"(<input type="hidden" name="_csrf" value="{}"><input type="hidden" name="kind" value="action_plan">)"
        R"({})"
        R"(<label for="targets">Targets</label><input id="targets" name="targets" required maxlength="2000">)"
        R"(<label for="support-offered">Support offered</label><input id="support-offered" name="support_offered" required maxlength="2000">)"
        R"({})"
        R"(<label for="plan-notes">Notes</label><textarea id="plan-notes" name="notes" rows="2" maxlength="2000"></textarea>)"
        R"(<p><button type="submit">Save the plan</button></p></form></details>)",
        p.id, call.csrf, stage_options, p.id, call.csrf,
        DateInput("panel-date", "held_on", "Held on", today), p.id, call.csrf,
        DateInput("plan-date", "held_on", "Agreed on", today),
        DateInput("review-date", "review_date", "Review by", std::nullopt));
    if (!plan_options.str().empty()) {
      forms += Html::Format(
          R"(<details><summary>Review an action plan</summary><form class="stack" method="post" action="/pupils/{}/support">)"
          R"(<input type="hidden" name="_csrf" value="{}"><input type="hidden" name="kind" value="review">)"
          R"(<label for="plan-id">Plan</label><select id="plan-id" name="plan_id">{}</select>)"
          R"({})"
          R"(<label for="outcome-review">Outcome</label><select id="outcome-review" name="outcome"><option value="improved">Improved</option>)"
          R"(<option value="not_improved">Not improved</option></select>)"
          R"(<label for="review-notes">Notes</label><textarea id="review-notes" name="notes" rows="2" maxlength="2000"></textarea>)"
          R"(<p><button type="submit">Save the review</button></p></form></details>)",
          p.id, call.csrf, plan_options, DateInput("review-held", "held_on", "Held on", today));
    }
  }
  return Html::Format(
      R"(<h2 id="support">Support: the graduated approach</h2>)"
      R"(<p>Stage: <strong>{}</strong>{}. rollcall suggests <strong>{}</strong>{}</p>{})"
      R"(<h3>Meetings, plans and reviews</h3><ul>{}</ul><h3>Stage history</h3><ul>{}</ul>{})",
      core::StageTitle(current), v.confirmed ? Html() : Html::Trusted(" (not yet confirmed)"),
      core::StageTitle(v.suggested.stage),
      reasons.str().empty() ? Html::Trusted(": attendance gives no cause for concern.")
                            : Html::Trusted(", because:"),
      reasons.str().empty() ? Html() : Html::Format("<ul>{}</ul>", reasons),
      events.str().empty() ? Html::Trusted("<li>None yet.</li>") : events,
      history.str().empty() ? Html::Trusted("<li>None yet.</li>") : history, forms);
}

Html App::ReviewsDueSection(const Call& call) {
  StatusOr<std::vector<service::ReviewDue>> due = services_.support().ReviewsDue(*call.who);
  if (!due.ok()) return ErrorSummary(due.status().message());
  Html items;
  for (const service::ReviewDue& d : *due) {
    items += Html::Format(
        R"(<li><a href="/pupils/{}#support">{}</a>: action plan of {}, review by {}{}</li>)",
        d.pupil_id, d.pupil_name, LongDate(d.plan.held_on), LongDate(*d.plan.review_date),
        d.overdue ? Html::Trusted(" <strong>(overdue)</strong>") : Html());
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
    s = services_.support()
            .ConfirmStage(*call.who, {*pupil_id, form["stage"], form["reason"]})
            .status();
  } else {
    // A form sends every field, empty when not filled in.
    s = services_.support()
            .AddEvent(*call.who, {.pupil_id = *pupil_id,
                                  .kind = form["kind"],
                                  .held_on = form["held_on"],
                                  .notes = form["notes"],
                                  .attendees = form["attendees"],
                                  .targets = form["targets"],
                                  .support_offered = form["support_offered"],
                                  .review_date = form["review_date"],
                                  .plan_id = ParseId(form["plan_id"]),
                                  .outcome = form["outcome"]})
            .status();
  }
  if (!s.ok()) {
    return NotSaved(call.who, call.csrf, s, fmt::format("/pupils/{}#support", *pupil_id));
  }
  return RedirectDone(fmt::format("/pupils/{}#support", *pupil_id),
                      stage ? Done::kStageSaved : Done::kSupportSaved);
}

}  // namespace rollcall::web
