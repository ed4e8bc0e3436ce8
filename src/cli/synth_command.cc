// `rollcall synth --pupils N --years Y --seed S [--out FILE] [--as-of DATE]
// [--phase primary|secondary|all-through] [--pretty]`: writes a synthetic
// school as a conformance scenario. Invalid options: one line on stderr, exit
// 2, nothing written. Besides the scenario keys, each pupil carries its
// invented name, year group and form (keys the scenario parser ignores), so a
// demo can show people rather than ids.
#include <fmt/format.h>

#include <charconv>
#include <iostream>
#include <nlohmann/json.hpp>
#include <utility>

#include "cli/commands.h"
#include "core/date.h"
#include "core/error_codes.h"
#include "io/scenario_json.h"
#include "synth/synth.h"

namespace rollcall::cli {
namespace {

core::StatusOr<synth::SynthOptions> ToOptions(const SynthArgs& args) {
  synth::SynthOptions options;
  options.pupils = args.pupils;
  options.years = args.years;
  // Strictly digits: a parser that wraps "-1" or saturates 2^64 would give two
  // different command lines the same school.
  const char* seed_end = args.seed.data() + args.seed.size();
  const auto [seed_ptr, seed_error] = std::from_chars(args.seed.data(), seed_end, options.seed);
  if (args.seed.empty() || args.seed[0] == '+' || seed_error != std::errc() ||
      seed_ptr != seed_end) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("--seed '{}' is not a whole number from 0 to 18446744073709551615", args.seed));
  }
  if (!args.as_of.empty()) {
    std::optional<core::Date> as_of = core::Date::Parse(args.as_of);
    if (!as_of) {
      return core::InvalidArgument(
          core::kErrDateInvalid,
          fmt::format("--as-of '{}' is not a date (YYYY-MM-DD)", args.as_of));
    }
    options.as_of = *as_of;
  }
  if (!args.phase.empty()) {
    std::optional<synth::Phase> phase = synth::PhaseFromName(args.phase);
    if (!phase) {
      return core::InvalidArgument(
          core::kErrValueInvalid,
          fmt::format("--phase '{}' is not primary, secondary or all-through", args.phase));
    }
    options.phase = *phase;
  }
  RETURN_IF_ERROR(synth::ValidateOptions(options));
  return options;
}

nlohmann::ordered_json SchoolToJson(const synth::SynthOptions& options,
                                    const synth::SynthSchool& school) {
  const nlohmann::ordered_json scenario = io::ScenarioToJson(
      school.scenario,
      {.name = fmt::format("synth-{}-{}p-{}y-seed{}", synth::PhaseName(options.phase),
                           options.pupils, options.years, options.seed)});
  nlohmann::ordered_json out;
  for (const auto& [key, value] : scenario.items()) {
    out[key] = value;
    if (key == "name") {
      out["description"] = fmt::format(
          "Synthetic {} school from `rollcall synth --pupils {} --years {} --seed {} --as-of {} "
          "--phase {}`: invented pupils, national-like attendance",
          synth::PhaseName(options.phase), options.pupils, options.years, options.seed,
          options.as_of.ToString(), synth::PhaseName(options.phase));
    }
  }
  nlohmann::ordered_json& pupils = out["pupils"];
  for (size_t i = 0; i < school.pupils.size(); ++i) {
    const synth::SynthPupil& pupil = school.pupils[i];
    pupils[i]["given_name"] = pupil.given_name;
    pupils[i]["family_name"] = pupil.family_name;
    pupils[i]["year_group"] = pupil.year_group;
    pupils[i]["form"] = pupil.form;
  }
  return out;
}

}  // namespace

int RunSynth(const SynthArgs& args) {
  core::StatusOr<synth::SynthOptions> options = ToOptions(args);
  if (!options.ok()) {
    std::cerr << "rollcall synth: " << options.status().message() << "\n";
    return kExitInvalidInput;
  }
  core::StatusOr<synth::SynthSchool> school = synth::Synthesize(*options);
  if (!school.ok()) {
    std::cerr << "rollcall synth: " << school.status().message() << "\n";
    return school.status().kind() == core::ErrorKind::kInvalidArgument ? kExitInvalidInput
                                                                       : kExitFailure;
  }
  std::string text = SchoolToJson(*options, *school).dump(args.pretty ? 1 : -1);
  text += '\n';
  if (core::Status written = WriteOutput(args.out, text); !written.ok()) {
    std::cerr << "rollcall synth: " << written.message() << "\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace rollcall::cli
