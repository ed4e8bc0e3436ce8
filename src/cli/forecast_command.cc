// `rollcall forecast train --seed S --pupils N [--out FILE]` and
// `rollcall forecast evaluate --train-seed A --test-seed B --pupils N`: fit and
// measure the early-warning model (core/forecast.h) on synthetic secondary
// schools of two academic years ending on 22 July 2025. Features come from
// the marks up to the Friday before October half-term of the final year; the
// label is the core's persistent-absence flag at the end of the summer term.
// `train` writes the model as the include file src/core/forecast_model.inc;
// `evaluate` trains on one seed's school and reports, on another seed's, the
// list's precision and recall beside the baseline "persistently absent
// already at half-term". Deterministic: the same options print the same text.
#include <fmt/format.h>

#include <charconv>
#include <iostream>

#include "cli/commands.h"
#include "core/error_codes.h"
#include "core/forecast.h"
#include "synth/synth.h"

namespace rollcall::cli {
namespace {

constexpr int64_t kYears = 2;

core::StatusOr<uint64_t> ParseSeed(std::string_view flag, const std::string& text) {
  uint64_t seed = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, error] = std::from_chars(text.data(), end, seed);
  if (text.empty() || text[0] == '+' || error != std::errc() || ptr != end) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("{} '{}' is not a whole number from 0 to 18446744073709551615", flag, text));
  }
  return seed;
}

struct Cohort {
  std::vector<core::ForecastExample> examples;
  core::Date cut_off;
  core::Date year_end;
};

// The examples of one synthetic school.
core::StatusOr<Cohort> CohortOf(uint64_t seed, int64_t pupils) {
  synth::SynthOptions options;
  options.pupils = pupils;
  options.years = kYears;
  options.seed = seed;
  options.phase = synth::Phase::kSecondary;
  RETURN_IF_ERROR(synth::ValidateOptions(options));
  ASSIGN_OR_RETURN(synth::SynthSchool school, synth::Synthesize(options));
  const core::Scenario& scenario = school.scenario;
  std::optional<core::Date> cut_off = core::AutumnHalfTermCutOff(scenario.calendar, scenario.as_of);
  if (!cut_off) {
    return core::Internal(core::kErrInternal,
                          "the synthetic calendar has no autumn term in its final year");
  }
  Cohort cohort{.examples = core::ForecastExamples(scenario, *cut_off, scenario.as_of),
                .cut_off = *cut_off,
                .year_end = scenario.as_of};
  return cohort;
}

std::string Fraction(std::optional<double> value) {
  return value ? fmt::format("{:.3f}", *value) : std::string("-");
}

int Report(std::string_view command, const core::Status& status) {
  std::cerr << "rollcall forecast " << command << ": " << status.message() << "\n";
  return status.kind() == core::ErrorKind::kInvalidArgument ? kExitInvalidInput : kExitFailure;
}

}  // namespace

int RunForecastTrain(const ForecastTrainArgs& args) {
  core::StatusOr<uint64_t> seed = ParseSeed("--seed", args.seed);
  if (!seed.ok()) return Report("train", seed.status());
  core::StatusOr<Cohort> cohort = CohortOf(*seed, args.pupils);
  if (!cohort.ok()) return Report("train", cohort.status());
  core::StatusOr<core::ForecastModel> model = core::FitForecastModel(cohort->examples);
  if (!model.ok()) return Report("train", model.status());
  const std::string source = fmt::format(
      "`rollcall forecast train --seed {} --pupils {}`: synth secondary, {} years; features to "
      "{}, label on {}.",
      *seed, args.pupils, kYears, cohort->cut_off.ToString(), cohort->year_end.ToString());
  if (core::Status written = WriteOutput(args.out, core::ForecastModelInclude(*model, source));
      !written.ok()) {
    return Report("train", written);
  }
  return kExitOk;
}

int RunForecastEvaluate(const ForecastEvaluateArgs& args) {
  core::StatusOr<uint64_t> train_seed = ParseSeed("--train-seed", args.train_seed);
  if (!train_seed.ok()) return Report("evaluate", train_seed.status());
  core::StatusOr<uint64_t> test_seed = ParseSeed("--test-seed", args.test_seed);
  if (!test_seed.ok()) return Report("evaluate", test_seed.status());
  if (*train_seed == *test_seed) {
    return Report("evaluate", core::InvalidArgument(
                                  core::kErrValueInvalid,
                                  "--train-seed and --test-seed are the same: test on a school "
                                  "the model has not seen"));
  }
  core::StatusOr<Cohort> train = CohortOf(*train_seed, args.pupils);
  if (!train.ok()) return Report("evaluate", train.status());
  core::StatusOr<core::ForecastModel> model = core::FitForecastModel(train->examples);
  if (!model.ok()) return Report("evaluate", model.status());
  core::StatusOr<Cohort> test = CohortOf(*test_seed, args.pupils);
  if (!test.ok()) return Report("evaluate", test.status());
  const core::ForecastMeasure ours = core::MeasureModel(*model, test->examples);
  const core::ForecastMeasure baseline = core::MeasureBaseline(test->examples);
  std::string out = fmt::format(
      "early warning: trained on seed {} ({} pupils, {} persistently absent), tested on seed {}\n"
      "features to {}, label: persistently absent on {}\n"
      "test pupils {}, persistently absent {} (base rate {:.3f})\n"
      "{:<36} {:>8} {:>8} {:>9} {:>7} {:>7}\n",
      *train_seed, model->examples, model->positives, *test_seed, test->cut_off.ToString(),
      test->year_end.ToString(), ours.pupils, ours.positives,
      ours.pupils > 0 ? static_cast<double>(ours.positives) / static_cast<double>(ours.pupils)
                      : 0.0,
      "predictor", "flagged", "correct", "precision", "recall", "AUC");
  auto row = [&out](std::string_view name, const core::ForecastMeasure& m) {
    out += fmt::format("{:<36} {:>8} {:>8} {:>9} {:>7} {:>7}\n", name, m.flagged, m.true_positives,
                       Fraction(m.precision), Fraction(m.recall), Fraction(m.auc));
  };
  row(fmt::format("model, chance >= {:.2f}", core::kForecastListCutOff), ours);
  row("baseline, year rate so far >= 10%", baseline);
  std::cout << out;
  return kExitOk;
}

}  // namespace rollcall::cli
