// commands.h
//
// The rollcall subcommands. Each returns the process exit code: 0 success,
// 1 failure of the machine (I/O), 2 invalid input. Errors are one line on stderr.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/evaluate.h"
#include "core/scenario.h"
#include "core/status.h"
#include "store/store.h"

namespace rollcall::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitInvalidInput = 2;

// Reads a whole file, or standard input for "-".
core::StatusOr<std::string> ReadInput(const std::string& path);
// Writes all of `text` to a file (via a temporary and rename, so a reader never
// sees half a file) or to standard output for "" or "-".
core::Status WriteOutput(const std::string& path, const std::string& text);

// Reads and parses a scenario; on failure prints one line (the JSON path and
// problem, or why the file could not be read) on stderr and returns nullopt.
std::optional<core::Scenario> LoadScenarioOrReport(const std::string& path,
                                                   std::string_view command);

int RunEvaluate(const std::string& path, bool pretty);

// `rollcall synth`: the options as parsed; RunSynth validates them.
struct SynthArgs {
  int64_t pupils = 0;
  int64_t years = 0;
  std::string seed;   // decimal, 0 to 2^64 - 1 (checked here, not by the parser)
  std::string out;    // "" or "-": standard output
  std::string as_of;  // "": the library default (2025-07-22)
  std::string phase;  // "": the library default (all-through)
  bool pretty = false;
};
int RunSynth(const SynthArgs& args);

// The readable summary printed by `rollcall summary` and `make demo`.
std::string FormatSummary(const core::Scenario& scenario, const core::Evaluation& evaluation,
                          size_t pupils_to_show);
int RunSummary(const std::string& path, size_t pupils_to_show);

// --db is an SQLite file, or a PostgreSQL URI ("postgresql://...") together
// with --school, the URN of the school to open in that database.
struct ServeArgs {
  std::string db = "rollcall.db";
  std::string school;  // PostgreSQL only
  std::string address = "127.0.0.1";
  uint16_t port = 8080;
  int threads = 4;
  bool quiet = false;     // no per-request log lines
  int demo_pupils = 420;  // demo only: size of the school created
  std::string demo_now;   // demo only: run the clock from this UK local time
};
int RunServe(const ServeArgs& args);
// Creates the demo school in args.db if it has no school yet, then serves it.
int RunDemo(const ServeArgs& args);
int RunMigrate(const std::string& db);
// Opens the SQLite file or, for a PostgreSQL URI, the school `school` in it
// (InvalidArgument when `school` is missing).
core::StatusOr<std::unique_ptr<store::Store>> OpenSchoolStore(const std::string& db,
                                                              const std::string& school);
// `db` as it may be printed: a PostgreSQL URI without its password.
std::string PrintableDb(const std::string& db);

struct UserAddArgs {
  std::string db;
  std::string school;  // PostgreSQL only
  std::string username;
  std::string name;
  std::string role;
  std::string la_code;
  std::vector<std::string> classes;  // class names a teacher registers
};
// Reads the password from the first line of standard input.
int RunUserAdd(const UserAddArgs& args);

}  // namespace rollcall::cli
