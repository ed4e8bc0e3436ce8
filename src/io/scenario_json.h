// scenario_json.h
//
// The conformance scenario format (tests/conformance/FORMAT.md) to and from
// core::Scenario. Parsing validates everything FORMAT.md lists as invalid and
// names the first problem with its JSON path, e.g.
// `marks[P001][2024-09-14].AM: not an open school session`; it never returns a
// half-built scenario. Writing produces a scenario that parses back equal.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/scenario.h"
#include "core/status.h"

namespace rollcall::io {

// InvalidArgument whose message is `PATH: problem`.
core::StatusOr<core::Scenario> ParseScenario(std::string_view json_text);

// A calendar document on its own, in the scenario's "calendar" shape:
// {"terms": [{"start", "end"}...], "closures": [...]} (`rollcall import`).
core::StatusOr<core::Calendar> ParseCalendarText(std::string_view json_text);

struct ScenarioWriteOptions {
  std::string name;  // written as "name" when not empty
  // Omit marks equal to the default mark for their session (smaller files).
  bool omit_default_marks = true;
};
nlohmann::ordered_json ScenarioToJson(const core::Scenario& scenario,
                                      const ScenarioWriteOptions& options);

}  // namespace rollcall::io
