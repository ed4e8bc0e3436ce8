// evaluation.h
//
// One school's engine results in the core's form (core::Evaluation), so the
// conformance result writer, `rollcall evaluate --engine columnar` and the
// differential tests read the engine through the same structures as the core.
#pragma once

#include "core/evaluate.h"
#include "engine/alert_scan.h"
#include "engine/cohort_stats.h"
#include "engine/column_store.h"

namespace rollcall::engine {

// School `school` of the passes' results. by_code is filled in for the
// school's total only, from `breakdown` (CodeBreakdown) when given.
core::Evaluation ToEvaluation(const Dataset& dataset, size_t school, const Statistics& stats,
                              const AlertScan& alerts, core::Date as_of,
                              const std::vector<CodeCounts>* breakdown = nullptr);

// A school back in the core's form as of `as_of`: its calendar and policy,
// pupils with cohorts, penalty history and enrolment periods (each run of
// on-roll sessions, whole days), and a recorded mark for every coded byte.
core::Scenario ToScenario(const School& school, core::Date as_of);

// Both passes over a one-school scenario, as core::Evaluate does.
core::StatusOr<core::Evaluation> EvaluateScenario(const core::Scenario& scenario, int threads = 1);

}  // namespace rollcall::engine
