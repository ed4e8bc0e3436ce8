// app_lessons_office.cc: what the office sees of lesson registers
// (service::Lessons): the disagreements between lessons and the AM/PM
// register, the timetable and its import from CSV files, today's pupils
// missing from lessons on the Today page, and a pupil's missed lessons on
// their page.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "core/codes.h"
#include "core/error_codes.h"
#include "core/lessons.h"
#include "service/lessons.h"
#include "web/app.h"
#include "web/app_internal.h"
#include "web/html.h"
#include "web/multipart.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

// The first of the last `days` weekdays up to `to`, `to` included when it is
// one. Closures are not skipped: a holiday in the range only widens it.
Date WeekdaysBack(Date to, int days) {
  Date d = to;
  int counted = 0;
  while (true) {
    if (!d.IsWeekend() && ++counted == days) return d;
    d = d.AddDays(-1);
  }
}

// One disagreement's line: the pupil, the words, and where to act on it.
Html DisagreementItem(const service::DisagreementLine& d, bool amend_link) {
  return Html::Format(
      R"(<li><a class="govuk-link" href="/pupils/{}">{}</a>{}: {}{}</li>)", d.pupil_id, d.pupil,
      d.form.empty() ? "" : " (" + d.form + ")", d.words,
      amend_link
          ? Html::Format(R"( · <a class="govuk-link" href="/register?date={}&amp;session={}">)"
                         R"(amend the {} register</a>)",
                         d.date.ToString(), core::SessionName(d.session),
                         core::SessionName(d.session))
          : Html());
}

// "Monday of week A" for a cycle day (1..10).
std::string CycleDayName(int cycle_day, int cycle_weeks) {
  const int index = (cycle_day - 1) % 5;
  if (index < 0 || index > 4) return fmt::format("day {}", cycle_day);
  if (cycle_weeks < 2) return kWeekdayNames[index];
  return fmt::format("{} {}", std::string(kWeekdayNames[index]).substr(0, 3),
                     cycle_day <= 5 ? "A" : "B");
}

}  // namespace

Response App::PageLessonDisagreements(Call& call) {
  const auto& q = call.target.query;
  const Date today = clock_.Today();
  const std::string to = q.contains("to") && !q.at("to").empty() ? q.at("to") : today.ToString();
  StatusOr<Date> to_day = ParseDateParam(to, "to");
  if (!to_day.ok()) return Refused(call.who, call.csrf, SchoolName(), to_day.status());
  const std::string from = q.contains("from") && !q.at("from").empty()
                               ? q.at("from")
                               : WeekdaysBack(*to_day, 5).ToString();
  StatusOr<std::vector<service::DisagreementLine>> lines =
      services_.lessons().Disagreements(*call.who, from, to);
  if (!lines.ok()) return Refused(call.who, call.csrf, SchoolName(), lines.status());
  // Grouped by day, newest first, as the service gives them.
  Html days;
  Html items;
  std::optional<Date> day;
  auto flush = [&] {
    if (day)
      days += Html::Format(R"(<h2>{}</h2><ul class="govuk-list">{}</ul>)", DayDate(*day), items);
    items = Html();
  };
  for (const service::DisagreementLine& d : *lines) {
    if (day != d.date) {
      flush();
      day = d.date;
    }
    items += DisagreementItem(d, true);
  }
  flush();
  const std::optional<Date> from_day = Date::Parse(from);
  Html body = Html::Format(
      R"(<p class="govuk-body">Where a lesson's register and the AM/PM register disagree: a pupil )"
      R"(seen in a lesson while marked absent, a pupil on site but missing from a later lesson, or )"
      R"(a pupil seen in lessons with no AM/PM mark after the register closed. Amend the AM/PM )"
      R"(register with a reason where it is wrong; lessons never change it themselves.</p>)"
      R"(<form method="get" action="/lessons/disagreements" class="card">)"
      R"(<label>From <input type="date" name="from" value="{}"></label> )"
      R"(<label>To <input type="date" name="to" value="{}"></label> )"
      R"(<button type="submit">Show</button></form>{})",
      from_day ? from_day->ToString() : from, to_day->ToString(),
      days.str().empty()
          ? Html::Trusted(R"(<p class="govuk-body" id="no-disagreements">None in these days.</p>)")
          : days);
  return Layout(call.who, call.csrf, SchoolName(), "Lessons and the AM/PM register", body);
}

namespace {

// The timetable as tables: periods, the cycle's grid (periods down, days
// across) and the groups. `names` gives teachers' names by user id where
// the reader may see them.
Html TimetableHtml(const store::Timetable& t, const std::map<int64_t, std::string>& names) {
  Html periods;
  std::vector<const store::Period*> live_periods;
  for (const store::Period& p : t.periods) {
    if (!p.retired) live_periods.push_back(&p);
    periods +=
        Html::Format(R"(<tr><td>{}</td><td>{}–{}</td><td>{}</td><td>{}</td></tr>)", p.name,
                     TimeText(p.start_minute), TimeText(p.end_minute), core::SessionName(p.session),
                     p.retired        ? "Retired (kept for its marks)"
                     : p.registration ? "Registration"
                                      : "Lesson");
  }
  std::map<int64_t, const store::TeachingGroup*> groups;
  Html group_rows;
  for (const store::TeachingGroup& g : t.groups) {
    groups[g.id] = &g;
    std::string teachers;
    for (int64_t id : g.teacher_ids) {
      auto it = names.find(id);
      teachers += (teachers.empty() ? "" : ", ") +
                  (it == names.end() ? fmt::format("user {}", id) : it->second);
    }
    group_rows += Html::Format(
        R"(<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>)", g.code, g.subject, teachers,
        g.retired ? Html::Trusted("retired") : Html::Format("{}", g.pupil_ids.size()));
  }
  // The grid: one row a period, one column a day of the cycle.
  const int days = 5 * std::max(1, t.cycle_weeks);
  std::map<std::pair<int64_t, int>, std::vector<const store::Lesson*>> slots;
  for (const store::Lesson& l : t.lessons) slots[{l.period_id, l.cycle_day}].push_back(&l);
  Html head;
  for (int d = 1; d <= days; ++d) {
    head += Html::Format(R"(<th scope="col">{}</th>)", CycleDayName(d, t.cycle_weeks));
  }
  Html grid;
  for (const store::Period* p : live_periods) {
    Html cells;
    for (int d = 1; d <= days; ++d) {
      Html cell;
      auto it = slots.find({p->id, d});
      if (it != slots.end()) {
        for (const store::Lesson* l : it->second) {
          auto g = groups.find(l->group_id);
          cell += Html::Format(
              R"(<div>{}{}</div>)",
              g == groups.end() ? fmt::format("group {}", l->group_id) : g->second->code,
              l->room.empty() ? "" : " " + l->room);
        }
      }
      cells += Html::Format("<td>{}</td>", cell);
    }
    grid += Html::Format(R"(<tr><th scope="row">{}</th>{}</tr>)", p->name, cells);
  }
  return Html::Format(
      R"(<p class="govuk-body">A {}-week cycle; week 1 began on {}. The AM and PM marks come from {}. )"
      R"(Set by {} {}.</p>)"
      R"(<h2>Periods</h2><div class="scroll-x"><table><thead><tr><th>Period</th><th>Time</th>)"
      R"(<th>Session</th><th>Kind</th></tr></thead><tbody>{}</tbody></table></div>)"
      R"(<h2>The cycle</h2><div class="scroll-x" tabindex="0"><table class="timetable-grid"><thead><tr><th>Period</th>{}</tr></thead>)"
      R"(<tbody>{}</tbody></table></div>)"
      R"(<h2>Teaching groups</h2><div class="scroll-x"><table><thead><tr><th>Group</th><th>Subject</th>)"
      R"(<th>Teachers</th><th>Pupils</th></tr></thead><tbody>{}</tbody></table></div>)",
      t.cycle_weeks, DayDate(t.week1_monday),
      t.source == core::StatutorySource::kFirstLesson ? "the first lesson of each session"
                                                      : "the registration period's register",
      t.set_by, MomentText(t.set_at), periods, head, grid, group_rows);
}

Html ImportForm(const std::string& csrf, const std::map<std::string, std::string>& form) {
  auto file = [](const char* name, const char* label, const char* header) {
    return Html::Format(
        R"(<div class="govuk-form-group"><label class="govuk-label" for="tt-{}">{}</label>)"
        R"(<div class="govuk-hint" id="tt-{}-hint">Header line: {}</div>)"
        R"(<input class="govuk-file-upload" id="tt-{}" name="{}" type="file" accept=".csv,text/csv" )"
        R"(aria-describedby="tt-{}-hint" required></div>)",
        name, label, name, header, name, name, name);
  };
  const std::string weeks = Get(form, "cycle_weeks");
  const std::string source = Get(form, "source");
  return Html::Format(
      R"(<h2>Import a timetable</h2><p class="govuk-body">Replaces the timetable. Periods and groups )"
      R"(keep their lesson marks when their names stay the same. Nothing changes if any file has a problem.</p>)"
      R"(<form class="stack" method="post" action="/timetable/import" enctype="multipart/form-data">)"
      R"(<input type="hidden" name="_csrf" value="{}">{}{}{}{})"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="tt-weeks">Weeks in the cycle</label>)"
      R"(<select class="govuk-select" id="tt-weeks" name="cycle_weeks"><option value="1"{}>1</option>)"
      R"(<option value="2"{}>2 (week A and week B)</option></select></div>)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="tt-monday">A Monday of week 1 (week A)</label>)"
      R"(<input class="govuk-input govuk-input--width-10" id="tt-monday" name="week1_monday" type="date" value="{}" required></div>)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="tt-source">The AM and PM marks come from</label>)"
      R"(<select class="govuk-select" id="tt-source" name="source">)"
      R"(<option value="registration"{}>the registration period's register</option>)"
      R"(<option value="first-lesson"{}>the first lesson of each session</option></select></div>)"
      R"(<p><button class="govuk-button" type="submit">Import timetable</button></p></form>)",
      csrf, file("periods", "Periods", "period,start,end,session,registration"),
      file("groups", "Teaching groups", "group,subject,teachers (usernames separated by ;)"),
      file("members", "Pupils in groups", "group,upn"),
      file("lessons", "Lessons",
           "group,day,period,room (day: Mon..Fri, with A or B in a two-week cycle)"),
      weeks == "2" ? Html() : Html::Trusted(" selected"),
      weeks == "2" ? Html::Trusted(" selected") : Html(), Get(form, "week1_monday"),
      source == "first-lesson" ? Html() : Html::Trusted(" selected"),
      source == "first-lesson" ? Html::Trusted(" selected") : Html());
}

// The staff's names by id where the reader may list accounts; none (the
// timetable shows ids) otherwise.
std::map<int64_t, std::string> StaffNames(const StatusOr<std::vector<store::User>>& users) {
  std::map<int64_t, std::string> names;
  if (users.ok()) {
    for (const store::User& u : *users) names[u.id] = u.display_name;
  }
  return names;
}

}  // namespace

Response App::PageTimetable(Call& call) {
  StatusOr<store::Timetable> t = services_.lessons().Timetable(*call.who);
  if (!t.ok()) return Refused(call.who, call.csrf, SchoolName(), t.status());
  const std::map<int64_t, std::string> names = StaffNames(services_.accounts().Users(*call.who));
  const bool may_import =
      service::Authorize(*call.who, service::Action::kManageTimetable, {}, call.who->la_code).ok();
  Html body =
      t->periods.empty()
          ? Html::Trusted(R"(<p class="govuk-body" id="no-timetable">No timetable yet.</p>)")
          : TimetableHtml(*t, names);
  if (may_import) body += ImportForm(call.csrf, {});
  return Layout(call.who, call.csrf, SchoolName(), "Timetable",
                DoneBanner(call.target.query) + body);
}

Response App::PageTimetableImport(Call& call) {
  const auto form = FormFields(call.req);
  StatusOr<std::vector<MultipartPart>> parts = ParseMultipart(call.req.content_type, call.req.body);
  std::map<std::string, std::string> files;
  if (parts.ok()) {
    for (MultipartPart& part : *parts) {
      if (part.filename) files[part.name] = std::move(part.body);
    }
  }
  // A body that is no form still goes to the service with no files, so that
  // whoever may not import hears that first, and the rest why the form is broken.
  StatusOr<service::TimetableImportResult> result = services_.lessons().ImportTimetable(
      *call.who, files["periods"], files["groups"], files["members"], files["lessons"],
      Get(form, "cycle_weeks"), Get(form, "week1_monday"), Get(form, "source"));
  if (!parts.ok() &&
      (result.ok() || result.status().kind() != core::ErrorKind::kPermissionDenied)) {
    return NotSaved(call.who, call.csrf, parts.status(), "/timetable");
  }
  if (!result.ok()) {
    // The refusal above the form, filled in as sent (the files are chosen again).
    return Layout(call.who, call.csrf, SchoolName(), "Timetable not imported",
                  ErrorSummary(result.status().message()) + ImportForm(call.csrf, form),
                  HttpStatusFor(result.status().kind()));
  }
  Html summary = SuccessBanner(
      fmt::format("Timetable imported: {}, {}, {} and {}.", Plural(result->periods, "period"),
                  Plural(result->groups, "teaching group"), Plural(result->lessons, "lesson"),
                  Plural(result->memberships, "place in a group", "places in groups")));
  if (result->retired > 0) {
    summary += Html::Format(
        R"(<p class="govuk-body">{} no longer in the timetable kept for the marks recorded in them.</p>)",
        Plural(result->retired, "period or group", "periods or groups"));
  }
  StatusOr<store::Timetable> t = services_.lessons().Timetable(*call.who);
  const std::map<int64_t, std::string> names = StaffNames(services_.accounts().Users(*call.who));
  return Layout(call.who, call.csrf, SchoolName(), "Timetable",
                summary + (t.ok() ? TimetableHtml(*t, names) : Html()));
}

Html App::LessonsTodaySection(const Call& call) {
  // Hidden where there is no timetable (a primary school).
  if (!services_.lessons().HasTimetable()) return Html();
  StatusOr<std::vector<service::DisagreementLine>> lines =
      services_.lessons().TruancyToday(*call.who);
  if (!lines.ok()) return Html();
  Html items;
  for (const service::DisagreementLine& d : *lines) {
    const std::string teachers = fmt::format("{}", fmt::join(d.lesson.teachers, ", "));
    items += Html::Format(
        R"(<li><a class="govuk-link" href="/pupils/{}">{}</a>{}: missing from {} {} ({}){}, )"
        R"({}–{}{}</li>)",
        d.pupil_id, d.pupil, d.form.empty() ? "" : " (" + d.form + ")", d.lesson.period,
        d.lesson.group, d.lesson.subject, teachers.empty() ? "" : " with " + teachers,
        TimeText(d.lesson.start_minute), TimeText(d.lesson.end_minute),
        d.lesson.room.empty() ? "" : " in " + d.lesson.room);
  }
  // The link to every disagreement, for those who may read them.
  const Html all =
      service::Authorize(*call.who, service::Action::kReadLessonDisagreements, {},
                         call.who->la_code)
              .ok()
          ? Html::Trusted(
                R"( <a class="govuk-link" href="/lessons/disagreements">Every disagreement</a>)")
          : Html();
  return Html::Format(
      R"(<h2 id="missing-from-lessons">Missing from lessons today</h2>)"
      R"(<p class="govuk-body">On site by the AM/PM register, marked absent in a later lesson with )"
      R"(no reason.{}</p><ul class="govuk-list">{}</ul>)",
      all, items.str().empty() ? Html::Trusted("<li>None.</li>") : items);
}

Html App::MissedLessonsSection(const Call& call, const store::Pupil& p) {
  StatusOr<service::TruancyPatternView> v = services_.lessons().TruancyPattern(*call.who, p.id, 6);
  if (!v.ok() || v->missed.empty()) return Html();
  Html lessons;
  for (const service::DisagreementLine& d : v->missed) {
    lessons += Html::Format(R"(<li>{}: {} {} ({}), {}–{}</li>)", ShortDayDate(d.date),
                            d.lesson.period, d.lesson.group, d.lesson.subject,
                            TimeText(d.lesson.start_minute), TimeText(d.lesson.end_minute));
  }
  auto counts = [](const std::map<std::string, int>& by) {
    std::vector<std::pair<std::string, int>> sorted(by.begin(), by.end());
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    std::string out;
    for (const auto& [name, times] : sorted) {
      out += fmt::format("{}{} {}", out.empty() ? "" : ", ", name, times);
    }
    return out;
  };
  std::map<std::string, int> weekdays;
  for (int i = 0; i < 5; ++i) {
    if (v->by_weekday[i] > 0) weekdays[kWeekdayNames[i]] = v->by_weekday[i];
  }
  return Html::Format(
      R"(<h2 id="missed-lessons">Missed lessons (last 6 weeks)</h2>)"
      R"(<p class="govuk-body">{} missed while on site, with no reason, from {} to {}.</p>)"
      R"(<dl class="govuk-summary-list">)"
      R"(<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">By day</dt>)"
      R"(<dd class="govuk-summary-list__value">{}</dd></div>)"
      R"(<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">By period</dt>)"
      R"(<dd class="govuk-summary-list__value">{}</dd></div>)"
      R"(<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">By subject</dt>)"
      R"(<dd class="govuk-summary-list__value">{}</dd></div></dl>)"
      R"(<details class="govuk-details"><summary class="govuk-details__summary">)"
      R"(<span class="govuk-details__summary-text">The lessons</span></summary>)"
      R"(<div class="govuk-details__text"><ul class="govuk-list">{}</ul></div></details>)",
      Plural(static_cast<int>(v->missed.size()), "lesson"), ShortDate(v->from), ShortDate(v->to),
      counts(weekdays), counts(v->by_period), counts(v->by_subject), lessons);
}

}  // namespace rollcall::web
