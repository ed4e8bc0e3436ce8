// app_letters.cc: attendance letters (letters/letters.h). The office picks a
// template and a group (the whole school, a year, a class, a RAG band or
// one pupil); rollcall works out who qualifies, quotes each pupil's figures
// from the rules core, and stores every letter exactly as sent, with those
// figures, in one transaction that also logs it in the contact log. Letters
// print from what was stored, as HTML or PDF, one or a whole batch.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <set>
#include <tuple>

#include "core/error_codes.h"
#include "core/pupil_sessions.h"
#include "core/statistics.h"
#include "letters/letters.h"
#include "letters/pdf.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

constexpr size_t kMaxMeeting = 300;
constexpr int kRecentBatches = 10;

std::string LongDate(Date d) {
  static constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};
  return fmt::format("{} {} {}", d.day(), kMonths[d.month() - 1], d.year());
}

std::string Pct(const core::SessionCounts& c) {
  const std::optional<double> p = core::Percent(c.attended, c.possible);
  return p ? fmt::format("{:.1f}", *p) : std::string("–");
}

std::string GroupsHelp() { return "'school', 'year-N', 'class-ID', 'band-NAME' or 'pupil-ID'"; }

}  // namespace

StatusOr<std::vector<store::Letter>> App::DraftLetters(const Call& call,
                                                       const std::string& template_key,
                                                       const std::string& group,
                                                       const std::string& meeting) {
  RETURN_IF_ERROR(Allow(call, Action::kSendLetters, {}));
  const std::optional<letters::Template> tpl = letters::TemplateFromKey(template_key);
  if (!tpl) {
    std::string keys;
    for (const letters::TemplateInfo& info : letters::Templates()) {
      keys += (keys.empty() ? "" : ", ") + std::string(info.key);
    }
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("template '{}' is not one of {}", template_key, keys));
  }
  if (*tpl == letters::Template::kLeaveGranted || *tpl == letters::Template::kLeaveRefused) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "leave letters are sent with the head's decision on a request");
  }
  if (*tpl == letters::Template::kPanelInvitation && meeting.empty()) {
    return core::InvalidArgument(core::kErrRequiredKey,
                                 "an attendance panel invitation needs 'meeting': when and where");
  }
  if (meeting.size() > kMaxMeeting) {
    return core::InvalidArgument(
        core::kErrValueInvalid, fmt::format("'meeting' is longer than {} characters", kMaxMeeting));
  }
  const Date today = clock_.Today();
  ASSIGN_OR_RETURN(SchoolState state, SchoolAt(today));
  std::shared_lock lock(mu_);
  const core::Scenario& scenario = *state.scenario;
  const core::Calendar& calendar = scenario.calendar;
  // Which pupils the group names.
  std::optional<int> year;
  std::optional<int64_t> class_id, pupil_id;
  std::string band;
  if (group.starts_with("year-")) {
    year = ParseId(group.substr(5));
  } else if (group.starts_with("class-")) {
    class_id = ParseId(group.substr(6));
  } else if (group.starts_with("pupil-")) {
    pupil_id = ParseId(group.substr(6));
  } else if (group.starts_with("band-")) {
    band = group.substr(5);
  }
  const bool known_band = std::any_of(scenario.policy.bands.begin(), scenario.policy.bands.end(),
                                      [&](const core::Band& b) { return b.name == band; });
  if ((group != "school" && !year && !class_id && !pupil_id && !known_band) ||
      (group.starts_with("band-") && !known_band)) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("group '{}' is not {}", group, GroupsHelp()));
  }
  if (pupil_id && !snapshot_.pupil_index.contains(*pupil_id)) {
    return core::NotFound(core::kErrPupilUnknown, fmt::format("no pupil with id {}", *pupil_id));
  }
  // The term holding today, for certificates; last week, for lateness.
  Date term_start = state.evaluation->period.from;
  for (const core::Term& t : calendar.terms()) {
    if (t.start <= today && today <= t.end) term_start = std::max(t.start, term_start);
  }
  const Date week_start = today.WeekStart().AddDays(-7);
  const Date week_end = week_start.AddDays(4);
  std::string signatory = "The attendance office";
  for (const auto& [id, u] : snapshot_.users) {
    if (u.role == Role::kHead && u.active) {
      signatory = u.display_name;
      break;
    }
  }
  const std::string& lowest = scenario.policy.bands.back().name;
  const double target = std::strtod(snapshot_.settings.target_attendance_pct.c_str(), nullptr);
  const std::string period = fmt::format("this school year ({} to {})",
                                         LongDate(state.evaluation->period.from), LongDate(today));
  const Principal& who = *call.who;
  std::vector<store::Letter> out;
  std::string refusal;
  for (size_t i = 0; i < snapshot_.pupils.size() && i < state.evaluation->pupils.size(); ++i) {
    const store::Pupil& p = snapshot_.pupils[i];
    const core::PupilEvaluation& e = state.evaluation->pupils[i];
    if (pupil_id && p.id != *pupil_id) continue;
    if (year && p.year_group != *year) continue;
    if (class_id && p.class_id != *class_id) continue;
    if (!scenario.pupils[i].OnRollOn(today)) {
      if (pupil_id) refusal = "the pupil is not on roll today";
      continue;
    }
    if (known_band && e.band != band) continue;
    const core::SessionCounts& c = e.counts;
    const std::vector<core::PupilSession> sessions = core::BuildPupilSessions(
        calendar, scenario.pupils[i], scenario.marks[i], scenario.default_mark, scenario.as_of);
    const core::SessionCounts week =
        core::CountSessions(calendar, sessions, {week_start, week_end});
    const core::SessionCounts term = core::CountSessions(calendar, sessions, {term_start, today});
    const int64_t lates = week.late_before_close + week.late_after_close;
    std::string why_not;
    switch (*tpl) {
      case letters::Template::kTermlyRag:
        if (c.possible == 0) why_not = "the pupil has no possible sessions yet";
        break;
      case letters::Template::kAttendanceConcern:
        if (c.possible == 0 || static_cast<double>(c.attended) * 100 >= target * c.possible) {
          why_not = "the pupil's attendance is not below the school's target";
        }
        break;
      case letters::Template::kLateness:
        if (lates == 0) why_not = "the pupil was not late last week";
        break;
      case letters::Template::kPanelInvitation:
        if (!pupil_id && e.band != lowest) why_not = "not in the lowest band";
        break;
      case letters::Template::kCertificate:
        if (term.possible == 0 || term.attended != term.possible) {
          why_not = "the pupil has not attended every session this term";
        }
        break;
      case letters::Template::kLeaveGranted:
      case letters::Template::kLeaveRefused:
        break;  // refused above
    }
    if (!why_not.empty()) {
      if (pupil_id) refusal = why_not;
      continue;
    }
    letters::Facts f;
    f.school_name = snapshot_.school.name;
    f.signatory = signatory;
    f.date = LongDate(today);
    f.addressee = p.contacts.empty() ? "Parent or carer of " + DisplayName(p) : p.contacts[0].name;
    f.pupil_name = DisplayName(p);
    f.class_name = p.class_id && snapshot_.classes.contains(*p.class_id)
                       ? snapshot_.classes.at(*p.class_id).name
                       : fmt::format("Year {}", p.year_group);
    f.period = period;
    f.attendance_pct = Pct(c);
    f.band = e.band.value_or("");
    f.target_pct = snapshot_.settings.target_attendance_pct;
    f.possible = c.possible;
    f.absent = c.absence;
    f.authorised = c.authorised;
    f.unauthorised = c.unauthorised;
    f.lates_in_week = lates;
    f.week = "the week of " + LongDate(week_start);
    f.meeting = meeting;
    f.term = "term that began on " + LongDate(term_start);
    f.term_sessions = fmt::format("{} of {} sessions", term.attended, term.possible);
    const letters::Text text = letters::Compose(*tpl, f);
    const json figures{{"period_from", state.evaluation->period.from.ToString()},
                       {"as_of", today.ToString()},
                       {"attendance_pct", f.attendance_pct},
                       {"band", f.band},
                       {"target_pct", f.target_pct},
                       {"possible", c.possible},
                       {"attended", c.attended},
                       {"absent", c.absence},
                       {"authorised", c.authorised},
                       {"unauthorised", c.unauthorised},
                       {"lates_in_week", lates},
                       {"week_from", week_start.ToString()},
                       {"term_from", term_start.ToString()},
                       {"term_attended", term.attended},
                       {"term_possible", term.possible},
                       {"meeting", meeting}};
    store::Letter l{.pupil_id = p.id,
                    .template_key = template_key,
                    .addressee = f.addressee,
                    .subject = text.subject,
                    .body = letters::JoinParagraphs(text.paragraphs),
                    .figures_json = figures.dump(),
                    .at = clock_.NowSeconds()};
    SetAuthor(l, who);
    out.push_back(std::move(l));
  }
  if (out.empty()) {
    return core::InvalidArgument(
        core::kErrNoLetters,
        pupil_id ? fmt::format("no {} for this pupil: {}", letters::InfoOf(*tpl).title,
                               refusal.empty() ? "not eligible" : refusal)
                 : fmt::format("no pupil in this group qualifies for a {} ({})",
                               letters::InfoOf(*tpl).title, letters::InfoOf(*tpl).who));
  }
  return out;
}

StatusOr<std::vector<store::Letter>> App::SendLetters(const Call& call,
                                                      const std::string& template_key,
                                                      const std::string& group,
                                                      const std::string& meeting) {
  ASSIGN_OR_RETURN(std::vector<store::Letter> drafts,
                   DraftLetters(call, template_key, group, meeting));
  ASSIGN_OR_RETURN(std::vector<int64_t> ids, store_.AddLetters(drafts));
  for (size_t k = 0; k < drafts.size(); ++k) {
    drafts[k].id = ids[k];
    drafts[k].batch = ids.front();
  }
  return drafts;
}

json App::LetterJson(const store::Letter& l) {
  return json{{"id", l.id},
              {"batch", l.batch},
              {"pupil_id", l.pupil_id},
              {"template", l.template_key},
              {"addressee", l.addressee},
              {"subject", l.subject},
              {"body", l.body},
              {"figures", json::parse(l.figures_json, nullptr, false)},
              {"sent_at", IsoTime(l.at)},
              {"by", {{"name", l.by_name}, {"role", store::RoleName(l.by_role)}}}};
}

StatusOr<store::Letter> App::LetterToRead(const Call& call, const std::string& id_text) {
  const std::optional<int64_t> id = ParseId(id_text);
  if (!id) return core::NotFound(core::kErrLetterUnknown, "no letter '" + id_text + "'");
  ASSIGN_OR_RETURN(store::Letter l, store_.GetLetter(*id));
  std::shared_lock lock(mu_);
  ASSIGN_OR_RETURN(size_t index, PupilFor(call, l.pupil_id, Action::kReadContactLog));
  (void)index;
  return l;
}

StatusOr<std::vector<store::Letter>> App::BatchToRead(const Call& call,
                                                      const std::string& batch_text) {
  RETURN_IF_ERROR(Allow(call, Action::kSendLetters, {}));
  const std::optional<int64_t> batch = ParseId(batch_text);
  std::vector<store::Letter> found;
  if (batch) {
    ASSIGN_OR_RETURN(found, store_.LettersInBatch(*batch));
  }
  if (found.empty()) {
    return core::NotFound(core::kErrLetterUnknown, "no batch of letters '" + batch_text + "'");
  }
  return found;
}

Response App::PostLetters(Call& call) {
  StatusOr<nlohmann::json> body = ObjectBody(call.req, {"template", "group", "meeting"});
  if (!body.ok()) return ErrorResponse(body.status());
  std::array<std::string, 3> fields;
  for (auto [key, field, required] :
       {std::tuple{"template", &fields[0], true}, std::tuple{"group", &fields[1], true},
        std::tuple{"meeting", &fields[2], false}}) {
    StatusOr<std::string> value = StringField(*body, key, required);
    if (!value.ok()) return ErrorResponse(value.status());
    *field = *value;
  }
  StatusOr<std::vector<store::Letter>> sent = SendLetters(call, fields[0], fields[1], fields[2]);
  if (!sent.ok()) return ErrorResponse(sent.status());
  json items = json::array();
  for (const store::Letter& l : *sent) items.push_back(LetterJson(l));
  return JsonResponse(json{{"batch", sent->front().batch}, {"letters", std::move(items)}}.dump(),
                      http::status::created);
}

Response App::GetLetter(Call& call, const std::string& id) {
  StatusOr<store::Letter> l = LetterToRead(call, id);
  if (!l.ok()) return ErrorResponse(l.status());
  return JsonResponse(LetterJson(*l).dump());
}

Response App::GetPupilLetters(Call& call, int64_t pupil_id) {
  {
    std::shared_lock lock(mu_);
    if (StatusOr<size_t> i = PupilFor(call, pupil_id, Action::kReadContactLog); !i.ok()) {
      return ErrorResponse(i.status());
    }
  }
  StatusOr<std::vector<store::Letter>> list = store_.LettersForPupil(pupil_id);
  if (!list.ok()) return ErrorResponse(list.status());
  json items = json::array();
  for (const store::Letter& l : *list) items.push_back(LetterJson(l));
  return JsonResponse(json{{"letters", std::move(items)}}.dump());
}

// ---------------------------------------------------------------------------
// Pages

namespace {

letters::Page PageOf(const store::Letter& l, const std::string& school) {
  const Date sent = Date::FromDays(static_cast<int32_t>(l.at / 86400));
  return {school, LongDate(sent), l.template_key == "certificate" ? std::string() : l.addressee,
          l.subject, letters::SplitParagraphs(l.body)};
}

Html LetterArticle(const letters::Page& p) {
  Html paragraphs;
  for (const std::string& para : p.paragraphs) {
    Html lines;
    size_t at = 0;
    while (at <= para.size()) {
      const size_t nl = para.find('\n', at);
      lines += Html::Format("{}{}", lines.str().empty() ? Html() : Html::Trusted("<br>"),
                            para.substr(at, nl == std::string::npos ? std::string::npos : nl - at));
      if (nl == std::string::npos) break;
      at = nl + 1;
    }
    paragraphs += Html::Format("<p>{}</p>", lines);
  }
  return Html::Format(
      R"(<article class="letter"><p class="letter-school">{}</p><p>{}</p>{}<h2>{}</h2>{}</article>)",
      p.school_name, p.date, p.addressee.empty() ? Html() : Html::Format("<p>{}</p>", p.addressee),
      p.subject, paragraphs);
}

}  // namespace

Response App::PageLetters(Call& call) {
  const bool post = call.req.method == http::verb::post;
  std::map<std::string, std::string> form =
      post ? FormFields(call.req)
           : std::map<std::string, std::string>(call.target.query.begin(), call.target.query.end());
  const std::string tpl = form["template"];
  const std::string group = form["group"];
  const std::string meeting = form["meeting"];
  const std::string school = SchoolName();
  if (Status s = Allow(call, Action::kSendLetters, {}); !s.ok()) {
    return Refused(call.who, call.csrf, school, s);
  }
  if (post) {
    StatusOr<std::vector<store::Letter>> sent = SendLetters(call, tpl, group, meeting);
    if (!sent.ok()) {
      return Layout(
          call.who, call.csrf, school, "No letters sent",
          Html::Format(R"(<p class="error" role="alert">{}</p><p><a href="/letters">Back</a></p>)",
                       sent.status().message()),
          HttpStatusFor(sent.status().kind()));
    }
    return Redirect(fmt::format("/letters/batch/{}", sent->front().batch));
  }
  // The form: template and group.
  Html templates;
  for (const letters::TemplateInfo& info : letters::Templates()) {
    if (!letters::ForGroups(info.id)) continue;
    templates +=
        Html::Format(R"(<option value="{}"{}>{} — {}</option>)", info.key,
                     info.key == tpl ? Html::Trusted(" selected") : Html(), info.title, info.who);
  }
  Html groups;
  {
    std::shared_lock lock(mu_);
    auto option = [&](const std::string& value, const std::string& label) {
      groups += Html::Format(R"(<option value="{}"{}>{}</option>)", value,
                             value == group ? Html::Trusted(" selected") : Html(), label);
    };
    option("school", "Whole school");
    std::set<int> years;
    for (const auto& [id, c] : snapshot_.classes) years.insert(c.year_group);
    for (int y : years)
      option(fmt::format("year-{}", y), y == 0 ? "Reception" : fmt::format("Year {}", y));
    for (const auto& [id, c] : snapshot_.classes)
      option(fmt::format("class-{}", id), "Class " + c.name);
    for (const core::Band& b : snapshot_.scenario.policy.bands)
      option("band-" + b.name, "Band: " + b.name);
  }
  Html preview;
  if (!tpl.empty() && !group.empty()) {
    StatusOr<std::vector<store::Letter>> drafts = DraftLetters(call, tpl, group, meeting);
    if (!drafts.ok()) {
      preview = Html::Format(R"(<p class="error" role="alert">{}</p>)", drafts.status().message());
    } else {
      Html rows;
      std::shared_lock lock(mu_);
      for (const store::Letter& l : *drafts) {
        const json f = json::parse(l.figures_json);
        const store::Pupil& p = snapshot_.pupils[snapshot_.pupil_index.at(l.pupil_id)];
        rows += Html::Format(
            R"(<tr><td><a href="/pupils/{}">{}</a></td><td>{}</td><td>{}</td><td>{}%</td><td>{}</td></tr>)",
            p.id, DisplayName(p), l.addressee, l.subject, f["attendance_pct"].get<std::string>(),
            f["band"].get<std::string>());
      }
      preview = Html::Format(
          R"(<h2>{} letter{} to send</h2><form method="post" action="/letters"><input type="hidden" name="_csrf" value="{}">)"
          R"(<input type="hidden" name="template" value="{}"><input type="hidden" name="group" value="{}">)"
          R"(<input type="hidden" name="meeting" value="{}"><p><button class="primary" type="submit">Record and print {} letter{}</button></p></form>)"
          R"(<div class="scroll"><table><thead><tr><th>Pupil</th><th>To</th><th>Subject</th><th>Attendance</th><th>Band</th></tr></thead><tbody>{}</tbody></table></div>)",
          drafts->size(), drafts->size() == 1 ? "" : "s", call.csrf, tpl, group, meeting,
          drafts->size(), drafts->size() == 1 ? "" : "s", rows);
    }
  }
  Html recent;
  StatusOr<std::vector<store::Letter>> batches = store_.RecentBatches(kRecentBatches);
  if (batches.ok()) {
    for (const store::Letter& b : *batches) {
      const std::optional<letters::Template> t = letters::TemplateFromKey(b.template_key);
      recent += Html::Format(
          R"(<li><a href="/letters/batch/{}">{}</a>, {} by {} (<a href="/letters/batch/{}.pdf">PDF</a>)</li>)",
          b.batch, t ? std::string(letters::InfoOf(*t).title) : b.template_key, IsoTime(b.at),
          b.by_name, b.batch);
    }
  }
  Html body = Html::Format(
      R"(<form method="get" action="/letters" class="stack card no-print">)"
      R"(<label for="letter-template">Letter</label><select id="letter-template" name="template">{}</select>)"
      R"(<label for="letter-group">To the families of</label><select id="letter-group" name="group">{}</select>)"
      R"(<label for="letter-meeting">Meeting (panel invitations): when and where</label><input id="letter-meeting" name="meeting" maxlength="300" value="{}">)"
      R"(<p><button type="submit">See who qualifies</button></p></form>{})"
      R"(<h2>Recently sent</h2><ul>{}</ul>)",
      templates, groups, meeting, preview,
      recent.str().empty() ? Html::Trusted("<li>None yet.</li>") : recent);
  return Layout(call.who, call.csrf, school, "Letters", body);
}

Response App::PageLetterBatch(Call& call, const std::string& what) {
  const bool pdf = what.ends_with(".pdf");
  const std::string batch = pdf ? what.substr(0, what.size() - 4) : what;
  const std::string school = SchoolName();
  StatusOr<std::vector<store::Letter>> list = BatchToRead(call, batch);
  if (!list.ok()) return Refused(call.who, call.csrf, school, list.status());
  std::vector<letters::Page> pages;
  for (const store::Letter& l : *list) pages.push_back(PageOf(l, school));
  if (pdf) {
    StatusOr<std::string> bytes = letters::RenderPdf(pages);
    if (!bytes.ok()) return Refused(call.who, call.csrf, school, bytes.status());
    return PdfResponse(std::move(*bytes), fmt::format("letters-{}.pdf", batch));
  }
  Html articles;
  for (const letters::Page& p : pages) articles += LetterArticle(p);
  return Layout(
      call.who, call.csrf, school,
      fmt::format("{} letter{} recorded", pages.size(), pages.size() == 1 ? "" : "s"),
      Html::Format(
          R"(<p class="no-print"><a href="/letters/batch/{}.pdf">Download as PDF</a> · )"
          R"(<button type="button" data-print>Print</button> · <a href="/letters">Letters</a></p>{})",
          batch, articles));
}

Response App::PageLetter(Call& call, const std::string& what) {
  const bool pdf = what.ends_with(".pdf");
  const std::string id = pdf ? what.substr(0, what.size() - 4) : what;
  const std::string school = SchoolName();
  StatusOr<store::Letter> l = LetterToRead(call, id);
  if (!l.ok()) return Refused(call.who, call.csrf, school, l.status());
  const std::vector<letters::Page> pages = {PageOf(*l, school)};
  if (pdf) {
    StatusOr<std::string> bytes = letters::RenderPdf(pages);
    if (!bytes.ok()) return Refused(call.who, call.csrf, school, bytes.status());
    return PdfResponse(std::move(*bytes), fmt::format("letter-{}.pdf", id));
  }
  return Layout(
      call.who, call.csrf, school, l->subject,
      Html::Format(
          R"(<p class="no-print"><a href="/letters/{}.pdf">Download as PDF</a> · <a href="/pupils/{}#letters">Back to the pupil</a></p>{})",
          l->id, l->pupil_id, LetterArticle(pages.front())));
}

Html App::LettersSection(const Call& call, const store::Pupil& p) {
  {
    std::shared_lock lock(mu_);
    if (!Authorize(*call.who, Action::kReadContactLog, {p.id, p.class_id}, snapshot_.school.la_code)
             .ok()) {
      return Html();
    }
  }
  StatusOr<std::vector<store::Letter>> list = store_.LettersForPupil(p.id);
  if (!list.ok()) return Html::Format(R"(<p class="error">{}</p>)", list.status().message());
  Html items;
  for (auto l = list->rbegin(); l != list->rend(); ++l) {
    items += Html::Format(
        R"(<li><a href="/letters/{}">{}</a>, {} to {} by {} (<a href="/letters/{}.pdf">PDF</a>)</li>)",
        l->id, l->subject, IsoTime(l->at), l->addressee, l->by_name, l->id);
  }
  Html form;
  if (Allow(call, Action::kSendLetters, {}).ok()) {
    Html templates;
    for (const letters::TemplateInfo& info : letters::Templates()) {
      if (!letters::ForGroups(info.id)) continue;
      templates += Html::Format(R"(<option value="{}">{}</option>)", info.key, info.title);
    }
    form = Html::Format(
        R"(<details><summary>Send a letter</summary><form class="stack" method="post" action="/letters">)"
        R"(<input type="hidden" name="_csrf" value="{}"><input type="hidden" name="group" value="pupil-{}">)"
        R"(<label for="pupil-letter">Letter</label><select id="pupil-letter" name="template">{}</select>)"
        R"(<label for="pupil-meeting">Meeting (panel invitations): when and where</label><input id="pupil-meeting" name="meeting" maxlength="300">)"
        R"(<p><button type="submit">Record and print</button></p></form></details>)",
        call.csrf, p.id, templates);
  }
  return Html::Format(R"(<h2 id="letters">Letters</h2><ul>{}</ul>{})",
                      items.str().empty() ? Html::Trusted("<li>None sent.</li>") : items, form);
}

}  // namespace rollcall::web
