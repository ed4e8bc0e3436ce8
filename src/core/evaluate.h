// evaluate.h
//
// Evaluates a whole scenario as of its day: each pupil's counts, percentages,
// PA/SA flags, band and alerts, and the school and cohort aggregates. This is
// the one rules core behind `rollcall evaluate`, the API, the pages and the
// exports. Pure and deterministic.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/alerts.h"
#include "core/scenario.h"
#include "core/statistics.h"

namespace rollcall::core {

struct PupilEvaluation {
  SessionCounts counts;
  bool persistent_absence = false;
  bool severe_absence = false;
  std::optional<std::string> band;
  std::vector<Alert> alerts;
};

// School or cohort totals over pupils with at least one possible session.
struct Aggregate {
  int64_t pupils = 0;
  int64_t persistent_absence = 0;  // pupils flagged
  int64_t severe_absence = 0;
  SessionCounts counts;  // the pupils' counts summed

  void Add(const PupilEvaluation& pupil);
};

struct Evaluation {
  Date as_of;
  Period period;
  std::vector<PupilEvaluation> pupils;  // in scenario order
  Aggregate school;
  std::map<std::string, Aggregate> cohorts;  // every tag on any pupil, sorted
};

// Evaluates pupils[pupil_idx] of the scenario as of scenario.as_of and its
// as_of_part, or as of `as_of` and `part` (the service evaluates one pupil on
// any day without copying the scenario).
PupilEvaluation EvaluatePupil(const Scenario& scenario, size_t pupil_idx);
PupilEvaluation EvaluatePupil(const Scenario& scenario, size_t pupil_idx, Date as_of,
                              DayPart part = DayPart::kWholeDay);
Evaluation Evaluate(const Scenario& scenario);

// Evaluate(scenario) when `previous` is Evaluate of a scenario that differs
// from it only in the marks of the pupils at `changed` (same pupils, cohort
// tags, calendar, policy, as_of and part): those pupils are evaluated again,
// the others' results kept, and the aggregates summed afresh. The result is
// the same as Evaluate's; it costs the changed pupils, not the school.
Evaluation EvaluateAgain(const Scenario& scenario, const Evaluation& previous,
                         const std::vector<size_t>& changed);

}  // namespace rollcall::core
