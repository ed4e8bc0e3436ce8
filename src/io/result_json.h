// result_json.h
//
// The evaluation result in the conformance result format (FORMAT.md
// "Result"): per pupil counts, percentages, flags, band and alerts with
// evidence; school and cohort aggregates. The API's summaries use the same
// functions, so `rollcall evaluate` and the service cannot disagree.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/evaluate.h"
#include "core/scenario.h"

namespace rollcall::io {

// An alert with its sessions as dates rather than calendar indices: what the
// result format says, held without the calendar (the pupil's page and the
// API read it from one view of the pupil).
struct DatedSession {
  core::SessionKey slot;
  std::optional<core::AttendanceCode> code;  // nullopt: no mark recorded
};
struct DatedAlert {
  std::string type;  // core::Alert::TypeName()
  core::AlertKind kind = core::AlertKind::kPenaltyThreshold;
  int64_t run_length = 0;  // continuous absence only
  core::SessionKey at;
  std::vector<DatedSession> evidence;
  std::optional<core::PenaltyAction> action;  // penalty_threshold only
};
DatedAlert DateAlert(const core::Calendar& calendar, const core::Alert& alert);

// A pupil's evaluation with its alerts dated.
struct PupilResult {
  core::SessionCounts counts;
  bool persistent_absence = false;
  bool severe_absence = false;
  std::optional<std::string> band;
  std::vector<DatedAlert> alerts;
};
PupilResult DatePupilResult(const core::Calendar& calendar, const core::PupilEvaluation& pupil);

nlohmann::ordered_json PupilResultToJson(const core::Calendar& calendar, const std::string& id,
                                         const core::PupilEvaluation& pupil);
nlohmann::ordered_json PupilResultToJson(const std::string& id, const PupilResult& pupil);
nlohmann::ordered_json AggregateToJson(const core::Aggregate& aggregate);
nlohmann::ordered_json AlertToJson(const core::Calendar& calendar, const core::Alert& alert);
nlohmann::ordered_json AlertToJson(const DatedAlert& alert);
nlohmann::ordered_json EvaluationToJson(const core::Scenario& scenario,
                                        const core::Evaluation& evaluation);

}  // namespace rollcall::io
