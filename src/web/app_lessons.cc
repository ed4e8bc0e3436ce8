// app_lessons.cc: a secondary school's lesson registers (service::Lessons):
// the reader's lessons of a day, one lesson's register taken from a phone as
// the AM/PM register is (the same row markup and classes, htmx swapping one
// row at a time), and the lesson-register API. The office's timetable,
// disagreements and the Today and pupil-page sections are in
// app_lessons_office.cc.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/codes.h"
#include "core/error_codes.h"
#include "core/lessons.h"
#include "service/lessons.h"
#include "web/app.h"
#include "web/app_internal.h"
#include "web/html.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

std::string PresentSymbol(core::Session session) {
  return std::string(core::SymbolOf(core::PresentCode(session)));
}

// "P2 10:00–11:00".
std::string LessonTime(const service::LessonRef& l) {
  return fmt::format("{} {}–{}", l.period, TimeText(l.start_minute), TimeText(l.end_minute));
}

// The address of a lesson's register page.
std::string RegisterLink(const service::LessonRef& l) {
  return fmt::format("/lessons/register?date={}&period={}&group={}", l.date.ToString(), l.period_id,
                     l.group_id);
}

// One line a pupil, as the AM/PM register's (RegisterRow in app_pages.cc):
// the name with what is known about why they may be away and the session's
// statutory mark, the lesson mark, and large buttons for present, late and
// absent. The arrival time and the other codes a lesson may take sit behind
// "⋯" on a narrow screen. Changing a recorded mark asks a reason, in a box
// that appears only once the pupil has a mark. Read-only rows have no
// buttons.
Html LessonRow(const service::LessonRegisterRow& row, const service::LessonRef& l,
               const std::string& csrf, const std::string& error, bool may_mark) {
  const std::string present = PresentSymbol(l.session);
  const std::optional<store::LessonMark>& mark = row.mark;
  Html current =
      mark
          ? Html::Format(R"(<span class="govuk-tag {} mark" title="{}">{}</span>{})",
                         CodeTagClass(mark->code), core::InfoOf(mark->code).meaning,
                         core::SymbolOf(mark->code),
                         mark->arrival_minute ? " at " + TimeText(*mark->arrival_minute) : "")
          : Html::Trusted(
                R"(<span class="govuk-tag govuk-tag--grey mark">—</span><span class="reg-word"> not marked</span>)");
  // What the rest of the school knows about the pupil this session.
  Html known;
  if (row.statutory) {
    known += Html::Format(R"(<span class="lesson-statutory">{} register: {}</span>)",
                          core::SessionName(l.session), core::SymbolOf(*row.statutory));
  }
  if (!row.note.empty()) {
    known += Html::Format(R"({}<span class="lesson-why">{}</span>)",
                          row.statutory ? Html::Trusted(" · ") : Html(), row.note);
  }
  if (!known.str().empty()) known = Html::Format(R"(<div class="lesson-note">{}</div>)", known);
  Html options = Html::Trusted(R"(<option value="">Other code…</option>)");
  for (const core::CodeInfo& info : core::AllCodes()) {
    if (!core::IsValidOn(info.code, l.date) || info.code == core::AttendanceCode::kPresentAm ||
        info.code == core::AttendanceCode::kPresentPm || info.symbol == "L" || info.symbol == "N" ||
        !core::CheckLessonCode(l.session, info.code).ok()) {
      continue;
    }
    options += Html::Format(R"(<option value="{}">{} {}</option>)", info.symbol, info.symbol,
                            info.meaning);
  }
  // A recorded mark changes only with a reason (Lessons::RecordLessonMark).
  const Html reason =
      mark
          ? Html::Format(
                R"(<input class="reg-reason" name="reason" required placeholder="Reason for a change" )"
                R"(aria-label="Reason for changing the mark of {}">)",
                row.name)
          : Html();
  const Html actions =
      may_mark
          ? Html::Format(
                R"(<td class="actions"><form class="reg-form" method="post" action="/lessons/mark" )"
                R"(hx-post="/lessons/mark" hx-target="closest tr" hx-swap="outerHTML">)"
                R"(<input type="hidden" name="_csrf" value="{}"><input type="hidden" name="date" value="{}">)"
                R"(<input type="hidden" name="period" value="{}"><input type="hidden" name="group" value="{}">)"
                R"(<input type="hidden" name="pupil" value="{}">)"
                R"(<button class="reg-tap" name="code" value="{}" data-key="present">{}<span class="reg-word"> Present</span></button>)"
                R"(<button class="reg-tap" name="code" value="L" data-key="late">L<span class="reg-word"> Late</span></button>)"
                R"(<button class="reg-tap" name="code" value="N" data-key="absent">N<span class="reg-word"> Absent</span></button>)"
                R"(<details class="reg-more"><summary class="reg-tap" aria-label="Arrival time and other codes for {}">⋯</summary>)"
                R"(<label><span class="muted">Arrived</span> <input type="time" name="arrival_time" aria-label="Arrival time for {}"></label> )"
                R"(<label><span class="muted">Code</span> <select name="other">{}</select></label> )"
                R"(<button name="code" value="other">Save</button></details>{}</form></td>)",
                csrf, l.date.ToString(), l.period_id, l.group_id, row.pupil_id, present, present,
                row.name, row.name, options, reason)
          : Html();
  return Html::Format(
      R"(<tr id="row-{}" data-pupil="{}"><td class="reg-name"><span class="reg-who">{}</span>)"
      R"({}{}</td><td class="reg-mark">{}{}</td>{}</tr>)",
      row.pupil_id, row.pupil_id,
      row.may_open ? Html::Format(R"(<a href="/pupils/{}">{}</a>)", row.pupil_id, row.name)
                   : Html::Format("{}", row.name),
      row.form.empty() ? Html()
                       : Html::Format(R"( <span class="muted hide-small">{}</span>)", row.form),
      known, current,
      error.empty() ? Html() : Html::Format(R"(<div class="error" role="alert">{}</div>)", error),
      actions);
}

// "12 of 29 marked"; `oob` to replace the count after a mark (htmx out of band).
Html LessonProgress(const service::LessonRegisterView& v, bool oob) {
  const auto marked =
      std::count_if(v.pupils.begin(), v.pupils.end(),
                    [](const service::LessonRegisterRow& r) { return r.mark.has_value(); });
  return ProgressCount(static_cast<size_t>(marked), v.pupils.size(), oob);
}

Html LessonRows(const service::LessonRegisterView& v, const std::string& csrf) {
  const bool may_mark = v.read_only.empty();
  Html rows;
  for (const service::LessonRegisterRow& row : v.pupils) {
    rows += LessonRow(row, v.lesson, csrf, "", may_mark);
  }
  if (v.pupils.empty()) {
    rows = Html::Trusted(R"(<tr><td colspan="3">No pupils in this group that day.</td></tr>)");
  }
  return rows;
}

// The date, period and group of a lesson, from a query or a form.
struct LessonKey {
  std::string date;
  int64_t period_id = 0, group_id = 0;
};

std::string RegisterLink(const LessonKey& k) {
  return fmt::format("/lessons/register?date={}&period={}&group={}", k.date, k.period_id,
                     k.group_id);
}

StatusOr<LessonKey> ParseLessonKey(const std::string& date, const std::string& period,
                                   const std::string& group) {
  if (!Date::Parse(date)) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "'" + date + "' is not a date: give it as YYYY-MM-DD");
  }
  const std::optional<int64_t> period_id = ParseId(period);
  if (!period_id) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "'" + period + "' is not a period: open the lesson from Lessons");
  }
  const std::optional<int64_t> group_id = ParseId(group);
  if (!group_id) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "'" + group + "' is not a group: open the lesson from Lessons");
  }
  return LessonKey{date, *period_id, *group_id};
}

json LessonJson(const service::LessonRef& l) {
  return json{{"date", l.date.ToString()},
              {"period", {{"id", l.period_id}, {"name", l.period}}},
              {"group", {{"id", l.group_id}, {"code", l.group}, {"subject", l.subject}}},
              {"room", l.room},
              {"teachers", l.teachers},
              {"session", core::SessionName(l.session)},
              {"starts_at", TimeText(l.start_minute)},
              {"ends_at", TimeText(l.end_minute)},
              {"gives_statutory", l.gives_statutory},
              {"on_roll", l.pupils},
              {"marked", l.marked}};
}

}  // namespace

Response App::PageLessons(Call& call) {
  const std::string date =
      call.target.query.contains("date") ? call.target.query.at("date") : clock_.Today().ToString();
  StatusOr<Date> day = ParseDateParam(date, "date");
  if (!day.ok()) return Refused(call.who, call.csrf, SchoolName(), day.status());
  StatusOr<std::vector<service::LessonRef>> lessons =
      services_.lessons().LessonsOn(*call.who, date);
  if (!lessons.ok()) return Refused(call.who, call.csrf, SchoolName(), lessons.status());
  Html items;
  for (const service::LessonRef& l : *lessons) {
    items += Html::Format(
        R"(<li class="lesson-item"><a class="govuk-link" href="{}"><strong>{}</strong> {}</a>)"
        R"(<div class="muted">{}{} · {} of {} marked{}</div></li>)",
        RegisterLink(l), LessonTime(l), l.group, l.subject, l.room.empty() ? "" : " · " + l.room,
        l.marked, l.pupils,
        l.gives_statutory ? Html::Format(" · gives the {} mark", core::SessionName(l.session))
                          : Html());
  }
  const bool whole_school = call.who->role != Role::kTeacher;
  const Html office_links =
      whole_school
          ? Html::Trusted(
                R"(<p class="govuk-body"><a class="govuk-link" href="/lessons/disagreements">)"
                R"(Disagreements with the AM/PM register</a> · )"
                R"(<a class="govuk-link" href="/timetable">Timetable</a></p>)")
          : Html();
  Html body = Html::Format(
      R"({}<form method="get" action="/lessons" class="card"><label>Date <input type="date" name="date" value="{}"></label> )"
      R"(<button type="submit">Show lessons</button></form><h2>{}</h2>{})",
      office_links, day->ToString(), DayDate(*day),
      items.str().empty() ? Html::Format(R"(<p class="govuk-body" id="no-lessons">{}</p>)",
                                         whole_school ? "No lessons on this day."
                                                      : "You have no lessons on this day.")
                          : Html::Format(R"(<ul class="govuk-list lesson-list">{}</ul>)", items));
  return Layout(call.who, call.csrf, SchoolName(), "Lessons", body);
}

Response App::PageLessonRegister(Call& call) {
  const auto& q = call.target.query;
  StatusOr<LessonKey> key =
      ParseLessonKey(q.contains("date") ? q.at("date") : clock_.Today().ToString(),
                     Get(q, "period"), Get(q, "group"));
  if (!key.ok()) return Refused(call.who, call.csrf, SchoolName(), key.status());
  StatusOr<service::LessonRegisterView> v =
      services_.lessons().LessonRegister(*call.who, key->date, key->period_id, key->group_id);
  if (!v.ok()) return Refused(call.who, call.csrf, SchoolName(), v.status());
  const service::LessonRef& l = v->lesson;
  const bool may_mark = v->read_only.empty();
  const Html actions =
      may_mark
          ? Html::Format(
                R"(<form method="post" action="/lessons/all-present" hx-post="/lessons/all-present" )"
                R"(hx-target="#lesson-rows" hx-swap="innerHTML"><input type="hidden" name="_csrf" value="{}">)"
                R"(<input type="hidden" name="date" value="{}"><input type="hidden" name="period" value="{}">)"
                R"(<input type="hidden" name="group" value="{}"><button class="primary" type="submit" id="all-present">)"
                R"(All present</button> <span class="muted">(everyone not yet marked)</span></form>)",
                call.csrf, l.date.ToString(), l.period_id, l.group_id)
          : Html::Format(R"(<div class="govuk-inset-text notice" id="read-only">{}.</div>)",
                         v->read_only);
  const std::string teachers = fmt::format("{}", fmt::join(l.teachers, ", "));
  Html body = Html::Format(
      R"({}<p>{} · {}{}{} · {}</p>{}{})"
      R"(<table class="register lesson-register"><thead><tr><th scope="col">Pupil</th><th scope="col">Mark</th>{}</tr></thead>)"
      R"(<tbody id="lesson-rows">{}</tbody></table>)"
      R"(<p class="govuk-body"><a class="govuk-link" href="/lessons?date={}">All lessons that day</a></p>)",
      DoneBanner(q), DayDate(l.date), LessonTime(l), l.room.empty() ? "" : " · " + l.room,
      teachers.empty() ? "" : " · " + teachers, LessonProgress(*v, false),
      l.gives_statutory
          ? Html::Format(
                R"(<p class="muted" id="gives-statutory">This lesson's register gives the )"
                R"({} mark of pupils who have none yet.</p>)",
                core::SessionName(l.session))
          : Html(),
      actions, may_mark ? Html::Trusted(R"(<th scope="col">Record</th>)") : Html(),
      LessonRows(*v, call.csrf), l.date.ToString());
  return Layout(call.who, call.csrf, v->school, l.group + ": " + l.subject, body);
}

Response App::PageLessonMark(Call& call) {
  const auto form = FormFields(call.req);
  service::LessonMarkRequest m{Get(form, "date"),  Get(form, "period"), Get(form, "group"),
                               Get(form, "pupil"), Get(form, "code"),   "",
                               Get(form, "reason")};
  if (m.code == "other") m.code = Get(form, "other");
  if (m.code == "L") {
    m.arrival_time = Get(form, "arrival_time");
    // One tap on "L" as the pupil walks in today: they arrived now.
    if (m.arrival_time.empty() && m.date == clock_.Today().ToString()) {
      m.arrival_time = TimeText(clock_.MinuteOfDay());
    }
  }
  StatusOr<service::LessonMarkResult> result = services_.lessons().RecordLessonMark(*call.who, m);
  StatusOr<LessonKey> key = ParseLessonKey(m.date, m.period, m.group);
  if (!call.req.htmx) {
    // Without JavaScript: back to the register, or why not.
    if (!result.ok() || !key.ok()) {
      return NotSaved(call.who, call.csrf, result.ok() ? key.status() : result.status(),
                      key.ok() ? RegisterLink(*key) : std::string("/lessons"));
    }
    return RedirectDone(fmt::format("{}#row-{}", RegisterLink(*key), result->mark.pupil_id),
                        Done::kMarkSaved);
  }
  const std::string error = result.ok() ? "" : result.status().message();
  auto error_row = [](const std::string& message, http::status status) {
    return HtmlResponse(ErrorRow(message).str(), status);
  };
  // A refused mark is answered 200 with the row saying why, as the AM/PM
  // register's is: htmx swaps in only a successful answer.
  const std::optional<int64_t> pupil_id = ParseId(m.pupil);
  if (!key.ok() || !pupil_id) {
    return error_row(result.ok() ? key.status().message() : error, http::status::ok);
  }
  // The row redrawn from the register as it now stands.
  StatusOr<service::LessonRegisterView> v =
      services_.lessons().LessonRegister(*call.who, key->date, key->period_id, key->group_id);
  if (!v.ok()) {
    // Not even allowed to see the lesson: say so without any name.
    return error_row(result.ok() ? v.status().message() : error,
                     v.status().kind() == core::ErrorKind::kPermissionDenied
                         ? http::status::forbidden
                         : http::status::ok);
  }
  for (const service::LessonRegisterRow& row : v->pupils) {
    if (row.pupil_id != *pupil_id) continue;
    Html answer = LessonRow(row, v->lesson, call.csrf, error, v->read_only.empty());
    // The count too, in a <template>: only a template may stand beside a row.
    if (result.ok()) answer += Html::Format("<template>{}</template>", LessonProgress(*v, true));
    return HtmlResponse(answer.str());
  }
  // The pupil is not in this lesson.
  return error_row(result.ok() ? "Saved." : error, http::status::ok);
}

Response App::PageLessonAllPresent(Call& call) {
  const auto form = FormFields(call.req);
  StatusOr<LessonKey> key =
      ParseLessonKey(Get(form, "date"), Get(form, "period"), Get(form, "group"));
  if (!key.ok()) return Refused(call.who, call.csrf, SchoolName(), key.status());
  const std::string back = RegisterLink(*key);
  if (Status s =
          services_.lessons().MarkAllPresent(*call.who, key->date, key->period_id, key->group_id);
      !s.ok()) {
    if (!call.req.htmx) return NotSaved(call.who, call.csrf, s, back);
    // Why not, above the rows as they stand (htmx swaps in only a 200).
    Html answer = ErrorRow(s.message());
    StatusOr<service::LessonRegisterView> v =
        services_.lessons().LessonRegister(*call.who, key->date, key->period_id, key->group_id);
    if (!v.ok()) return HtmlResponse(answer.str(), HttpStatusFor(s.kind()));
    return HtmlResponse((answer + LessonRows(*v, call.csrf)).str());
  }
  if (!call.req.htmx) return RedirectDone(back, Done::kAllPresent);
  // The table's rows redrawn, and the count.
  StatusOr<service::LessonRegisterView> v =
      services_.lessons().LessonRegister(*call.who, key->date, key->period_id, key->group_id);
  if (!v.ok()) {
    return HtmlResponse(ErrorRow(v.status().message()).str(), HttpStatusFor(v.status().kind()));
  }
  Html answer =
      LessonRows(*v, call.csrf) + Html::Format("<template>{}</template>", LessonProgress(*v, true));
  return HtmlResponse(answer.str());
}

// ---------------------------------------------------------------------------
// API

Response App::GetLessonRegister(Call& call, const std::string& date, const std::string& period,
                                const std::string& group) {
  StatusOr<LessonKey> key = ParseLessonKey(date, period, group);
  if (!key.ok()) return ErrorResponse(key.status());
  StatusOr<service::LessonRegisterView> v =
      services_.lessons().LessonRegister(*call.who, key->date, key->period_id, key->group_id);
  if (!v.ok()) return ErrorResponse(v.status());
  json pupils = json::array();
  for (const service::LessonRegisterRow& row : v->pupils) {
    json item{{"id", row.pupil_id},
              {"name", row.name},
              {"form", row.form},
              {"code", nullptr},
              {"arrival_time", nullptr},
              {"recorded_at", nullptr},
              {"statutory", row.statutory ? json(core::SymbolOf(*row.statutory)) : json(nullptr)},
              {"note", row.note}};
    if (row.mark) {
      item["code"] = core::SymbolOf(row.mark->code);
      if (row.mark->arrival_minute) item["arrival_time"] = TimeText(*row.mark->arrival_minute);
      item["recorded_at"] = IsoTime(row.mark->recorded_at);
    }
    pupils.push_back(std::move(item));
  }
  json out = LessonJson(v->lesson);
  out["read_only"] = v->read_only.empty() ? json(nullptr) : json(v->read_only);
  out["pupils"] = std::move(pupils);
  return JsonResponse(out.dump());
}

Response App::PutLessonMark(Call& call, const std::string& date, const std::string& period,
                            const std::string& group, const std::string& pupil) {
  StatusOr<nlohmann::json> body = ObjectBody(call.req, {"code", "arrival_time", "reason"});
  if (!body.ok()) return ErrorResponse(body.status());
  service::LessonMarkRequest m{date, period, group, pupil, "", "", ""};
  for (auto [key, field, required] :
       {std::tuple{"code", &m.code, true}, std::tuple{"arrival_time", &m.arrival_time, false},
        std::tuple{"reason", &m.reason, false}}) {
    StatusOr<std::string> value = StringField(*body, key, required);
    if (!value.ok()) return ErrorResponse(value.status());
    *field = *value;
  }
  StatusOr<service::LessonMarkResult> result = services_.lessons().RecordLessonMark(*call.who, m);
  if (!result.ok()) return ErrorResponse(result.status());
  const store::LessonMark& mark = result->mark;
  json out{
      {"pupil_id", mark.pupil_id},
      {"date", mark.date.ToString()},
      {"period_id", mark.period_id},
      {"group_id", mark.group_id},
      {"code", core::SymbolOf(mark.code)},
      {"arrival_time", mark.arrival_minute ? json(TimeText(*mark.arrival_minute)) : json(nullptr)},
      {"changed", result->changed},
      {"statutory_recorded", result->statutory_recorded
                                 ? json(core::SymbolOf(*result->statutory_recorded))
                                 : json(nullptr)}};
  return JsonResponse(out.dump());
}

}  // namespace rollcall::web
