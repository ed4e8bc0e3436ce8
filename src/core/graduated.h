// graduated.h
//
// The graduated approach of Working together to improve school attendance
// (docs/rules.md section 7): each pupil stands at a stage, from expect to
// enforce. rollcall suggests a stage from the pupil's figures and alerts,
// always with its reasons; staff confirm it. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/evaluate.h"
#include "core/policy.h"

namespace rollcall::core {

// Stored in the database: never renumber or reuse a value.
enum class SupportStage : uint8_t {
  kExpect = 1,      // high attendance expected of every pupil
  kMonitor = 2,     // attendance slipping: watch the data, first-day response
  kListen = 3,      // listen and understand: meet the family, find the barriers
  kFacilitate = 4,  // facilitate support in and out of school
  kFormalise = 5,   // formalise support: attendance contract, supervision order
  kEnforce = 6,     // penalty notice or prosecution, as a last resort
};

std::string_view StageKey(SupportStage stage);  // "expect", "monitor", "listen", ...
std::string_view StageTitle(
    SupportStage stage);  // "Expect", "Monitor", "Listen and understand", ...
std::optional<SupportStage> StageFromKey(std::string_view key);
inline constexpr SupportStage kStages[] = {SupportStage::kExpect,    SupportStage::kMonitor,
                                           SupportStage::kListen,    SupportStage::kFacilitate,
                                           SupportStage::kFormalise, SupportStage::kEnforce};

struct StageSuggestion {
  SupportStage stage = SupportStage::kExpect;
  std::vector<std::string> reasons;  // each trigger, in words; empty for expect
};

// The stage the figures point to: a band below the first (amber) or a
// lateness alert: monitor; persistent absence: listen and understand; severe
// absence, 10 school days' continuous absence or the penalty-notice
// threshold: facilitate support. Formalising and enforcing are never
// suggested: they follow support that has been tried, and staff decide.
StageSuggestion SuggestStage(const PupilEvaluation& pupil, const Policy& policy,
                             const Calendar& calendar);

}  // namespace rollcall::core
