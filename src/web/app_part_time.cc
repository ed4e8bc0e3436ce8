// app_part_time.cc: part-time timetables (docs/rules.md section 6). The head
// agrees one with a resident parent for a fixed period, with the sessions
// the pupil attends, a reason, the wider plan and a first review; reviews
// continue, extend or end it. While one is in force the register offers
// the off-timetable code (C2, or X outside compulsory school age) for the
// sessions the pupil is not timetabled for, and "mark everyone present"
// records it. Today reminds the office of reviews and ends, and flags C2
// recorded where no timetable was agreed; the LA queue lists each one.
#include <fmt/format.h>

#include <algorithm>

#include "core/error_codes.h"
#include "core/part_time.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

constexpr size_t kMaxPartTimeText = 2000;
constexpr int kReminderDays = 7;  // reviews and ends due within a week are listed

StatusOr<Date> OptionalDate(const nlohmann::json& body, const char* key, Date fallback) {
  ASSIGN_OR_RETURN(std::string text, StringField(body, key, false));
  if (text.empty()) return fallback;
  return ParseDateParam(text, key);
}

}  // namespace

std::vector<App::PartTimeView> App::TimetablesOf(std::optional<int64_t> pupil_id) const {
  std::vector<PartTimeView> out;
  const Date today = clock_.Today();
  for (const store::PartTimeTimetable& t : snapshot_.part_time) {
    if (pupil_id && t.pupil_id != *pupil_id) continue;
    PartTimeView v{t, {}, {}};
    for (const store::PartTimeReview& r : snapshot_.part_time_reviews) {
      if (r.timetable_id == t.id) v.reviews.push_back(r);
    }
    v.state =
        core::TimetableStateOn({t.start, t.end, t.review_date},
                               store::TimetableReviewsOf(t, snapshot_.part_time_reviews), today);
    out.push_back(std::move(v));
  }
  return out;
}

std::optional<core::AttendanceCode> App::OffTimetable(size_t index, SessionKey slot) const {
  const store::Pupil& p = snapshot_.pupils[index];
  for (const PartTimeView& v : TimetablesOf(p.id)) {
    if (!v.state.Covers(slot.date)) continue;
    if (core::TimetablePattern{v.t.attends}.Attends(slot)) return std::nullopt;
    return core::OffTimetableCode(p.date_of_birth, slot.date);
  }
  return std::nullopt;
}

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
         {"outcome", r.outcome},
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

StatusOr<store::PartTimeTimetable> App::AgreePartTime(const Call& call, int64_t pupil_id,
                                                      const nlohmann::json& body) {
  const Date today = clock_.Today();
  store::PartTimeTimetable t;
  t.pupil_id = pupil_id;
  ASSIGN_OR_RETURN(t.agreed_on, OptionalDate(body, "agreed_on", today));
  if (t.agreed_on > today) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "'agreed_on' is in the future: record it once agreed");
  }
  ASSIGN_OR_RETURN(std::string start, StringField(body, "start", true));
  ASSIGN_OR_RETURN(t.start, ParseDateParam(start, "start"));
  ASSIGN_OR_RETURN(std::string end, StringField(body, "end", true));
  ASSIGN_OR_RETURN(t.end, ParseDateParam(end, "end"));
  ASSIGN_OR_RETURN(std::string review, StringField(body, "review_date", true));
  ASSIGN_OR_RETURN(t.review_date, ParseDateParam(review, "review_date"));
  ASSIGN_OR_RETURN(t.agreed_with, StringField(body, "agreed_with", true));
  ASSIGN_OR_RETURN(t.reason, StringField(body, "reason", true));
  ASSIGN_OR_RETURN(t.plan, StringField(body, "plan", false));
  for (const std::string* text : {&t.agreed_with, &t.reason, &t.plan}) {
    if (text->size() > kMaxPartTimeText) {
      return core::InvalidArgument(
          core::kErrValueInvalid,
          fmt::format("a field is longer than {} characters", kMaxPartTimeText));
    }
  }
  if (!body.contains("attends") || !body["attends"].is_array()) {
    return core::InvalidArgument(core::kErrRequiredKey,
                                 "'attends' lists the sessions the pupil attends, e.g. "
                                 "[\"mon-am\", \"tue-am\"]");
  }
  for (const auto& key : body["attends"]) {
    const std::optional<int> bit =
        key.is_string() ? core::TimetablePattern::BitOfKey(key.get<std::string>()) : std::nullopt;
    if (!bit) {
      return core::InvalidArgument(
          core::kErrValueInvalid,
          fmt::format("'{}' is not a session: use mon-am ... fri-pm",
                      key.is_string() ? key.get<std::string>() : key.dump()));
    }
    t.attends = static_cast<uint16_t>(t.attends | (1u << *bit));
  }
  {
    std::shared_lock lock(mu_);
    ASSIGN_OR_RETURN(size_t index, PupilFor(call, pupil_id, Action::kAgreePartTime));
    if (!snapshot_.scenario.pupils[index].OnRollOn(t.start)) {
      return core::InvalidArgument(
          core::kErrPartTimeInvalid,
          "part-time timetable: the pupil is not on roll on its start date");
    }
  }
  t.at = clock_.NowSeconds();
  SetAuthor(t, *call.who);
  const auto write_lock = school_.BeginWrite();
  ASSIGN_OR_RETURN(t.id, store_.AddPartTimeTimetable(t));
  school_.Apply([&](service::Snapshot& s) { s.part_time.push_back(t); });
  return t;
}

StatusOr<store::PartTimeReview> App::ReviewPartTime(const Call& call, const std::string& id_text,
                                                    const nlohmann::json& body) {
  const std::optional<int64_t> id = ParseId(id_text);
  const Date today = clock_.Today();
  store::PartTimeReview r;
  std::optional<PartTimeView> view;
  RETURN_IF_ERROR(Allow(call, Action::kWorkSupport, {}));  // before saying whether it exists
  {
    std::shared_lock lock(mu_);
    auto t = std::find_if(snapshot_.part_time.begin(), snapshot_.part_time.end(),
                          [&](const store::PartTimeTimetable& x) { return id && x.id == *id; });
    if (t == snapshot_.part_time.end()) {
      return core::NotFound(core::kErrPartTimeUnknown,
                            "no part-time timetable with id '" + id_text + "'");
    }
    ASSIGN_OR_RETURN(size_t index, PupilFor(call, t->pupil_id, Action::kWorkSupport));
    (void)index;
    for (PartTimeView& v : TimetablesOf(t->pupil_id)) {
      if (v.t.id == *id) view = std::move(v);
    }
  }
  r.timetable_id = view->t.id;
  ASSIGN_OR_RETURN(r.held_on, OptionalDate(body, "held_on", today));
  if (r.held_on > today) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "'held_on' is in the future: record a review once it is held");
  }
  ASSIGN_OR_RETURN(r.outcome, StringField(body, "outcome", true));
  ASSIGN_OR_RETURN(r.notes, StringField(body, "notes", false));
  if (r.notes.size() > kMaxPartTimeText) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("'notes' is longer than {} characters", kMaxPartTimeText));
  }
  // Continuing keeps the end in force; ending defaults to the review day.
  ASSIGN_OR_RETURN(r.end, OptionalDate(body, "end",
                                       r.outcome == "end" ? std::min(r.held_on, view->state.end)
                                       : r.outcome == "continue" ? view->state.end
                                                                 : Date()));
  if (r.outcome == "extend" && r.end == Date()) {
    return core::InvalidArgument(core::kErrRequiredKey, "an extension needs its new 'end' date");
  }
  if (r.outcome != "end") {
    ASSIGN_OR_RETURN(std::string next, StringField(body, "next_review", false));
    if (!next.empty()) {
      ASSIGN_OR_RETURN(Date d, ParseDateParam(next, "next_review"));
      r.next_review = d;
    }
  }
  r.at = clock_.NowSeconds();
  SetAuthor(r, *call.who);
  const auto write_lock = school_.BeginWrite();
  ASSIGN_OR_RETURN(r.id, store_.AddPartTimeReview(r));
  school_.Apply([&](service::Snapshot& s) { s.part_time_reviews.push_back(r); });
  return r;
}

Response App::GetPartTime(Call& call, int64_t pupil_id) {
  std::shared_lock lock(mu_);
  if (StatusOr<size_t> index = PupilFor(call, pupil_id, Action::kReadSupport); !index.ok()) {
    return ErrorResponse(index.status());
  }
  json items = json::array();
  for (const PartTimeView& v : TimetablesOf(pupil_id)) items.push_back(PartTimeJson(v));
  return JsonResponse(json{{"timetables", std::move(items)}}.dump());
}

Response App::PostPartTime(Call& call, int64_t pupil_id) {
  StatusOr<nlohmann::json> body = ObjectBody(
      call.req,
      {"agreed_on", "agreed_with", "start", "end", "attends", "review_date", "reason", "plan"});
  if (!body.ok()) return ErrorResponse(body.status());
  StatusOr<store::PartTimeTimetable> t = AgreePartTime(call, pupil_id, *body);
  if (!t.ok()) return ErrorResponse(t.status());
  std::shared_lock lock(mu_);
  for (const PartTimeView& v : TimetablesOf(pupil_id)) {
    if (v.t.id == t->id) return JsonResponse(PartTimeJson(v).dump(), http::status::created);
  }
  return ErrorResponse(core::Internal(core::kErrInternal, "the timetable was not kept"));
}

Response App::PostPartTimeReview(Call& call, const std::string& id) {
  StatusOr<nlohmann::json> body =
      ObjectBody(call.req, {"held_on", "outcome", "end", "next_review", "notes"});
  if (!body.ok()) return ErrorResponse(body.status());
  StatusOr<store::PartTimeReview> r = ReviewPartTime(call, id, *body);
  if (!r.ok()) return ErrorResponse(r.status());
  return JsonResponse(
      json{{"id", r->id},
           {"timetable_id", r->timetable_id},
           {"outcome", r->outcome},
           {"end", r->end.ToString()},
           {"next_review", r->next_review ? json(r->next_review->ToString()) : json(nullptr)}}
          .dump(),
      http::status::created);
}

// ---------------------------------------------------------------------------
// Pages

Html App::PartTimeSection(const Call& call, const store::Pupil& p) {
  std::shared_lock lock(mu_);
  const std::string& la = snapshot_.school.la_code;
  if (!Authorize(*call.who, Action::kReadSupport, {p.id, p.class_id}, la).ok()) return Html();
  const bool may_agree = Authorize(*call.who, Action::kAgreePartTime, {p.id, p.class_id}, la).ok();
  const bool may_review = Authorize(*call.who, Action::kWorkSupport, {p.id, p.class_id}, la).ok();
  const Date today = clock_.Today();
  Html items;
  for (const PartTimeView& v : TimetablesOf(p.id)) {
    Html reviews;
    for (const store::PartTimeReview& r : v.reviews) {
      reviews += Html::Format("<li>Reviewed {}: {}{}. {} ({})</li>", r.held_on.ToString(),
                              r.outcome == "continue" ? "continue"
                              : r.outcome == "extend" ? "extended to " + r.end.ToString()
                                                      : "ended, last day " + r.end.ToString(),
                              r.next_review ? "; next review " + r.next_review->ToString() : "",
                              r.notes, r.by_name);
    }
    const core::TimetableStatus st = v.state.status;
    const std::string_view status = st == core::TimetableStatus::kInForce ? "in force"
                                    : st == core::TimetableStatus::kAgreed
                                        ? "agreed, not yet started"
                                        : core::TimetableStatusName(st);
    Html review_form;
    if (may_review && v.state.next_review) {
      review_form = Html::Format(
          R"(<details><summary>Record a review</summary><form class="stack" method="post" action="/part-time/{}/review">)"
          R"(<input type="hidden" name="_csrf" value="{}">)"
          R"(<label for="pt-held-{}">Held on</label><input id="pt-held-{}" type="date" name="held_on" value="{}" required>)"
          R"(<label for="pt-outcome-{}">Outcome</label><select id="pt-outcome-{}" name="outcome">)"
          R"(<option value="continue">Continue to the end date</option><option value="extend">Extend it</option>)"
          R"(<option value="end">End it: back to full time</option></select>)"
          R"(<label for="pt-end-{}">New end date (extend) or last day (end)</label><input id="pt-end-{}" type="date" name="end">)"
          R"(<label for="pt-next-{}">Next review</label><input id="pt-next-{}" type="date" name="next_review">)"
          R"(<label for="pt-notes-{}">Notes</label><textarea id="pt-notes-{}" name="notes" rows="2" maxlength="2000"></textarea>)"
          R"(<p><button type="submit">Save the review</button></p></form></details>)",
          v.t.id, call.csrf, v.t.id, v.t.id, today.ToString(), v.t.id, v.t.id, v.t.id, v.t.id,
          v.t.id, v.t.id, v.t.id, v.t.id);
    }
    items += Html::Format(
        R"(<li><strong>{} to {}</strong> ({}): attends {} ({} of 10 sessions a week); other sessions {}. )"
        R"(Agreed {} with {} by {}. <em>Reason:</em> {}. <em>Plan:</em> {}. {}<ul>{}</ul>{}</li>)",
        v.t.start.ToString(), v.state.end.ToString(), status,
        core::TimetablePattern{v.t.attends}.ToString(),
        core::TimetablePattern{v.t.attends}.SessionsPerWeek(),
        core::OfCompulsorySchoolAge(p.date_of_birth, v.t.start)
            ? "C2"
            : "X (not of compulsory school age)",
        v.t.agreed_on.ToString(), v.t.agreed_with, v.t.by_name, v.t.reason,
        v.t.plan.empty() ? std::string("none recorded") : v.t.plan,
        v.state.next_review
            ? Html::Format("Next review by <strong>{}</strong>.", v.state.next_review->ToString())
            : Html(),
        reviews, review_form);
  }
  Html cautions;
  for (const std::string& tag : CohortTagsOn(p, today)) {
    if (tag == "EHCP") {
      cautions += Html::Trusted(
          "<li>The pupil has an EHC plan: discuss a part-time timetable with the local "
          "authority.</li>");
    }
    if (tag == "SW") cautions += Html::Trusted("<li>Involve the pupil's social worker.</li>");
  }
  Html form;
  if (may_agree) {
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
        R"(<label for="pt-agreed">Agreed on</label><input id="pt-agreed" type="date" name="agreed_on" value="{}" required>)"
        R"(<label for="pt-start">Starts</label><input id="pt-start" type="date" name="start" required>)"
        R"(<label for="pt-end">Ends (required)</label><input id="pt-end" type="date" name="end" required>)"
        R"(<label for="pt-review">First review by</label><input id="pt-review" type="date" name="review_date" required>)"
        R"(<fieldset><legend>Sessions the pupil attends</legend>{}</fieldset>)"
        R"(<label for="pt-reason">Reason</label><input id="pt-reason" name="reason" required maxlength="2000">)"
        R"(<label for="pt-plan">Part of which plan (support, return to full time)</label><input id="pt-plan" name="plan" maxlength="2000">)"
        R"(<p><button type="submit">Save the agreement</button></p></form></details>)",
        p.id, call.csrf,
        p.contacts.empty() ? std::string()
                           : p.contacts.front().name + " (" + p.contacts.front().relationship + ")",
        today.ToString(), boxes);
  }
  return Html::Format(R"(<h2 id="part-time">Part-time timetables</h2>{}<ul>{}</ul>{})",
                      cautions.str().empty() ? Html() : Html::Format("<ul>{}</ul>", cautions),
                      items.str().empty() ? Html::Trusted("<li>None.</li>") : items, form);
}

Html App::PartTimeTodaySection(const Call& call) {
  (void)call;  // Today is the office's page: every pupil is theirs to see
  std::shared_lock lock(mu_);
  const Date today = clock_.Today();
  const Date soon = today.AddDays(kReminderDays);
  Html items;
  std::vector<std::pair<int64_t, core::TimetableState>> covered;  // pupil, dates in force
  for (const PartTimeView& v : TimetablesOf(std::nullopt)) {
    auto it = snapshot_.pupil_index.find(v.t.pupil_id);
    if (it == snapshot_.pupil_index.end()) continue;
    const store::Pupil& p = snapshot_.pupils[it->second];
    covered.push_back({p.id, v.state});
    if (v.state.status == core::TimetableStatus::kEnded ||
        v.state.status == core::TimetableStatus::kCancelled) {
      continue;
    }
    const std::optional<Date>& next_review = v.state.next_review;
    std::string what;
    if (next_review && *next_review < today) {
      what = fmt::format("review overdue (due {})", next_review->ToString());
    } else if (next_review && *next_review <= soon) {
      what = fmt::format("review due by {}", next_review->ToString());
    }
    if (v.state.end <= soon) {
      what += fmt::format("{}ends {}: plan the return to full time", what.empty() ? "" : "; ",
                          v.state.end.ToString());
    }
    items +=
        Html::Format(R"(<li><a href="/pupils/{}#part-time">{}</a>: {} to {}, attends {}{}{}</li>)",
                     p.id, DisplayName(p), v.t.start.ToString(), v.state.end.ToString(),
                     core::TimetablePattern{v.t.attends}.ToString(), what.empty() ? "" : " — ",
                     what.empty() ? Html() : Html::Format("<strong>{}</strong>", what));
  }
  // C2 this year where no part-time timetable was in force: docs/rules.md
  // section 6 has rollcall flag it.
  Html unagreed;
  const Date year_start = today.AcademicYearStart();
  for (size_t i = 0; i < snapshot_.pupils.size(); ++i) {
    int sessions = 0;
    std::optional<SessionKey> first;
    for (const core::RecordedMark& m : snapshot_.scenario.marks[i]) {
      if (m.code != core::AttendanceCode::kPartTimeTimetable || m.slot.date < year_start) continue;
      const bool agreed = std::any_of(covered.begin(), covered.end(), [&](const auto& c) {
        return c.first == snapshot_.pupils[i].id && c.second.Covers(m.slot.date);
      });
      if (agreed) continue;
      if (sessions++ == 0) first = m.slot;
    }
    if (sessions == 0) continue;
    const store::Pupil& p = snapshot_.pupils[i];
    unagreed += Html::Format(
        R"(<li><a href="/pupils/{}#part-time">{}</a>: {} session{} coded C2 with no part-time timetable agreed, the first on {} {}</li>)",
        p.id, DisplayName(p), sessions, sessions == 1 ? "" : "s", first->date.ToString(),
        core::SessionName(first->session));
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
    StatusOr<store::PartTimeReview> r = ReviewPartTime(call, id, body);
    s = r.status();
    std::shared_lock lock(mu_);
    for (const store::PartTimeTimetable& t : snapshot_.part_time) {
      if (ParseId(id) == t.id) pupil_id = t.pupil_id;
    }
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
    s = AgreePartTime(call, *pupil_id, body).status();
  }
  if (!s.ok()) {
    return Layout(
        call.who, call.csrf, "", "Not saved",
        Html::Format(R"(<p class="error" role="alert">{}</p><p><a href="{}">Back</a></p>)",
                     s.message(),
                     pupil_id ? fmt::format("/pupils/{}#part-time", *pupil_id) : std::string("/")),
        HttpStatusFor(s.kind()));
  }
  return Redirect(fmt::format("/pupils/{}#part-time", *pupil_id));
}

}  // namespace rollcall::web
