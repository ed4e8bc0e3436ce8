#include "core/evaluate.h"

#include <set>

#include "core/pupil_sessions.h"

namespace rollcall::core {

void Aggregate::Add(const PupilEvaluation& pupil) {
  const SessionCounts& c = pupil.counts;
  // DfE excludes enrolments with no possible sessions from every aggregate.
  if (c.possible == 0) return;
  ++pupils;
  persistent_absence += pupil.persistent_absence ? 1 : 0;
  severe_absence += pupil.severe_absence ? 1 : 0;
  counts += c;
}

PupilEvaluation EvaluatePupil(const Scenario& scenario, size_t pupil_idx) {
  return EvaluatePupil(scenario, pupil_idx, scenario.as_of, scenario.as_of_part);
}

PupilEvaluation EvaluatePupil(const Scenario& scenario, size_t pupil_idx, Date as_of,
                              DayPart part) {
  const PupilRecord& pupil = scenario.pupils[pupil_idx];
  const std::vector<PupilSession> sessions = BuildPupilSessions(
      scenario.calendar, pupil, scenario.marks[pupil_idx], scenario.default_mark, as_of, part);
  PupilEvaluation result;
  result.counts = CountSessions(scenario.calendar, sessions, StatisticsPeriod(as_of));
  result.persistent_absence = IsPersistentAbsence(result.counts, scenario.policy);
  result.severe_absence = IsSevereAbsence(result.counts, scenario.policy);
  result.band = BandOf(result.counts, scenario.policy);
  result.alerts = ComputeAlerts(scenario.calendar, scenario.policy, pupil, sessions, as_of);
  return result;
}

namespace {

// The school and cohort aggregates of evaluation.pupils, summed afresh.
void Aggregates(const Scenario& scenario, Evaluation& evaluation) {
  evaluation.school = Aggregate{};
  evaluation.cohorts.clear();
  for (size_t pupil_idx = 0; pupil_idx < evaluation.pupils.size(); ++pupil_idx) {
    const PupilEvaluation& result = evaluation.pupils[pupil_idx];
    evaluation.school.Add(result);
    // A tag listed twice on one pupil still counts the pupil once.
    const std::set<std::string> tags(scenario.pupils[pupil_idx].cohorts.begin(),
                                     scenario.pupils[pupil_idx].cohorts.end());
    for (const std::string& tag : tags) evaluation.cohorts[tag].Add(result);
  }
}

}  // namespace

Evaluation Evaluate(const Scenario& scenario) {
  Evaluation evaluation;
  evaluation.as_of = scenario.as_of;
  evaluation.period = StatisticsPeriod(scenario.as_of);
  evaluation.pupils.reserve(scenario.pupils.size());
  for (size_t pupil_idx = 0; pupil_idx < scenario.pupils.size(); ++pupil_idx) {
    evaluation.pupils.push_back(EvaluatePupil(scenario, pupil_idx));
  }
  Aggregates(scenario, evaluation);
  return evaluation;
}

Evaluation EvaluateAgain(const Scenario& scenario, const Evaluation& previous,
                         const std::vector<size_t>& changed) {
  // Anything but the marks of some pupils changed: nothing to keep.
  if (previous.pupils.size() != scenario.pupils.size() || previous.as_of != scenario.as_of) {
    return Evaluate(scenario);
  }
  Evaluation evaluation;
  evaluation.as_of = scenario.as_of;
  evaluation.period = StatisticsPeriod(scenario.as_of);
  evaluation.pupils = previous.pupils;
  for (size_t pupil_idx : changed) {
    if (pupil_idx < evaluation.pupils.size()) {
      evaluation.pupils[pupil_idx] = EvaluatePupil(scenario, pupil_idx);
    }
  }
  Aggregates(scenario, evaluation);
  return evaluation;
}

}  // namespace rollcall::core
