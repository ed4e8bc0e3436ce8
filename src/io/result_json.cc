#include "io/result_json.h"

namespace rollcall::io {
namespace {

using nlohmann::ordered_json;

ordered_json Pct(int64_t part, int64_t whole) {
  std::optional<double> pct = core::Percent(part, whole);
  return pct ? ordered_json(*pct) : ordered_json(nullptr);
}

// The result format's fields of one pupil, its alerts already in JSON.
ordered_json PupilJson(const std::string& id, const core::SessionCounts& c, bool persistent_absence,
                       bool severe_absence, const std::optional<std::string>& band,
                       ordered_json alerts) {
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
          {"persistent_absence", persistent_absence},
          {"severe_absence", severe_absence},
          {"band", band ? ordered_json(*band) : ordered_json(nullptr)},
          {"alerts", std::move(alerts)}};
}

}  // namespace

DatedAlert DateAlert(const core::Calendar& calendar, const core::Alert& alert) {
  DatedAlert out{alert.TypeName(), alert.kind, alert.run_length, calendar.SessionAt(alert.at), {},
                 alert.action};
  out.evidence.reserve(alert.evidence.size());
  for (const core::PupilSession& s : alert.evidence) {
    out.evidence.push_back({calendar.SessionAt(s.index), s.code});
  }
  return out;
}

PupilResult DatePupilResult(const core::Calendar& calendar, const core::PupilEvaluation& pupil) {
  PupilResult out{pupil.counts, pupil.persistent_absence, pupil.severe_absence, pupil.band, {}};
  out.alerts.reserve(pupil.alerts.size());
  for (const core::Alert& alert : pupil.alerts) out.alerts.push_back(DateAlert(calendar, alert));
  return out;
}

ordered_json AlertToJson(const DatedAlert& alert) {
  ordered_json evidence = ordered_json::array();
  for (const DatedSession& s : alert.evidence) {
    evidence.push_back(ordered_json::array(
        {s.slot.date.ToString(), core::SessionName(s.slot.session),
         s.code ? ordered_json(core::SymbolOf(*s.code)) : ordered_json(nullptr)}));
  }
  ordered_json out{{"type", alert.type},
                   {"date", alert.at.date.ToString()},
                   {"session", core::SessionName(alert.at.session)},
                   {"evidence", std::move(evidence)}};
  if (alert.action) out["action"] = core::PenaltyActionName(*alert.action);
  return out;
}

ordered_json AlertToJson(const core::Calendar& calendar, const core::Alert& alert) {
  return AlertToJson(DateAlert(calendar, alert));
}

ordered_json PupilResultToJson(const core::Calendar& calendar, const std::string& id,
                               const core::PupilEvaluation& pupil) {
  ordered_json alerts = ordered_json::array();
  for (const core::Alert& alert : pupil.alerts) alerts.push_back(AlertToJson(calendar, alert));
  return PupilJson(id, pupil.counts, pupil.persistent_absence, pupil.severe_absence, pupil.band,
                   std::move(alerts));
}

ordered_json PupilResultToJson(const std::string& id, const PupilResult& pupil) {
  ordered_json alerts = ordered_json::array();
  for (const DatedAlert& alert : pupil.alerts) alerts.push_back(AlertToJson(alert));
  return PupilJson(id, pupil.counts, pupil.persistent_absence, pupil.severe_absence, pupil.band,
                   std::move(alerts));
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
