// The rollcall binary: the only place that touches files, standard streams
// and (later) sockets, clocks and databases.
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
  using namespace rollcall::cli;
  CLI::App app{"rollcall: school attendance registers, statistics and alerts (England)"};
  app.require_subcommand(1);

  std::string evaluate_path;
  bool pretty = false;
  CLI::App* evaluate = app.add_subcommand(
      "evaluate", "Evaluate a scenario JSON file (or - for stdin) and print the result JSON");
  evaluate->add_option("file", evaluate_path, "scenario file, or - for standard input")->required();
  evaluate->add_flag("--pretty", pretty, "indent the output");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitInvalidInput;
  }
  try {
    if (*evaluate) return RunEvaluate(evaluate_path, pretty);
  } catch (const std::exception& e) {
    std::cerr << "rollcall: internal error: " << e.what() << "\n";
    return kExitFailure;
  }
  return kExitInvalidInput;
}
