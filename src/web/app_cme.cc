// app_cme.cc: children-missing-education cases over the API, on a pupil's
// page and on Today. The cases, their steps and who may work them are
// service::Cme's (service/cme.h); this file parses the requests and renders
// the cases it returns, so Today escalates a step the day it becomes overdue.
#include <fmt/format.h>

#include <utility>

#include "core/cme.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

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
                     {"status", service::CmeStepStatusWord(s.status)},
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

Response App::ListCmeCases(Call& call) {
  StatusOr<std::vector<CmeView>> views =
      services_.cme().Cases(*call.who, std::nullopt, !call.target.query.contains("all"));
  if (!views.ok()) return ErrorResponse(views.status());
  json list = json::array();
  for (const CmeView& v : *views) list.push_back(CmeJson(v));
  return JsonResponse(json{{"cme_cases", std::move(list)}}.dump());
}

Response App::PupilCmeCases(Call& call, int64_t pupil_id) {
  StatusOr<std::vector<CmeView>> views = services_.cme().Cases(*call.who, pupil_id, false);
  if (!views.ok()) return ErrorResponse(views.status());
  json list = json::array();
  for (const CmeView& v : *views) list.push_back(CmeJson(v));
  return JsonResponse(json{{"cme_cases", std::move(list)}}.dump());
}

Response App::PostCmeStep(Call& call, const std::string& case_id) {
  StatusOr<nlohmann::json> body = ObjectBody(call.req, {"step", "note"});
  if (!body.ok()) return ErrorResponse(body.status());
  service::CmeStepRequest request{.case_id = case_id};
  for (auto [key, field] : {std::pair{"step", &request.step}, std::pair{"note", &request.note}}) {
    StatusOr<std::string> value = StringField(*body, key, true);
    if (!value.ok()) return ErrorResponse(value.status());
    *field = *value;
  }
  StatusOr<store::CmeStepRecord> r = services_.cme().RecordStep(*call.who, request);
  if (!r.ok()) return ErrorResponse(r.status());
  return JsonResponse(json{{"id", r->id}, {"step", core::InfoOf(r->step).key}}.dump(),
                      http::status::created);
}

Response App::PostCloseCme(Call& call, const std::string& case_id) {
  StatusOr<nlohmann::json> body = ObjectBody(call.req, {"outcome"});
  if (!body.ok()) return ErrorResponse(body.status());
  StatusOr<std::string> outcome = StringField(*body, "outcome", true);
  if (!outcome.ok()) return ErrorResponse(outcome.status());
  if (Status s = services_.cme().Close(*call.who, {case_id, *outcome}); !s.ok()) {
    return ErrorResponse(s);
  }
  return JsonResponse(json{{"id", case_id}, {"status", "closed"}}.dump());
}

// ---------------------------------------------------------------------------
// Pages

Html App::CmeSection(const Call& call, const store::Pupil& p) {
  // Nothing for those who may not read the pupil's cases.
  StatusOr<std::vector<CmeView>> views = services_.cme().Cases(*call.who, p.id, false);
  if (!views.ok() || views->empty()) return Html();
  Html out = Html::Trusted(R"(<h2 id="cme">Children missing education</h2>)");
  for (auto v = views->rbegin(); v != views->rend(); ++v) {
    Html rows;
    Html options;
    for (const CmeStepView& s : v->steps) {
      Html done;
      for (const store::CmeStepRecord& r : s.done) {
        done += Html::Format("<div>{}: {} ({})</div>", MomentText(r.done_at), r.note, r.by_name);
      }
      const std::string status =
          s.status == CmeStepStatus::kOverdue
              ? fmt::format("overdue by {} school day{}", s.overdue_school_days,
                            s.overdue_school_days == 1 ? "" : "s")
              : service::CmeStepStatusWord(s.status);
      rows += Html::Format(
          R"(<tr class="step-{}"><td class="date">{}</td><td>{}</td><td>{}</td><td><strong>{}</strong>{}</td></tr>)",
          service::CmeStepStatusWord(s.status),
          s.due ? DayDate(*s.due) : std::string("beyond the calendar"), s.info->title,
          s.info->owner, status, done);
      options += Html::Format(R"(<option value="{}">{}</option>)", s.info->key, s.info->title);
    }
    Html heading = v->c.closed_at
                       ? Html::Format(R"(<h3>From {}: closed</h3><p>{} ({}, {})</p>)",
                                      LongDate(v->c.first_day), v->c.outcome, v->c.closed_by_name,
                                      MomentText(*v->c.closed_at))
                       : Html::Format(R"(<h3>From {}: open, school day {} without contact</h3>)",
                                      LongDate(v->c.first_day), v->day);
    Html forms;
    if (v->may_work && !v->c.closed_at) {
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
  StatusOr<std::vector<CmeView>> views = services_.cme().Cases(*call.who, std::nullopt, true);
  if (!views.ok()) return ErrorSummary(views.status().message());
  Html overdue, open;
  for (const CmeView& v : *views) {
    std::string next;
    for (const CmeStepView& s : v.steps) {
      if (s.status == CmeStepStatus::kOverdue) {
        overdue += Html::Format(
            R"(<li><a href="/pupils/{}#cme">{}</a>: <strong>{}</strong>, due {}, overdue by {} school day{} ({})</li>)",
            v.c.pupil_id, v.pupil_name, s.info->title, LongDate(*s.due), s.overdue_school_days,
            s.overdue_school_days == 1 ? "" : "s", s.info->owner);
      }
      if (next.empty() && s.status == CmeStepStatus::kDue) {
        next = fmt::format("next: {} (due {})", s.info->title,
                           s.due ? LongDate(*s.due) : std::string("later"));
      }
    }
    open += Html::Format(R"(<li><a href="/pupils/{}#cme">{}</a>: school day {} since {}{}</li>)",
                         v.c.pupil_id, v.pupil_name, v.day, LongDate(v.c.first_day),
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
  // The case first, so that a refusal links back to its pupil.
  StatusOr<store::CmeCase> c = services_.cme().CaseToWork(*call.who, case_id);
  if (!c.ok()) {
    s = c.status();
  } else {
    pupil_id = c->pupil_id;
    s = close
            ? services_.cme().Close(*call.who, {case_id, form["outcome"]})
            : services_.cme().RecordStep(*call.who, {case_id, form["step"], form["note"]}).status();
  }
  if (!s.ok()) {
    return NotSaved(call.who, call.csrf, s,
                    pupil_id ? fmt::format("/pupils/{}#cme", pupil_id) : "/today");
  }
  return RedirectDone(fmt::format("/pupils/{}#cme", pupil_id),
                      close ? Done::kCmeClosed : Done::kCmeStepSaved);
}

}  // namespace rollcall::web
