// `rollcall evaluate FILE|-`: the conformance contract. Prints the result JSON
// and exits 0, or prints one line naming the JSON path and the problem on
// stderr and exits 2. Nothing is printed on stdout unless the whole
// evaluation succeeded.
#include <iostream>

#include "cli/commands.h"
#include "core/evaluate.h"
#include "engine/evaluation.h"
#include "io/result_json.h"
#include "io/scenario_json.h"

namespace rollcall::cli {

int RunEvaluate(const std::string& path, bool pretty, const std::string& engine) {
  if (engine != "core" && engine != "columnar") {
    std::cerr << "rollcall evaluate: --engine must be core or columnar, not " << engine << "\n";
    return kExitInvalidInput;
  }
  std::optional<core::Scenario> scenario = LoadScenarioOrReport(path, "evaluate");
  if (!scenario) return kExitInvalidInput;
  core::Evaluation evaluation;
  if (engine == "core") {
    evaluation = core::Evaluate(*scenario);
  } else {
    core::StatusOr<core::Evaluation> columnar = engine::EvaluateScenario(*scenario);
    if (!columnar.ok()) {
      std::cerr << "rollcall evaluate: " << columnar.status().message() << "\n";
      return kExitInvalidInput;
    }
    evaluation = std::move(columnar).value();
  }
  std::string out = io::EvaluationToJson(*scenario, evaluation).dump(pretty ? 1 : -1);
  out += '\n';
  if (core::Status written = WriteOutput("", out); !written.ok()) {
    std::cerr << "rollcall evaluate: " << written.message() << "\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace rollcall::cli
