#include "service/early_warning.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "core/error_codes.h"
#include "core/statistics.h"
#include "service/records.h"

namespace rollcall::service {

namespace {

// The previous academic year's figures each pupil's transfer files gave,
// summed over the schools of that year, by pupil id.
// Last academic year's sessions at previous schools in `rows`, summed per
// pupil (a pupil may have come from more than one school).
std::map<int64_t, core::PriorYear> SumLastYear(const std::vector<store::PreviousAttendance>& rows,
                                               core::Date today) {
  const int last_year = today.AcademicYearStart().year() - 1;
  std::map<int64_t, core::PriorYear> out;
  for (const store::PreviousAttendance& row : rows) {
    if (row.academic_year != last_year) continue;
    core::PriorYear& prior = out[row.pupil_id];
    prior.possible += row.possible;
    prior.absence += row.authorised + row.unauthorised;
  }
  return out;
}

core::StatusOr<std::map<int64_t, core::PriorYear>> RecordedLastYear(store::Store& store,
                                                                    core::Date today) {
  ASSIGN_OR_RETURN(std::vector<store::PreviousAttendance> rows,
                   store.PreviousAttendanceInYear(today.AcademicYearStart().year() - 1));
  return SumLastYear(rows, today);
}

std::optional<core::PriorYear> Find(const std::map<int64_t, core::PriorYear>& recorded,
                                    int64_t pupil_id) {
  auto it = recorded.find(pupil_id);
  if (it == recorded.end()) return std::nullopt;
  return it->second;
}

// Who the forecast is about, copied from the snapshot under its lock.
struct Who {
  size_t index = 0;  // in the evaluated scenario
  PupilForecast forecast;
};

// The forecast of the pupil at scenario `index`; nullopt with fewer than
// core::kForecastMinPossible possible sessions this year.
std::optional<PupilForecast> ForecastOf(const core::Scenario& scenario, size_t index,
                                        PupilForecast base,
                                        std::optional<core::PriorYear> recorded) {
  const core::ForecastInputs inputs =
      core::ForecastInputsFor(scenario, index, scenario.as_of, scenario.as_of_part, recorded);
  if (inputs.year.possible < core::kForecastMinPossible) return std::nullopt;
  const core::Forecast forecast = core::ForecastFrom(core::ShippedForecastModel(), inputs);
  base.chance = forecast.chance;
  base.on_list = forecast.chance >= core::kForecastListCutOff;
  base.year_absence_pct = core::Percent(inputs.year.absence, inputs.year.possible);
  base.persistent_absence_now = core::IsPersistentAbsence(inputs.year, scenario.policy);
  base.reasons = forecast.reasons;
  return base;
}

PupilForecast Describe(const Snapshot& snap, const store::Pupil& p) {
  PupilForecast f;
  f.pupil_id = p.id;
  f.name = DisplayName(p);
  f.year_group = p.year_group;
  f.class_name = ClassNameOf(snap, p.class_id);
  return f;
}

}  // namespace

core::StatusOr<EarlyWarningView> EarlyWarning::List(const Principal& who, core::Date today,
                                                    const EarlyWarningFilter& filter) {
  RETURN_IF_ERROR(school_.AllowNow(who, Action::kReadEarlyWarning, {}));
  const Evaluated state = school_.EvaluatedOn(today);
  const core::Scenario& scenario = *state.scenario;
  ASSIGN_OR_RETURN(const auto recorded, RecordedLastYear(school_.store(), today));

  EarlyWarningView v;
  v.as_of = scenario.as_of;
  v.filter = filter;
  v.model_examples = core::ShippedForecastModel().examples;
  std::vector<Who> selected;
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    v.school = snap.school.name;
    if (filter.class_id && !snap.classes.contains(*filter.class_id)) {
      return core::InvalidArgument(core::kErrClassUnknown,
                                   fmt::format("no class {}", *filter.class_id));
    }
    for (const auto& [id, c] : snap.classes) {
      v.classes.push_back({.id = id, .name = c.name, .year_group = c.year_group});
    }
    std::set<int> years;
    // The snapshot may hold a pupil added since the evaluation: only those
    // evaluated, at the same place, have a forecast.
    for (size_t i = 0; i < snap.pupils.size() && i < scenario.pupils.size(); ++i) {
      const store::Pupil& p = snap.pupils[i];
      if (scenario.pupils[i].id != std::to_string(p.id)) continue;
      if (!scenario.pupils[i].OnRollOn(scenario.as_of)) continue;
      years.insert(p.year_group);
      if (filter.year_group && p.year_group != *filter.year_group) continue;
      if (filter.class_id && p.class_id != filter.class_id) continue;
      selected.push_back({i, Describe(snap, p)});
    }
    v.year_groups.assign(years.begin(), years.end());
  }
  std::stable_sort(v.classes.begin(), v.classes.end(),
                   [](const EarlyWarningClass& a, const EarlyWarningClass& b) {
                     return std::pair(a.year_group, a.name) < std::pair(b.year_group, b.name);
                   });
  for (Who& w : selected) {
    const std::optional<core::PriorYear> prior = Find(recorded, w.forecast.pupil_id);
    std::optional<PupilForecast> f = ForecastOf(scenario, w.index, std::move(w.forecast), prior);
    if (!f) {
      ++v.too_early;
      continue;
    }
    ++v.forecast;
    if (f->on_list) ++v.on_list;
    if (f->on_list || filter.everyone) v.pupils.push_back(std::move(*f));
  }
  std::stable_sort(
      v.pupils.begin(), v.pupils.end(),
      [](const PupilForecast& a, const PupilForecast& b) { return a.chance > b.chance; });
  return v;
}

core::StatusOr<std::optional<PupilForecast>> EarlyWarning::ForPupil(const Principal& who,
                                                                    int64_t pupil_id,
                                                                    core::Date today) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.PupilFor(who, pupil_id, Action::kReadPupil).status());
    if (!school_.Allow(who, Action::kReadEarlyWarning, {}).ok()) {
      return std::optional<PupilForecast>();
    }
  }
  const Evaluated state = school_.EvaluatedOn(today);
  const core::Scenario& scenario = *state.scenario;
  ASSIGN_OR_RETURN(std::vector<store::PreviousAttendance> rows,
                   school_.store().PreviousAttendanceFor(pupil_id));
  const std::optional<core::PriorYear> recorded = Find(SumLastYear(rows, today), pupil_id);
  Who w;
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    auto it = snap.pupil_index.find(pupil_id);
    // Added since the evaluation, or off roll today: no forecast.
    if (it == snap.pupil_index.end() || it->second >= scenario.pupils.size() ||
        scenario.pupils[it->second].id != std::to_string(pupil_id) ||
        !scenario.pupils[it->second].OnRollOn(scenario.as_of)) {
      return std::optional<PupilForecast>();
    }
    w = {it->second, Describe(snap, snap.pupils[it->second])};
  }
  return ForecastOf(scenario, w.index, std::move(w.forecast), recorded);
}

}  // namespace rollcall::service
