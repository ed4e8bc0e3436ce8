// Evaluation throughput of the rules core, in pupil-sessions per second:
// statistics alone (session sequence + counts + PA/SA + band), all alerts,
// the whole evaluation, and the JSON parse and print around it.
//
// Usage: evaluate_bench --scenario=FILE [google benchmark flags]
// scripts/bench generates FILE with `rollcall synth` and runs this.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "core/alerts.h"
#include "core/evaluate.h"
#include "core/pupil_sessions.h"
#include "core/statistics.h"
#include "io/result_json.h"
#include "io/scenario_json.h"

namespace {

using namespace rollcall;

std::string g_text;
core::Scenario g_scenario;
int64_t g_pupil_sessions = 0;  // sessions evaluated per pass, summed over pupils

void CountPupilSessions() {
  for (size_t i = 0; i < g_scenario.pupils.size(); ++i) {
    g_pupil_sessions += static_cast<int64_t>(
        core::BuildPupilSessions(g_scenario.calendar, g_scenario.pupils[i], g_scenario.marks[i],
                                 g_scenario.default_mark, g_scenario.as_of)
            .size());
  }
}

void SetRate(benchmark::State& state) {
  state.SetItemsProcessed(state.iterations() * g_pupil_sessions);
  state.counters["pupils"] = static_cast<double>(g_scenario.pupils.size());
}

void BM_Statistics(benchmark::State& state) {
  const core::Period period = core::StatisticsPeriod(g_scenario.as_of);
  for (auto _ : state) {
    int64_t flagged = 0;
    for (size_t i = 0; i < g_scenario.pupils.size(); ++i) {
      auto sessions =
          core::BuildPupilSessions(g_scenario.calendar, g_scenario.pupils[i], g_scenario.marks[i],
                                   g_scenario.default_mark, g_scenario.as_of);
      core::SessionCounts counts = core::CountSessions(g_scenario.calendar, sessions, period);
      flagged += core::IsPersistentAbsence(counts, g_scenario.policy);
      flagged += core::IsSevereAbsence(counts, g_scenario.policy);
      benchmark::DoNotOptimize(core::BandOf(counts, g_scenario.policy));
    }
    benchmark::DoNotOptimize(flagged);
  }
  SetRate(state);
}
BENCHMARK(BM_Statistics)->Unit(benchmark::kMillisecond);

void BM_AllAlerts(benchmark::State& state) {
  // Session sequences are built outside the timed loop: this is the alert rules alone.
  std::vector<std::vector<core::PupilSession>> sequences;
  for (size_t i = 0; i < g_scenario.pupils.size(); ++i) {
    sequences.push_back(core::BuildPupilSessions(g_scenario.calendar, g_scenario.pupils[i],
                                                 g_scenario.marks[i], g_scenario.default_mark,
                                                 g_scenario.as_of));
  }
  for (auto _ : state) {
    size_t alerts = 0;
    for (size_t i = 0; i < g_scenario.pupils.size(); ++i) {
      alerts += core::ComputeAlerts(g_scenario.calendar, g_scenario.policy, g_scenario.pupils[i],
                                    sequences[i], g_scenario.as_of)
                    .size();
    }
    benchmark::DoNotOptimize(alerts);
  }
  SetRate(state);
}
BENCHMARK(BM_AllAlerts)->Unit(benchmark::kMillisecond);

void BM_Evaluate(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(core::Evaluate(g_scenario));
  SetRate(state);
}
BENCHMARK(BM_Evaluate)->Unit(benchmark::kMillisecond);

void BM_ParseScenario(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(io::ParseScenario(g_text));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(g_text.size()));
}
BENCHMARK(BM_ParseScenario)->Unit(benchmark::kMillisecond);

void BM_PrintResult(benchmark::State& state) {
  const core::Evaluation evaluation = core::Evaluate(g_scenario);
  for (auto _ : state) {
    benchmark::DoNotOptimize(io::EvaluationToJson(g_scenario, evaluation).dump());
  }
}
BENCHMARK(BM_PrintResult)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  std::string path;
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--scenario=", 0) == 0) {
      path = arg.substr(11);
    } else {
      args.push_back(argv[i]);
    }
  }
  if (path.empty()) {
    std::cerr << "usage: evaluate_bench --scenario=FILE [benchmark flags]\n";
    return 2;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  g_text = buffer.str();
  auto scenario = io::ParseScenario(g_text);
  if (!scenario.ok()) {
    std::cerr << path << ": " << scenario.status().message() << "\n";
    return 2;
  }
  g_scenario = std::move(scenario).value();
  CountPupilSessions();
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
