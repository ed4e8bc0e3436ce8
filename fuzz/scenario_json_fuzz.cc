// Scenario JSON (`rollcall evaluate`, the conformance format) and the
// calendar document `rollcall import` reads. A scenario that parses is
// written back and must parse again to the same text: FORMAT.md's promise
// that writing gives a scenario that parses back equal.
#include <cstdint>

#include "fuzz/fuzz_util.h"
#include "io/json_reader.h"
#include "io/scenario_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rollcall;
  const std::string_view text = fuzz::Bytes(data, size);
  if (!io::CheckJsonNumberLengths(text).ok()) return 0;
  (void)io::ParseCalendarText(text);
  core::StatusOr<core::Scenario> scenario = io::ParseScenario(text);
  if (!scenario.ok()) return 0;
  const std::string written = io::ScenarioToJson(*scenario, {}).dump();
  core::StatusOr<core::Scenario> again = io::ParseScenario(written);
  fuzz::Check(again.ok(), "a written scenario does not parse",
              again.ok() ? written : again.status().message() + "\n" + written);
  const std::string rewritten = io::ScenarioToJson(*again, {}).dump();
  fuzz::Check(rewritten == written, "a scenario does not read back as written",
              written + "\n" + rewritten);
  return 0;
}
