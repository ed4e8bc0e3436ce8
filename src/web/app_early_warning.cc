// app_early_warning.cc: the early-warning list (GET /early-warning, with
// year=N, class=ID and all=yes in the query) and the pupil page's section
// with the pupil's chance and reasons (service::EarlyWarning).
#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "service/records.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

// Whole percent, rounded down: "50%" is on the list, never 49.6% rounded up.
std::string ChanceText(double chance) {
  return fmt::format("{}%", static_cast<int>(std::floor(chance * 100)));
}

Html ReasonList(const std::vector<core::ForecastReason>& reasons) {
  if (reasons.empty())
    return Html::Trusted(R"(<span class="muted">No one figure stands out</span>)");
  Html items;
  for (const core::ForecastReason& r : reasons) items += Html::Format("<li>{}</li>", r.words);
  return Html::Format(R"(<ul class="govuk-list govuk-list--bullet">{}</ul>)", items);
}

// The year group of the query: "" for every year; nullopt when it is not one.
std::optional<std::optional<int>> YearFilter(const std::string& text) {
  if (text.empty()) return std::optional<int>();
  int year = 0;
  const auto [ptr, error] = std::from_chars(text.data(), text.data() + text.size(), year);
  if (error != std::errc() || ptr != text.data() + text.size() || year < 0 || year > 13) {
    return std::nullopt;
  }
  return std::optional<int>(year);
}

Html FilterForm(const service::EarlyWarningView& v) {
  Html years = Html::Format(R"(<option value=""{}>Every year</option>)",
                            v.filter.year_group ? "" : " selected");
  for (int y : v.year_groups) {
    years += Html::Format(R"(<option value="{}"{}>{}</option>)", y,
                          v.filter.year_group == y ? " selected" : "", service::YearGroupName(y));
  }
  Html classes = Html::Format(R"(<option value=""{}>Every class</option>)",
                              v.filter.class_id ? "" : " selected");
  for (const service::EarlyWarningClass& c : v.classes) {
    classes += Html::Format(R"(<option value="{}"{}>{}</option>)", c.id,
                            v.filter.class_id == c.id ? " selected" : "", c.name);
  }
  return Html::Format(
      R"(<form method="get" action="/early-warning" class="filters" novalidate>)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="ew-year">Year group</label>)"
      R"(<select class="govuk-select" id="ew-year" name="year">{}</select></div>)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="ew-class">Class</label>)"
      R"(<select class="govuk-select" id="ew-class" name="class">{}</select></div>)"
      R"({}<button class="govuk-button govuk-button--secondary" type="submit">Show</button></form>)",
      years, classes,
      Checkbox("ew-all", "Everyone, not only those at or above the cut-off", v.filter.everyone,
               "all"));
}

Html RenderList(const service::EarlyWarningView& v) {
  Html rows;
  for (const service::PupilForecast& f : v.pupils) {
    rows += Html::Format(
        R"(<tr class="govuk-table__row"><td class="govuk-table__cell"><a class="govuk-link" )"
        R"(href="/pupils/{}">{}</a></td><td class="govuk-table__cell">{}</td>)"
        R"(<td class="govuk-table__cell govuk-table__cell--numeric"><strong>{}</strong></td>)"
        R"(<td class="govuk-table__cell govuk-table__cell--numeric">{}{}</td>)"
        R"(<td class="govuk-table__cell">{}</td></tr>)",
        f.pupil_id, f.name,
        f.class_name.empty() ? service::YearGroupName(f.year_group) : f.class_name,
        ChanceText(f.chance),
        f.year_absence_pct ? fmt::format("{:.1f}%", *f.year_absence_pct) : std::string("–"),
        f.persistent_absence_now ? Html::Trusted(" (already 10%+)") : Html(),
        ReasonList(f.reasons));
  }
  const std::string cut_off = ChanceText(core::kForecastListCutOff);
  std::string count = v.forecast == 0
                          ? std::string("No pupil in this year or class has a forecast yet.")
                          : fmt::format("{} of {} pupils have a chance of {} or more.", v.on_list,
                                        v.forecast, cut_off);
  if (v.too_early > 0) {
    count += fmt::format(
        " {} {} fewer than {} possible sessions this year: too early for a forecast.", v.too_early,
        v.too_early == 1 ? "pupil has" : "pupils have", core::kForecastMinPossible);
  }
  Html table;
  if (!v.pupils.empty()) {
    table = Html::Format(
        R"(<div class="scroll"><table class="govuk-table"><thead class="govuk-table__head">)"
        R"(<tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Pupil</th>)"
        R"(<th scope="col" class="govuk-table__header">Class</th>)"
        R"(<th scope="col" class="govuk-table__header govuk-table__header--numeric">Chance</th>)"
        R"(<th scope="col" class="govuk-table__header govuk-table__header--numeric">Absence )"
        R"(this year</th><th scope="col" class="govuk-table__header">Why</th></tr></thead>)"
        R"(<tbody class="govuk-table__body">{}</tbody></table></div>)",
        rows);
  }
  return Html::Format(
      R"(<p class="govuk-body">Each pupil's chance of being persistently absent (missing 10% )"
      R"(or more of sessions) by the end of this school year, from their marks to {}, with )"
      R"(the figures that raise it most. The list shows those at {} or more, highest first. )"
      R"(It is a model's estimate from patterns in past registers, to help decide whom to talk )"
      R"(to first: it is not a judgement about a child or a family.</p>{}<p class="govuk-body">)"
      R"({}</p>{})",
      LongDate(v.as_of), cut_off, FilterForm(v), count, table);
}

}  // namespace

Response App::PageEarlyWarning(Call& call) {
  const auto& query = call.target.query;
  service::EarlyWarningFilter filter;
  const std::optional<std::optional<int>> year = YearFilter(Get(query, "year"));
  if (!year) {
    return Refused(call.who, call.csrf, SchoolName(),
                   core::InvalidArgument(core::kErrValueInvalid,
                                         fmt::format("year '{}' is not a year group from 0 "
                                                     "(Reception) to 13",
                                                     Get(query, "year"))));
  }
  filter.year_group = *year;
  if (const std::string text = Get(query, "class"); !text.empty()) {
    filter.class_id = ParseId(text);
    if (!filter.class_id) {
      return Refused(call.who, call.csrf, SchoolName(),
                     core::InvalidArgument(core::kErrClassUnknown,
                                           fmt::format("class '{}' is not a class", text)));
    }
  }
  filter.everyone = Get(query, "all") == "yes";
  StatusOr<service::EarlyWarningView> v =
      services_.early_warning().List(*call.who, clock_.Today(), filter);
  if (!v.ok()) return Refused(call.who, call.csrf, SchoolName(), v.status());
  return Layout(call.who, call.csrf, v->school, "Early warning", RenderList(*v));
}

Html App::EarlyWarningSection(const Call& call, const store::Pupil& p) {
  // Nothing for those who may not read the early warning, or before the
  // pupil has a possible session this year.
  StatusOr<std::optional<service::PupilForecast>> found =
      services_.early_warning().ForPupil(*call.who, p.id, clock_.Today());
  if (!found.ok() || !*found) return Html();
  const service::PupilForecast& f = **found;
  return Html::Format(
      R"(<h2 id="early-warning">Early warning</h2><p class="govuk-body">Chance of being )"
      R"(persistently absent by the end of the year: <strong>{}</strong>{}.</p>{})"
      R"(<p class="muted">A model's estimate from this year's marks and last year's figure )"
      R"((<a class="govuk-link" href="/early-warning">the list</a>).</p>)",
      ChanceText(f.chance), f.on_list ? " — on the early-warning list" : "", ReasonList(f.reasons));
}

}  // namespace rollcall::web
