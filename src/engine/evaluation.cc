#include "engine/evaluation.h"

#include <algorithm>

namespace rollcall::engine {

core::Evaluation ToEvaluation(const Dataset& dataset, size_t school_index, const Statistics& stats,
                              const AlertScan& alerts, core::Date as_of,
                              const std::vector<CodeCounts>* breakdown) {
  const School& school = dataset.schools[school_index];
  const SchoolStats& s = stats.schools[school_index];
  const SchoolAlerts& a = alerts.schools[school_index];
  core::Evaluation out;
  out.as_of = as_of;
  out.period = stats.period;
  out.pupils.resize(school.PupilCount());
  for (size_t p = 0; p < school.PupilCount(); ++p) {
    core::PupilEvaluation& e = out.pupils[p];
    e.counts = ToSessionCounts(s.pupils[p]);
    e.persistent_absence = s.pupils[p].persistent_absence;
    e.severe_absence = s.pupils[p].severe_absence;
    if (s.pupils[p].band >= 0) e.band = school.policy->bands[size_t(s.pupils[p].band)].name;
  }
  for (const AlertRecord& r : a.alerts) {
    out.pupils[r.pupil].alerts.push_back(ToCoreAlert(school, a, r));
  }
  out.school = s.school.ToAggregate();
  if (breakdown != nullptr) {
    const CodeCounts& codes = (*breakdown)[school_index];
    std::copy(codes.begin() + 1, codes.end(), out.school.counts.by_code.begin() + 1);
  }
  for (size_t c = 0; c < school.cohort_names.size(); ++c) {
    out.cohorts[school.cohort_names[c]] = s.cohorts[c].ToAggregate();
  }
  return out;
}

core::Scenario ToScenario(const School& school, core::Date as_of) {
  core::Scenario out;
  out.as_of = as_of;
  out.calendar = school.calendar->calendar;
  out.policy = *school.policy;
  const core::Calendar& calendar = out.calendar;
  out.pupils.resize(school.PupilCount());
  out.marks.resize(school.PupilCount());
  for (size_t p = 0; p < school.PupilCount(); ++p) {
    core::PupilRecord& pupil = out.pupils[p];
    pupil.id = std::string(school.PupilId(p));
    for (size_t c = 0; c < school.cohort_names.size(); ++c) {
      if ((school.pupils[p].cohorts >> c) & 1) pupil.cohorts.push_back(school.cohort_names[c]);
    }
    const PupilMeta& meta = school.pupils[p];
    pupil.penalty_history.assign(
        school.penalty_history.begin() + meta.history_begin,
        school.penalty_history.begin() + meta.history_begin + meta.history_count);
    bool on_roll = false;
    bool ever_off = false;
    for (const YearBlock& year : school.years) {
      const uint8_t* row = year.Row(p);
      for (int32_t j = 0; j < year.sessions; ++j) {
        const core::SessionKey key = calendar.SessionAt(year.first_session + j);
        if (row[j] == kOffRoll) {
          ever_off = true;
          on_roll = false;
          continue;
        }
        if (!on_roll) pupil.on_roll.push_back({key.date, key.date});
        on_roll = true;
        pupil.on_roll.back().to = key.date;
        if (row[j] != kUnrecorded) {
          out.marks[p].push_back({key, static_cast<core::AttendanceCode>(row[j])});
        }
      }
    }
    if (!ever_off) pupil.on_roll.clear();  // on roll throughout
    if (ever_off && pupil.on_roll.empty()) {
      pupil.on_roll.push_back({core::Date::FromDays(0), core::Date::FromDays(0)});  // never
    }
  }
  return out;
}

core::StatusOr<core::Evaluation> EvaluateScenario(const core::Scenario& scenario, int threads) {
  Dataset dataset;
  ASSIGN_OR_RETURN(School school, SchoolFromScenario(scenario, "school"));
  dataset.schools.push_back(std::move(school));
  const Statistics stats = ComputeStatistics(dataset, scenario.as_of, threads);
  const AlertScan alerts = ScanAlerts(dataset, scenario.as_of, threads);
  const std::vector<CodeCounts> breakdown = CodeBreakdown(dataset, scenario.as_of, threads);
  return ToEvaluation(dataset, 0, stats, alerts, scenario.as_of, &breakdown);
}

}  // namespace rollcall::engine
