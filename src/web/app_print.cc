// app_print.cc: pages to print and keep by the door: a class's register for
// the day (the fire register: who is in school, who came late and when) and
// its class list with whom to ring in an emergency. The services decide who
// may see them (Registers::DayRegister, SchoolViews::ClassList); the print
// stylesheet leaves out the menus and buttons.
#include <fmt/format.h>

#include <string>

#include "core/codes.h"
#include "core/error_codes.h"
#include "service/letters.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h
using service::LongDate;

namespace {

// A mark as the printed register shows it: "L late at 09:05", "—" when none.
Html MarkCell(const std::optional<store::Mark>& mark, bool open) {
  if (!open) return Html::Trusted(R"(<span class="muted">no session</span>)");
  if (!mark) return Html::Trusted(R"(<span class="muted">not marked</span>)");
  return Html::Format(
      "<strong>{}</strong> {}{}", core::SymbolOf(mark->code), core::InfoOf(mark->code).meaning,
      mark->arrival_minute ? " at " + TimeText(*mark->arrival_minute) : std::string());
}

// "Year 3", or "Reception" for year 0.
std::string YearWords(int year_group) {
  return year_group == 0 ? std::string("Reception") : fmt::format("Year {}", year_group);
}

Html PrintButton(const std::string& back, const std::string& back_text) {
  return Html::Format(
      R"(<p class="no-print"><button type="button" class="govuk-button" data-print>Print</button> )"
      R"(<a class="govuk-link" href="{}">{}</a></p>)",
      back, back_text);
}

}  // namespace

Html internal::PrintLinks(int64_t class_id, const std::string& date) {
  return Html::Format(
      R"(<p class="no-print"><a class="govuk-link" href="/register/print?class={}&date={}">)"
      R"(Print the day's register (fire register)</a> · )"
      R"(<a class="govuk-link" href="/classes/{}/list">Print the class list</a></p>)",
      class_id, date, class_id);
}

Response App::PagePrintRegister(Call& call) {
  const auto& q = call.target.query;
  const std::string date = q.contains("date") ? q.at("date") : clock_.Today().ToString();
  const std::optional<int64_t> class_id = ParseId(Get(q, "class"));
  StatusOr<service::DayRegisterView> v =
      class_id ? services_.registers().DayRegister(*call.who, date, *class_id)
               : StatusOr<service::DayRegisterView>(
                     core::InvalidArgument(core::kErrValueInvalid, "choose a class to print"));
  if (!v.ok()) return Refused(call.who, call.csrf, SchoolName(), v.status());
  const std::string title = fmt::format("Register: {}, {}", v->of_class.name, LongDate(v->date));
  const Html back =
      PrintButton(fmt::format("/register?class={}&date={}", v->of_class.id, v->date.ToString()),
                  "Back to the register");
  if (!v->open_am && !v->open_pm) {
    return Layout(call.who, call.csrf, v->school, title,
                  back + Html::Format(R"(<p class="govuk-body">The school is not open on {}.</p>)",
                                      LongDate(v->date)));
  }
  Html rows;
  int late = 0;
  for (const service::DayRegisterRow& r : v->pupils) {
    for (const std::optional<store::Mark>* m : {&r.am, &r.pm}) {
      late += *m && (*m)->arrival_minute ? 1 : 0;
    }
    rows +=
        Html::Format(R"(<tr class="govuk-table__row"><td class="govuk-table__cell">{}</td>)"
                     R"(<td class="govuk-table__cell"><strong>{}</strong></td>)"
                     R"(<td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}</td>)"
                     R"(<td class="govuk-table__cell tick-box"></td></tr>)",
                     r.name, r.in_school ? "In school" : "Not in", MarkCell(r.am, v->open_am),
                     MarkCell(r.pm, v->open_pm));
  }
  const Html body = Html::Format(
      R"({}<p class="govuk-body"><strong>{} of {} pupils in school</strong>, by the marks up to the )"
      R"({} session; {} late arrival{} today. Printed at {} by {}.</p>)"
      R"(<table class="govuk-table register-print"><thead class="govuk-table__head"><tr class="govuk-table__row">)"
      R"(<th scope="col" class="govuk-table__header">Pupil</th><th scope="col" class="govuk-table__header">Now</th>)"
      R"(<th scope="col" class="govuk-table__header">Morning</th><th scope="col" class="govuk-table__header">Afternoon</th>)"
      R"(<th scope="col" class="govuk-table__header">Checked</th></tr></thead>)"
      R"(<tbody class="govuk-table__body">{}</tbody></table>)",
      back, v->in_school, v->pupils.size(),
      v->latest == core::Session::kAm ? "morning" : "afternoon", late, late == 1 ? "" : "s",
      LocalTime(v->printed_at), call.who->name, rows);
  return Layout(call.who, call.csrf, v->school, title, body);
}

Response App::PageClassList(Call& call, const std::string& id_text) {
  const std::optional<int64_t> class_id = ParseId(id_text);
  StatusOr<service::ClassListView> v =
      class_id ? services_.school_views().ClassList(*call.who, *class_id)
               : StatusOr<service::ClassListView>(
                     core::NotFound(core::kErrClassUnknown, "no class with id '" + id_text + "'"));
  if (!v.ok()) return Refused(call.who, call.csrf, SchoolName(), v.status());
  Html rows;
  for (const service::ClassListRow& p : v->pupils) {
    Html contacts;
    for (const store::Contact& c : p.contacts) {
      contacts +=
          Html::Format(R"(<div>{}. {} ({}) <a class="govuk-link" href="tel:{}">{}</a></div>)",
                       c.priority, c.name, c.relationship, c.phone, c.phone);
    }
    rows += Html::Format(
        R"(<tr class="govuk-table__row"><td class="govuk-table__cell"><a class="govuk-link" href="/pupils/{}">{}</a></td>)"
        R"(<td class="govuk-table__cell">{}</td><td class="govuk-table__cell date">{}</td>)"
        R"(<td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}</td></tr>)",
        p.pupil_id, p.name, YearWords(p.year_group), LongDate(p.date_of_birth), p.upn,
        contacts.str().empty() ? Html::Trusted(R"(<span class="muted">none held</span>)")
                               : contacts);
  }
  const Html body = Html::Format(
      R"({}<p class="govuk-body">{} pupils on roll on {}. It holds personal details: keep it )"
      R"(safe, and shred it when a newer one replaces it.</p>)"
      R"(<div class="scroll"><table class="govuk-table"><thead class="govuk-table__head"><tr class="govuk-table__row">)"
      R"(<th scope="col" class="govuk-table__header">Pupil</th><th scope="col" class="govuk-table__header">Year</th>)"
      R"(<th scope="col" class="govuk-table__header">Date of birth</th><th scope="col" class="govuk-table__header">UPN</th>)"
      R"(<th scope="col" class="govuk-table__header">Contacts, in the order to ring them</th></tr></thead>)"
      R"(<tbody class="govuk-table__body">{}</tbody></table></div>)",
      PrintButton(fmt::format("/register?class={}", v->of_class.id), "Back to the register"),
      v->pupils.size(), LongDate(v->as_of), rows);
  return Layout(call.who, call.csrf, v->school, "Class list: " + v->of_class.name, body);
}

}  // namespace rollcall::web
