// `rollcall evaluate FILE|-`: the conformance contract. Prints the result JSON
// and exits 0, or prints one line naming the JSON path and the problem on
// stderr and exits 2. Nothing is printed on stdout unless the whole
// evaluation succeeded.
//
// An input that would need more memory than --max-memory-mb is refused before
// the memory is taken (exit 2, one line with the figures): a small file can ask
// for a lot, since every unrecorded session of every pupil is listed in the
// result as evidence.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <iostream>

#include "cli/commands.h"
#include "core/evaluate.h"
#include "engine/evaluation.h"
#include "io/json_reader.h"
#include "io/result_json.h"
#include "io/scenario_json.h"

namespace rollcall::cli {
namespace {

constexpr int64_t kMiB = 1 << 20;

// Measured on the release build (peak resident size of `evaluate` on
// scenarios from `rollcall synth` and on pupils with no marks), rounded up.
// Per byte of input: the text, its JSON document, the scenario, and the
// result of its marks (synth's files need 18 to 25 in all).
constexpr int64_t kBytesPerInputByte = 20;
// Per pupil: the evaluation and the pupil's result document and text.
constexpr int64_t kBytesPerPupil = 2000;
// Per session listed as unrecorded_marks evidence: its place in the
// evaluation, its ["2024-09-03", "AM", null] in the result document, and
// its text (466 measured).
constexpr int64_t kBytesPerEvidenceSession = 500;
// The columnar engine holds one byte per pupil per calendar session.
constexpr int64_t kColumnarBytesPerPupilSession = 1;

std::string Mib(int64_t bytes) { return fmt::format("{} MiB", (bytes + kMiB - 1) / kMiB); }

// Open sessions of `calendar` on days from..to (either open-ended).
int64_t SessionsBetween(const core::Calendar& calendar, std::optional<core::Date> from,
                        core::Date to) {
  const int32_t first = from ? calendar.FirstSessionOnOrAfter(*from) : 0;
  const int32_t end = calendar.FirstSessionOnOrAfter(to.AddDays(1));
  return std::max(0, end - first);
}

struct Estimate {
  int64_t pupils = 0;
  int64_t sessions = 0;    // open sessions up to as-of
  int64_t unrecorded = 0;  // pupil-sessions with no mark, each listed as evidence
  int64_t bytes = 0;
};

// What evaluating the scenario and printing its result will allocate. Each
// pupil's sessions up to as-of with neither a mark nor a default mark are
// listed in the result as unrecorded_marks evidence: that is how a small
// file asks for gigabytes. The other alerts' evidence is bounded by the
// marks, so by the input.
Estimate EstimateEvaluation(const core::Scenario& scenario, int64_t input_bytes, bool columnar) {
  const core::Calendar& calendar = scenario.calendar;
  Estimate e;
  e.pupils = static_cast<int64_t>(scenario.pupils.size());
  e.sessions = SessionsBetween(calendar, std::nullopt, scenario.as_of);
  const int64_t halves_without_default =
      (scenario.default_mark[0] ? 0 : 1) + (scenario.default_mark[1] ? 0 : 1);
  for (size_t pupil_idx = 0; pupil_idx < scenario.pupils.size(); ++pupil_idx) {
    const core::PupilRecord& pupil = scenario.pupils[pupil_idx];
    int64_t on_roll = pupil.on_roll.empty() ? e.sessions : 0;
    for (const core::OnRollPeriod& period : pupil.on_roll) {
      const core::Date to = period.to ? std::min(*period.to, scenario.as_of) : scenario.as_of;
      on_roll += SessionsBetween(calendar, period.from, to);
    }
    on_roll = std::min(on_roll, e.sessions);
    const int64_t marks = static_cast<int64_t>(scenario.marks[pupil_idx].size());
    e.unrecorded += std::max<int64_t>(0, on_roll * halves_without_default / 2 - marks);
  }
  e.bytes = input_bytes * kBytesPerInputByte + e.pupils * kBytesPerPupil +
            e.unrecorded * kBytesPerEvidenceSession;
  if (columnar) e.bytes += e.pupils * calendar.SessionCount() * kColumnarBytesPerPupilSession;
  return e;
}

void ReportLimit(const std::string& path, const std::string& what, int64_t bytes,
                 int64_t limit_mb) {
  std::cerr << fmt::format(
      "rollcall evaluate: {}: {} needs about {}, more than the limit of {} MiB "
      "(--max-memory-mb)\n",
      path == "-" ? "standard input" : path, what, Mib(bytes), limit_mb);
}

}  // namespace

int64_t DefaultMaxMemoryMb() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) return 4096;
  return static_cast<int64_t>(pages) * page_size / 2 / kMiB;  // half of physical memory
}

int RunEvaluate(const EvaluateArgs& args) {
  if (args.engine != "core" && args.engine != "columnar") {
    std::cerr << "rollcall evaluate: --engine must be core or columnar, not " << args.engine
              << "\n";
    return kExitInvalidInput;
  }
  if (args.max_memory_mb < 0) {
    std::cerr << "rollcall evaluate: --max-memory-mb must be 0 (the default) or more\n";
    return kExitInvalidInput;
  }
  const int64_t limit_mb = args.max_memory_mb > 0 ? args.max_memory_mb : DefaultMaxMemoryMb();
  const int64_t limit = limit_mb > INT64_MAX / kMiB ? INT64_MAX : limit_mb * kMiB;

  core::StatusOr<std::string> text = ReadInput(args.path);
  if (!text.ok()) {
    std::cerr << "rollcall evaluate: " << text.status().message() << "\n";
    return kExitInvalidInput;
  }
  // An over-long number is the input's fault, whatever the limit: say so first.
  if (core::Status numbers = io::CheckJsonNumberLengths(*text); !numbers.ok()) {
    std::cerr << numbers.message() << "\n";
    return kExitInvalidInput;
  }
  const int64_t input_bytes = static_cast<int64_t>(text->size());
  if (input_bytes > limit / kBytesPerInputByte) {
    ReportLimit(args.path, fmt::format("reading a scenario of {} bytes", input_bytes),
                input_bytes * kBytesPerInputByte, limit_mb);
    return kExitInvalidInput;
  }
  std::optional<core::Scenario> scenario = ParseScenarioOrReport(*text);
  std::string().swap(*text);  // the scenario holds all it needs
  if (!scenario) return kExitInvalidInput;
  const Estimate estimate = EstimateEvaluation(*scenario, input_bytes, args.engine == "columnar");
  if (estimate.bytes > limit) {
    ReportLimit(args.path,
                fmt::format("evaluating {} pupils over {} sessions ({} unrecorded pupil-sessions, "
                            "each listed as evidence)",
                            estimate.pupils, estimate.sessions, estimate.unrecorded),
                estimate.bytes, limit_mb);
    return kExitInvalidInput;
  }

  core::Evaluation evaluation;
  if (args.engine == "core") {
    evaluation = core::Evaluate(*scenario);
  } else {
    core::StatusOr<core::Evaluation> columnar = engine::EvaluateScenario(*scenario);
    if (!columnar.ok()) {
      std::cerr << "rollcall evaluate: " << columnar.status().message() << "\n";
      return kExitInvalidInput;
    }
    evaluation = std::move(columnar).value();
  }
  std::string out = io::EvaluationToJson(*scenario, evaluation).dump(args.pretty ? 1 : -1);
  out += '\n';
  if (core::Status written = WriteOutput("", out); !written.ok()) {
    std::cerr << "rollcall evaluate: " << written.message() << "\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace rollcall::cli
