// The rollcall binary: the only place that touches files, standard streams
// and (later) sockets, clocks and databases.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

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

  SynthArgs synth_args;
  CLI::App* synth = app.add_subcommand(
      "synth", "Write a synthetic school (scenario JSON) with national-like attendance");
  synth->add_option("--pupils", synth_args.pupils, "number of pupils, 1-1000000")->required();
  synth->add_option("--years", synth_args.years, "academic years, 1-10, ending with as-of's")
      ->required();
  synth->add_option("--seed", synth_args.seed, "random seed: same seed, same file")->required();
  synth->add_option("--out", synth_args.out, "output file (default: standard output)");
  synth->add_option("--as-of", synth_args.as_of, "evaluation day YYYY-MM-DD (default 2025-07-22)");
  synth->add_option("--phase", synth_args.phase,
                    "primary, secondary or all-through (default: all-through, the national mix)");
  synth->add_flag("--pretty", synth_args.pretty, "indent the output");

  std::string summary_path;
  size_t summary_pupils = 5;
  CLI::App* summary = app.add_subcommand(
      "summary", "Print a readable summary of a scenario's evaluation (school, cohorts, alerts)");
  summary->add_option("file", summary_path, "scenario file, or - for standard input")->required();
  summary->add_option("--pupils", summary_pupils, "how many pupils of most concern to show")
      ->check(CLI::Range(0, 1000));

  auto add_serve_options = [](CLI::App* cmd, ServeArgs& args) {
    cmd->add_option("--db", args.db,
                    "SQLite database file, or PostgreSQL URI postgresql://user@host/db");
    cmd->add_option("--school", args.school, "with a PostgreSQL --db: the school's URN");
    cmd->add_option("--port", args.port, "TCP port (0: any free port)");
    cmd->add_option("--address", args.address, "address to listen on (default 127.0.0.1)");
    cmd->add_option("--threads", args.threads, "server threads")->check(CLI::Range(1, 64));
    cmd->add_flag("--quiet", args.quiet, "do not log each request");
  };
  ServeArgs serve_args;
  CLI::App* serve = app.add_subcommand("serve", "Serve a school database over HTTP (API v1)");
  add_serve_options(serve, serve_args);
  serve->get_option("--db")->required();

  ServeArgs demo_args;
  demo_args.db = "demo/rollcall.db";
  CLI::App* demo = app.add_subcommand(
      "demo", "Create (if missing) and serve a demo primary school with demo logins");
  add_serve_options(demo, demo_args);
  demo->add_option("--now", demo_args.demo_now,
                   "run the demo's clock from this UK local time, e.g. 2026-11-25T10:30 (to try "
                   "a school morning at any hour; a new demo database is seeded up to it)");
  demo->add_option("--pupils", demo_args.demo_pupils,
                   "pupils in a newly created demo school (benchmarks)")
      ->check(CLI::Range(14, 20000));

  std::string migrate_db;
  CLI::App* migrate =
      app.add_subcommand("migrate", "Apply any missing schema migrations to a school database");
  migrate
      ->add_option("--db", migrate_db,
                   "SQLite database file, or PostgreSQL URI postgresql://user@host/db")
      ->required();

  UserAddArgs user_args;
  CLI::App* user = app.add_subcommand("user", "Manage staff and parent accounts");
  user->require_subcommand(1);
  CLI::App* user_add =
      user->add_subcommand("add", "Create an account; the password is read from standard input");
  user_add
      ->add_option("--db", user_args.db,
                   "SQLite database file, or PostgreSQL URI postgresql://user@host/db")
      ->required();
  user_add->add_option("--school", user_args.school, "with a PostgreSQL --db: the school's URN");
  user_add->add_option("--username", user_args.username, "login name")->required();
  user_add->add_option("--name", user_args.name, "display name, e.g. \"Mrs A Khan\"");
  user_add->add_option("--role", user_args.role, "teacher, office, head, governor, la or parent")
      ->required();
  user_add->add_option("--la-code", user_args.la_code, "LA officers: the authority's number");
  user_add->add_option("--class", user_args.classes, "teachers: a class they register (repeat)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitInvalidInput;
  }
  try {
    if (*evaluate) return RunEvaluate(evaluate_path, pretty);
    if (*synth) return RunSynth(synth_args);
    if (*summary) return RunSummary(summary_path, summary_pupils);
    if (*serve) return RunServe(serve_args);
    if (*demo) return RunDemo(demo_args);
    if (*migrate) return RunMigrate(migrate_db);
    if (*user_add) return RunUserAdd(user_args);
  } catch (const std::exception& e) {
    std::cerr << "rollcall: internal error: " << e.what() << "\n";
    return kExitFailure;
  }
  return kExitInvalidInput;
}
