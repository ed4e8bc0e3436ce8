#include "io/result_json.h"

namespace rollcall::io {
namespace {

using nlohmann::ordered_json;

ordered_json Pct(int64_t part, int64_t whole) {
  std::optional<double> pct = core::Percent(part, whole);
  return pct ? ordered_json(*pct) : ordered_json(nullptr);
}

}  // namespace

ordered_json AlertToJson(const core::Calendar& calendar, const core::Alert& alert) {
  const core::SessionKey at = calendar.SessionAt(alert.at);
  ordered_json evidence = ordered_json::array();
  for (const core::PupilSession& s : alert.evidence) {
    const core::SessionKey key = calendar.SessionAt(s.index);
    evidence.push_back(ordered_json::array(
        {key.date.ToString(), core::SessionName(key.session),
         s.code ? ordered_json(core::SymbolOf(*s.code)) : ordered_json(nullptr)}));
  }
  ordered_json out{{"type", alert.TypeName()},
                   {"date", at.date.ToString()},
                   {"session", core::SessionName(at.session)},
                   {"evidence", std::move(evidence)}};
  if (alert.action) out["action"] = core::PenaltyActionName(*alert.action);
  return out;
}

ordered_json PupilResultToJson(const core::Calendar& calendar, const std::string& id,
                               const core::PupilEvaluation& pupil) {
  const core::SessionCounts& c = pupil.counts;
  ordered_json alerts = ordered_json::array();
  for (const core::Alert& alert : pupil.alerts) alerts.push_back(AlertToJson(calendar, alert));
  return {{"id", id},
          {"possible", c.possible},
          {"present", c.present},
          {"late_before_close", c.late_before_close},
          {"late_after_close", c.late_after_close},
          {"approved_activity", c.approved_activity},
          {"attended", c.attended},
          {"authorised", c.authorised},
          {"unauthorised", c.unauthorised},
          {"absence", c.absence},
          {"not_possible", c.not_possible},
          {"unrecorded", c.unrecorded},
          {"attendance_pct", Pct(c.attended, c.possible)},
          {"absence_pct", Pct(c.absence, c.possible)},
          {"authorised_pct", Pct(c.authorised, c.possible)},
          {"unauthorised_pct", Pct(c.unauthorised, c.possible)},
          {"persistent_absence", pupil.persistent_absence},
          {"severe_absence", pupil.severe_absence},
          {"band", pupil.band ? ordered_json(*pupil.band) : ordered_json(nullptr)},
          {"alerts", std::move(alerts)}};
}

ordered_json AggregateToJson(const core::Aggregate& a) {
  const core::SessionCounts& c = a.counts;
  return {{"pupils", a.pupils},
          {"possible", c.possible},
          {"attended", c.attended},
          {"authorised", c.authorised},
          {"unauthorised", c.unauthorised},
          {"absence", c.absence},
          {"attendance_pct", Pct(c.attended, c.possible)},
          {"absence_pct", Pct(c.absence, c.possible)},
          {"authorised_pct", Pct(c.authorised, c.possible)},
          {"unauthorised_pct", Pct(c.unauthorised, c.possible)},
          {"persistent_absence", a.persistent_absence},
          {"severe_absence", a.severe_absence},
          {"persistent_absence_pct", Pct(a.persistent_absence, a.pupils)},
          {"severe_absence_pct", Pct(a.severe_absence, a.pupils)}};
}

ordered_json EvaluationToJson(const core::Scenario& scenario, const core::Evaluation& evaluation) {
  ordered_json pupils = ordered_json::array();
  for (size_t i = 0; i < evaluation.pupils.size(); ++i) {
    pupils.push_back(
        PupilResultToJson(scenario.calendar, scenario.pupils[i].id, evaluation.pupils[i]));
  }
  ordered_json cohorts = ordered_json::object();
  for (const auto& [tag, aggregate] : evaluation.cohorts) cohorts[tag] = AggregateToJson(aggregate);
  return {{"as_of", evaluation.as_of.ToString()},
          {"period",
           {{"from", evaluation.period.from.ToString()}, {"to", evaluation.period.to.ToString()}}},
          {"pupils", std::move(pupils)},
          {"school", AggregateToJson(evaluation.school)},
          {"cohorts", std::move(cohorts)}};
}

}  // namespace rollcall::io
