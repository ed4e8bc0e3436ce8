// result_json.h
//
// The evaluation result in the conformance result format (FORMAT.md
// "Result"): per pupil counts, percentages, flags, band and alerts with
// evidence; school and cohort aggregates. The API's summaries use the same
// functions, so `rollcall evaluate` and the service cannot disagree.
#pragma once

#include <nlohmann/json.hpp>

#include "core/evaluate.h"
#include "core/scenario.h"

namespace rollcall::io {

nlohmann::ordered_json PupilResultToJson(const core::Calendar& calendar, const std::string& id,
                                         const core::PupilEvaluation& pupil);
nlohmann::ordered_json AggregateToJson(const core::Aggregate& aggregate);
nlohmann::ordered_json AlertToJson(const core::Calendar& calendar, const core::Alert& alert);
nlohmann::ordered_json EvaluationToJson(const core::Scenario& scenario,
                                        const core::Evaluation& evaluation);

}  // namespace rollcall::io
