// app_part_time.cc: the pages and API of part-time timetables
// (service/part_time.h, docs/rules.md section 6): agreeing one, its reviews,
// the pupil's page and the office's Today.
#include <fmt/format.h>

#include <tuple>

#include "core/error_codes.h"
#include "core/part_time.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

// An agreement from a JSON body (the API's, or a form's put as one).
StatusOr<service::PartTimeAgreement> AgreementOf(int64_t pupil_id, const nlohmann::json& body) {
  service::PartTimeAgreement a;
  a.pupil_id = pupil_id;
  for (auto [key, field, required] :
       {std::tuple{"agreed_on", &a.agreed_on, false}, std::tuple{"start", &a.start, true},
        std::tuple{"end", &a.end, true}, std::tuple{"review_date", &a.review_date, true},
        std::tuple{"agreed_with", &a.agreed_with, true}, std::tuple{"reason", &a.reason, true},
        std::tuple{"plan", &a.plan, false}}) {
    ASSIGN_OR_RETURN(*field, StringField(body, key, required));
  }
  if (auto attends = body.find("attends"); attends != body.end() && attends->is_array()) {
    a.attends.emplace();
    // Anything but a string is quoted back as JSON in the refusal.
    for (const auto& key : *attends) {
      a.attends->push_back(key.is_string() ? key.get<std::string>() : key.dump());
    }
  }
  return a;
}

StatusOr<service::PartTimeReviewRequest> ReviewOf(const std::string& id,
                                                  const nlohmann::json& body) {
  service::PartTimeReviewRequest r;
  r.timetable_id = id;
  for (auto [key, field] :
       {std::tuple{"held_on", &r.held_on}, std::tuple{"end", &r.end},
        std::tuple{"next_review", &r.next_review}, std::tuple{"notes", &r.notes}}) {
    ASSIGN_OR_RETURN(*field, StringField(body, key, false));
  }
  // Required, but the service first checks who may review.
  if (auto outcome = body.find("outcome"); outcome != body.end() && !outcome->is_null()) {
    ASSIGN_OR_RETURN(r.outcome, StringField(body, "outcome", true));
  }
  return r;
}

// What a review did, in words.
std::string ReviewWords(const store::PartTimeReview& r) {
  switch (r.outcome) {
    case store::PartTimeOutcome::kContinue:
      return "continue";
    case store::PartTimeOutcome::kExtend:
      return "extended to " + LongDate(r.end);
    case store::PartTimeOutcome::kEnd:
      return "ended, last day " + LongDate(r.end);
  }
  core::Unreachable();
}

}  // namespace

json App::PartTimeJson(const PartTimeView& v) {
  const core::TimetablePattern pattern{v.t.attends};
  json attends = json::array();
  for (int bit = 0; bit < 10; ++bit) {
    if (v.t.attends & (1u << bit)) attends.push_back(core::TimetablePattern::KeyOf(bit));
  }
  json reviews = json::array();
  for (const store::PartTimeReview& r : v.reviews) {
    reviews.push_back(
        {{"id", r.id},
         {"held_on", r.held_on.ToString()},
         {"outcome", store::PartTimeOutcomeName(r.outcome)},
         {"end", r.end.ToString()},
         {"next_review", r.next_review ? json(r.next_review->ToString()) : json(nullptr)},
         {"notes", r.notes},
         {"by", {{"name", r.by_name}, {"role", store::RoleName(r.by_role)}}}});
  }
  return json{
      {"id", v.t.id},
      {"pupil_id", v.t.pupil_id},
      {"status", core::TimetableStatusName(v.state.status)},
      {"agreed_on", v.t.agreed_on.ToString()},
      {"agreed_with", v.t.agreed_with},
      {"start", v.t.start.ToString()},
      {"end", v.state.end.ToString()},
      {"agreed_end", v.t.end.ToString()},
      {"attends", std::move(attends)},
      {"attends_text", pattern.ToString()},
      {"sessions_per_week", pattern.SessionsPerWeek()},
      {"next_review", v.state.next_review ? json(v.state.next_review->ToString()) : json(nullptr)},
      {"reason", v.t.reason},
      {"plan", v.t.plan},
      {"by", {{"name", v.t.by_name}, {"role", store::RoleName(v.t.by_role)}}},
      {"reviews", std::move(reviews)}};
}

Response App::GetPartTime(Call& call, int64_t pupil_id) {
  StatusOr<std::vector<PartTimeView>> list = services_.part_time().Timetables(*call.who, pupil_id);
  if (!list.ok()) return ErrorResponse(list.status());
  json items = json::array();
  for (const PartTimeView& v : *list) items.push_back(PartTimeJson(v));
  return JsonResponse(json{{"timetables", std::move(items)}}.dump());
}

Response App::PostPartTime(Call& call, int64_t pupil_id) {
  StatusOr<nlohmann::json> body = ObjectBody(
      call.req,
      {"agreed_on", "agreed_with", "start", "end", "attends", "review_date", "reason", "plan"});
  if (!body.ok()) return ErrorResponse(body.status());
  StatusOr<service::PartTimeAgreement> a = AgreementOf(pupil_id, *body);
  if (!a.ok()) return ErrorResponse(a.status());
  StatusOr<PartTimeView> v = services_.part_time().Agree(*call.who, *a);
  if (!v.ok()) return ErrorResponse(v.status());
  return JsonResponse(PartTimeJson(*v).dump(), http::status::created);
}

Response App::PostPartTimeReview(Call& call, const std::string& id) {
  StatusOr<nlohmann::json> body =
      ObjectBody(call.req, {"held_on", "outcome", "end", "next_review", "notes"});
  if (!body.ok()) return ErrorResponse(body.status());
  StatusOr<service::PartTimeReviewRequest> asked = ReviewOf(id, *body);
  if (!asked.ok()) return ErrorResponse(asked.status());
  StatusOr<store::PartTimeReview> r = services_.part_time().Review(*call.who, *asked);
  if (!r.ok()) return ErrorResponse(r.status());
  return JsonResponse(
      json{{"id", r->id},
           {"timetable_id", r->timetable_id},
           {"outcome", store::PartTimeOutcomeName(r->outcome)},
           {"end", r->end.ToString()},
           {"next_review", r->next_review ? json(r->next_review->ToString()) : json(nullptr)}}
          .dump(),
      http::status::created);
}

// ---------------------------------------------------------------------------
// Pages

Html App::PartTimeSection(const Call& call, const store::Pupil& p) {
  StatusOr<service::PupilPartTime> part_time = services_.part_time().ForPupil(*call.who, p.id);
  if (!part_time.ok()) return Html();  // not theirs to see
  const Date today = clock_.Today();
  Html items;
  for (const PartTimeView& v : part_time->timetables) {
    Html reviews;
    for (const store::PartTimeReview& r : v.reviews) {
      reviews += Html::Format(
          "<li>Reviewed {}: {}{}. {} ({})</li>", LongDate(r.held_on), ReviewWords(r),
          r.next_review ? "; next review " + LongDate(*r.next_review) : "", r.notes, r.by_name);
    }
    const core::TimetableStatus st = v.state.status;
    const std::string_view status = st == core::TimetableStatus::kInForce ? "in force"
                                    : st == core::TimetableStatus::kAgreed
                                        ? "agreed, not yet started"
                                        : core::TimetableStatusName(st);
    Html review_form;
    if (part_time->may_review && v.state.next_review) {
      review_form = Html::Format(
          R"(<details><summary>Record a review</summary><form class="stack" method="post" action="/part-time/{}/review">)"
          R"(<input type="hidden" name="_csrf" value="{}">)"
          R"({}<label for="pt-outcome-{}">Outcome</label><select id="pt-outcome-{}" name="outcome">)"
          R"(<option value="continue">Continue to the end date</option><option value="extend">Extend it</option>)"
          R"(<option value="end">End it: back to full time</option></select>{}{})"
          R"(<label for="pt-notes-{}">Notes</label><textarea id="pt-notes-{}" name="notes" rows="2" maxlength="2000"></textarea>)"
          R"(<p><button type="submit">Save the review</button></p></form></details>)",
          v.t.id, call.csrf,
          DateInput(fmt::format("pt-held-{}", v.t.id), "held_on", "Held on", today), v.t.id, v.t.id,
          DateInput(fmt::format("pt-end-{}", v.t.id), "end",
                    "New end date (extend) or last day (end)", std::nullopt, false),
          DateInput(fmt::format("pt-next-{}", v.t.id), "next_review", "Next review", std::nullopt,
                    false),
          v.t.id, v.t.id);
    }
    items += Html::Format(
        R"(<li><strong>{} to {}</strong> ({}): attends {} ({} of 10 sessions a week); other sessions {}. )"
        R"(Agreed {} with {} by {}. <em>Reason:</em> {}. <em>Plan:</em> {}. {}<ul>{}</ul>{}</li>)",
        LongDate(v.t.start), LongDate(v.state.end), status,
        core::TimetablePattern{v.t.attends}.ToString(),
        core::TimetablePattern{v.t.attends}.SessionsPerWeek(),
        v.off_code == core::AttendanceCode::kPartTimeTimetable ? "C2"
                                                               : "X (not of compulsory school age)",
        LongDate(v.t.agreed_on), v.t.agreed_with, v.t.by_name, v.t.reason,
        v.t.plan.empty() ? std::string("none recorded") : v.t.plan,
        v.state.next_review
            ? Html::Format("Next review by <strong>{}</strong>.", LongDate(*v.state.next_review))
            : Html(),
        reviews, review_form);
  }
  Html cautions;
  if (part_time->has_ehcp) {
    cautions += Html::Trusted(
        "<li>The pupil has an EHC plan: discuss a part-time timetable with the local "
        "authority.</li>");
  }
  if (part_time->has_social_worker) {
    cautions += Html::Trusted("<li>Involve the pupil's social worker.</li>");
  }
  Html form;
  if (part_time->may_agree) {
    Html boxes;
    for (int bit = 0; bit < 10; ++bit) {
      const std::string_view key = core::TimetablePattern::KeyOf(bit);
      boxes += Html::Format(
          R"(<label class="inline"><input type="checkbox" name="{}" value="on"{}> {}</label> )",
          key, bit % 2 == 0 ? Html::Trusted(" checked") : Html(),
          core::TimetablePattern{static_cast<uint16_t>(1u << bit)}.ToString());
    }
    form = Html::Format(
        R"(<details><summary>Agree a part-time timetable</summary><form class="stack" method="post" action="/pupils/{}/part-time">)"
        R"(<input type="hidden" name="_csrf" value="{}"><p class="muted">Only in exceptional circumstances, in the pupil's interest, )"
        R"(never as a sanction; agreed with a parent the pupil lives with, for a fixed period, with regular reviews.</p>)"
        R"(<label for="pt-with">Agreed with (parent)</label><input id="pt-with" name="agreed_with" required maxlength="2000" value="{}">)"
        R"({}{}{}{})"
        R"(<fieldset><legend>Sessions the pupil attends</legend>{}</fieldset>)"
        R"(<label for="pt-reason">Reason</label><input id="pt-reason" name="reason" required maxlength="2000">)"
        R"(<label for="pt-plan">Part of which plan (support, return to full time)</label><input id="pt-plan" name="plan" maxlength="2000">)"
        R"(<p><button type="submit">Save the agreement</button></p></form></details>)",
        p.id, call.csrf,
        p.contacts.empty() ? std::string()
                           : p.contacts.front().name + " (" + p.contacts.front().relationship + ")",
        DateInput("pt-agreed", "agreed_on", "Agreed on", today),
        DateInput("pt-start", "start", "Starts", std::nullopt),
        DateInput("pt-end", "end", "Ends (required)", std::nullopt),
        DateInput("pt-review", "review_date", "First review by", std::nullopt), boxes);
  }
  return Html::Format(R"(<h2 id="part-time">Part-time timetables</h2>{}<ul>{}</ul>{})",
                      cautions.str().empty() ? Html() : Html::Format("<ul>{}</ul>", cautions),
                      items.str().empty() ? Html::Trusted("<li>None.</li>") : items, form);
}

Html App::PartTimeTodaySection(const Call& call) {
  StatusOr<service::PartTimeWorklist> work = services_.part_time().Worklist(*call.who);
  if (!work.ok()) return Html();
  Html items;
  for (const service::PartTimeReminder& r : work->timetables) {
    const PartTimeView& v = r.view;
    std::string what;
    if (r.review_overdue) {
      what = fmt::format("review overdue (due {})", LongDate(*v.state.next_review));
    } else if (r.review_soon) {
      what = fmt::format("review due by {}", LongDate(*v.state.next_review));
    }
    if (r.ends_soon) {
      what += fmt::format("{}ends {}: plan the return to full time", what.empty() ? "" : "; ",
                          LongDate(v.state.end));
    }
    items +=
        Html::Format(R"(<li><a href="/pupils/{}#part-time">{}</a>: {} to {}, attends {}{}{}</li>)",
                     r.pupil_id, r.pupil_name, LongDate(v.t.start), LongDate(v.state.end),
                     core::TimetablePattern{v.t.attends}.ToString(), what.empty() ? "" : " — ",
                     what.empty() ? Html() : Html::Format("<strong>{}</strong>", what));
  }
  Html unagreed;
  for (const service::UnagreedC2& u : work->unagreed) {
    unagreed += Html::Format(
        R"(<li><a href="/pupils/{}#part-time">{}</a>: {} coded C2 with no part-time timetable agreed, the first on {}</li>)",
        u.pupil_id, u.pupil_name, Plural(u.sessions, "session"), SessionText(u.first));
  }
  return Html::Format(
      R"(<h2>Part-time timetables</h2><ul>{}</ul>{})",
      items.str().empty() ? Html::Trusted("<li>None in force.</li>") : items,
      unagreed.str().empty()
          ? Html()
          : Html::Format(R"(<h3>C2 recorded outside an agreement</h3><ul>{}</ul>)", unagreed));
}

Response App::PagePartTime(Call& call, const std::string& id, bool review) {
  std::map<std::string, std::string> form = FormFields(call.req);
  std::optional<int64_t> pupil_id;
  Status s;
  if (review) {
    nlohmann::json body;
    for (const char* key : {"held_on", "outcome", "end", "next_review", "notes"}) {
      body[key] = form[key];
    }
    StatusOr<service::PartTimeReviewRequest> r = ReviewOf(id, body);
    s = r.ok() ? services_.part_time().Review(*call.who, *r).status() : r.status();
    pupil_id = services_.part_time().PupilOf(id);
  } else {
    pupil_id = ParseId(id);
    if (!pupil_id) {
      return Refused(call.who, call.csrf, "",
                     core::NotFound(core::kErrPupilUnknown, "No such pupil."));
    }
    nlohmann::json body;
    for (const char* key :
         {"agreed_on", "agreed_with", "start", "end", "review_date", "reason", "plan"}) {
      body[key] = form[key];
    }
    body["attends"] = json::array();
    for (int bit = 0; bit < 10; ++bit) {
      const std::string key(core::TimetablePattern::KeyOf(bit));
      if (form[key] == "on") body["attends"].push_back(key);
    }
    StatusOr<service::PartTimeAgreement> a = AgreementOf(*pupil_id, body);
    s = a.ok() ? services_.part_time().Agree(*call.who, *a).status() : a.status();
  }
  if (!s.ok()) {
    return NotSaved(call.who, call.csrf, s,
                    pupil_id ? fmt::format("/pupils/{}#part-time", *pupil_id) : std::string("/"));
  }
  return RedirectDone(fmt::format("/pupils/{}#part-time", *pupil_id),
                      review ? Done::kPartTimeReviewed : Done::kPartTimeAgreed);
}

}  // namespace rollcall::web
