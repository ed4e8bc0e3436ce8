// The rollcall binary: the only place that touches files, standard streams
// and (later) sockets, clocks and databases.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <new>

#include "cli/commands.h"
#include "cli/config_file.h"

namespace {

// An input too big for this machine's memory is refused like any other bad
// input: one line and exit 2, not an abort. This runs where operator new fails,
// before any exception: a std::bad_alloc can't always be caught (nlohmann-json
// allocates in its destructors, so unwinding a half-built document aborts).
// Buffered standard output is dropped, so no half result is printed.
[[noreturn]] void OutOfMemory() {
  static constexpr char kMessage[] =
      "rollcall: out of memory: an allocation failed (evaluate: see --max-memory-mb)\n";
  [[maybe_unused]] const ssize_t written = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  std::_Exit(rollcall::cli::kExitInvalidInput);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace rollcall::cli;
  std::set_new_handler(OutOfMemory);
  CLI::App app{"rollcall: school attendance registers, statistics and alerts (England)"};
  app.require_subcommand(1);

  EvaluateArgs evaluate_args;
  CLI::App* evaluate = app.add_subcommand(
      "evaluate", "Evaluate a scenario JSON file (or - for stdin) and print the result JSON");
  evaluate->add_option("file", evaluate_args.path, "scenario file, or - for standard input")
      ->required();
  evaluate->add_flag("--pretty", evaluate_args.pretty, "indent the output");
  evaluate->add_option("--engine", evaluate_args.engine,
                       "core (the reference rules) or columnar (the LA-scale engine); both give "
                       "the same result");
  evaluate
      ->add_option("--max-memory-mb", evaluate_args.max_memory_mb,
                   fmt::format("refuse (exit 2) a scenario whose evaluation is estimated to need "
                               "more memory than this, in MiB (default: half of physical memory, "
                               "here {})",
                               DefaultMaxMemoryMb()))
      ->check(CLI::NonNegativeNumber);

  BenchEngineArgs bench_args;
  CLI::App* bench = app.add_subcommand("bench", "Benchmarks");
  bench->require_subcommand(1);
  CLI::App* bench_engine = bench->add_subcommand(
      "engine", "Time the columnar engine's statistics and alerts passes on N pupils x one year");
  bench_engine->add_option("--pupils", bench_args.pupils, "pupils to generate, 1-20000000")
      ->required();
  bench_engine->add_option("--school-size", bench_args.school_size, "pupils per school (400)");
  bench_engine->add_option("--seed", bench_args.seed, "random seed (1)");
  bench_engine->add_option("--threads", bench_args.threads,
                           "threads for the parallel runs (all cores)");
  bench_engine->add_option("--repeat", bench_args.repeat,
                           "runs of each pass; the best is reported (3)");
  bench_engine->add_option("--load", bench_args.load, "read the data from this engine file");
  bench_engine->add_option("--save", bench_args.save, "write the data to this engine file");
  bench_engine->add_option("--duckdb", bench_args.duckdb,
                           "bench/duckdb/stats.mjs: time the same aggregation in DuckDB");
  bench_engine->add_option("--duckdb-pupils", bench_args.duckdb_pupils,
                           "compare DuckDB on the first schools up to this many pupils (all)");
  bench_engine
      ->add_option("--duckdb-storage", bench_args.duckdb_storage,
                   "memory (default) or file: DuckDB holds the marks in a database file in "
                   "--work-dir, for data larger than memory")
      ->check(CLI::IsMember({"memory", "file"}));
  bench_engine->add_option("--sqlite-pupils", bench_args.sqlite_pupils,
                           "time the same aggregation in SQLite on up to this many pupils");
  bench_engine->add_option("--work-dir", bench_args.work_dir, "where the CSV export goes");
  bench_engine->add_option("--json", bench_args.json, "also write the figures as JSON here");
  bench_engine->add_option("--core-pupils", bench_args.core_pupils,
                           "pupils the rules core's baseline runs on (20000)");
  bench_engine->add_option("--as-of", bench_args.as_of,
                           "evaluation day YYYY-MM-DD (default: the year's 31 July)");

  BenchCtfArgs bench_ctf_args;
  CLI::App* bench_ctf = bench->add_subcommand(
      "ctf", "Time writing one Common Transfer File for N leavers (target: 2,000 in under 2 s)");
  bench_ctf->add_option("--leavers", bench_ctf_args.leavers, "leavers in the file (2000)");
  bench_ctf->add_option("--years", bench_ctf_args.years,
                        "academic years of marks each, ending last July (1)");

  BenchPurgeArgs bench_purge_args;
  CLI::App* bench_purge = bench->add_subcommand(
      "purge",
      "Time the retention purge's dry run and apply on a school of N pupils with Y years of "
      "marks in an SQLite file");
  bench_purge->add_option("--pupils", bench_purge_args.pupils, "pupils in the school (2000)")
      ->check(CLI::Range(1, 100000));
  bench_purge
      ->add_option("--years", bench_purge_args.years,
                   "years of marks, back from 4 December 2026 (7)")
      ->check(CLI::Range(1, 20));
  bench_purge->add_option("--keep-db", bench_purge_args.keep_db,
                          "write the school to this new file and leave it there whole (e.g. to "
                          "time backups): the dry run is timed, the purge is not run");

  BenchDayOneArgs bench_day_one_args;
  CLI::App* bench_day_one = bench->add_subcommand(
      "day-one",
      "Time queuing a morning's day-one absence messages for N pupils (target: 2,000 well "
      "under 1 s)");
  bench_day_one->add_option("--pupils", bench_day_one_args.pupils,
                            "pupils in the school, about one in ten absent (2000)");

  HostedSeedArgs hosted_seed_args;
  CLI::App* hosted_seed = bench->add_subcommand(
      "hosted-seed",
      "Create the schools of the hosted morning burst (scripts/bench-hosted): many in a "
      "PostgreSQL database, or one in an SQLite file");
  hosted_seed->add_option("--db", hosted_seed_args.db, "postgresql://... or an SQLite file")
      ->required();
  hosted_seed->add_option("--schools", hosted_seed_args.schools, "schools to create (100)");
  hosted_seed->add_option("--classes", hosted_seed_args.classes, "forms a school (60)");
  hosted_seed->add_option("--class-size", hosted_seed_args.class_size, "pupils a form (30)");
  hosted_seed->add_option("--days", hosted_seed_args.days,
                          "school days of marks before the bench day (10)");
  hosted_seed->add_option("--first-urn", hosted_seed_args.first_urn,
                          "the first school's URN; the next ones follow (300000)");
  hosted_seed->add_option("--date", hosted_seed_args.date,
                          "the bench day, YYYY-MM-DD, in the autumn term (2026-11-25)");
  hosted_seed->add_option("--out-schools", hosted_seed_args.out_schools,
                          "write the URNs here, one a line (for rollcall serve --schools)");
  hosted_seed->add_option("--office-user", hosted_seed_args.office_user,
                          "each school's office login (office)");
  hosted_seed->add_option("--password", hosted_seed_args.password,
                          "every account's password (rollcall-bench)");
  hosted_seed->add_option("--jobs", hosted_seed_args.jobs, "schools written at once (2)")
      ->check(CLI::Range(1, 16));

  HostedLoadArgs hosted_load_args;
  CLI::App* hosted_load = bench->add_subcommand(
      "hosted-load",
      "The hosted morning burst against running servers: registers PUT while readers GET "
      "school summaries, latencies reported");
  hosted_load
      ->add_option("--target", hosted_load_args.targets,
                   "http://HOST:PORT of a server; repeat for each (requests alternate)")
      ->required();
  hosted_load
      ->add_option("--schools", hosted_load_args.schools,
                   "the file of the schools' URNs, one a line")
      ->required();
  hosted_load->add_option("--registers", hosted_load_args.registers, "registers a school (60)");
  hosted_load->add_option("--class-size", hosted_load_args.class_size,
                          "marks a register at most (30)");
  hosted_load->add_option("--seconds", hosted_load_args.seconds,
                          "the registers' start times spread over this (60)");
  hosted_load->add_option("--readers", hosted_load_args.readers,
                          "clients reading school summaries without pause (500)");
  hosted_load->add_option("--date", hosted_load_args.date, "the registers' day (2026-11-25)");
  hosted_load->add_option("--session", hosted_load_args.session, "AM or PM (AM)");
  hosted_load->add_option("--office-user", hosted_load_args.office_user,
                          "each school's office login (office)");
  hosted_load->add_option("--password", hosted_load_args.password, "its password");
  hosted_load->add_option("--seed", hosted_load_args.seed, "random seed of start times (1)");
  hosted_load->add_option("--timeout", hosted_load_args.timeout_seconds,
                          "seconds a request may take before it counts as an error (10)");
  hosted_load->add_option("--give-up", hosted_load_args.give_up_seconds,
                          "seconds after the clock starts when the burst ends, registers still "
                          "unfinished counted as errors (300)");
  hosted_load->add_flag("--baseline", hosted_load_args.baseline,
                        "readers only, for --seconds, against one single-school server");
  hosted_load->add_option("--json", hosted_load_args.json, "also write the figures here");

  ImportArgs import_args;
  CLI::App* import = app.add_subcommand(
      "import", "Import attendance marks from CSV into a school database and/or an engine file");
  import->add_option("marks", import_args.marks, "marks CSV (README: Importing marks)")->required();
  import->add_option("--pupils", import_args.pupils,
                     "pupil list CSV: school,upn,cohorts,admitted,left");
  import->add_option("--db", import_args.db, "school database to record the marks in");
  import->add_option("--school", import_args.school, "with a PostgreSQL --db: the school's URN");
  import->add_option("--user", import_args.user, "with --db: the office or head account importing");
  import->add_option("--engine-file", import_args.engine_file, "engine file to write");
  import->add_option("--calendar", import_args.calendar, "with --engine-file: calendar JSON");
  import->add_option("--policy", import_args.policy, "with --engine-file: policy JSON");

  ImportRollArgs roll_args;
  CLI::App* import_roll = app.add_subcommand(
      "import-roll",
      "Import pupils, classes, cohort flags and contacts from the old system's CSV files");
  import_roll->add_option("--db", roll_args.db, "the school's database")->required();
  import_roll->add_option("--school", roll_args.school, "with a PostgreSQL --db: the school's URN");
  import_roll->add_option("--pupils", roll_args.pupils, "pupils CSV (docs/import.md)");
  import_roll->add_option("--contacts", roll_args.contacts, "contacts CSV");
  import_roll->add_option("--ctf", roll_args.ctf,
                          "instead of --pupils: a Common Transfer File received (docs/ctf.md)");
  import_roll->add_option("--start", roll_args.start,
                          "with --ctf: the starting day of pupils new to the school, YYYY-MM-DD");
  import_roll->add_option("--class", roll_args.class_name,
                          "with --ctf: the class pupils new to the school join");
  import_roll->add_option("--mapping", roll_args.mapping,
                          "rollcall (default), surname-forename-dmy, or a mapping JSON file");
  import_roll->add_option("--user", roll_args.user,
                          "the office or head account importing (default: the one head)");
  import_roll->add_flag("--dry-run", roll_args.dry_run, "check and count, write nothing");

  ShareArgs share_args;
  CLI::App* share = app.add_subcommand(
      "share", "Send the daily attendance share now: every mark new or changed since the last");
  share->add_option("--db", share_args.db, "the school's database")->required();
  share->add_option("--school", share_args.school, "with a PostgreSQL --db: the school's URN");
  share->add_option("--out", share_args.out, "write to this folder instead of the one set");
  share->add_option("--url", share_args.url, "post to this https address instead of the one set");
  share->add_flag("--dry-run", share_args.dry_run, "print the extract; send and record nothing");
  CtfArgs ctf_args;
  CLI::App* ctf = app.add_subcommand(
      "ctf", "Write a Common Transfer File for leavers, each year's figures from the rules core");
  ctf->add_option("--db", ctf_args.db, "the school's database")->required();
  ctf->add_option("--school", ctf_args.school, "with a PostgreSQL --db: the school's URN");
  ctf->add_option("--pupil", ctf_args.pupils, "a pupil's id or UPN (repeat for more)");
  ctf->add_flag("--owed", ctf_args.owed, "every file owed for leavers and not produced yet");
  ctf->add_option("--year-group", ctf_args.year_group,
                  "every pupil of the year group on roll this year (0 for Reception)");
  ctf->add_option("--out", ctf_args.out, "the file to write (- for standard output)")->required();
  ctf->add_option("--dest", ctf_args.dest,
                  "the school it goes to, LAESTAB (e.g. 8552345), or MMMMMMM when unknown "
                  "(default: the destination the deletions recorded)");
  ctf->add_option("--user", ctf_args.user,
                  "the office, head or attendance officer account (default: the one head)");
  CensusArgs bench_census_args;
  CLI::App* bench_census = bench->add_subcommand(
      "census", "The time to produce a school census return (nothing is recorded)");
  bench_census->add_option("--db", bench_census_args.db, "the school's database")->required();
  bench_census->add_option("--school", bench_census_args.school,
                           "with a PostgreSQL --db: the school's URN");
  bench_census->add_option("--census", bench_census_args.census, "spring, summer or autumn")
      ->required();
  bench_census->add_option("--year", bench_census_args.year, "the year the census is taken in")
      ->required();
  bench_census->add_option("--repeat", bench_census_args.repeat, "runs to time (3)");
  bench_census->add_option("--user", bench_census_args.user,
                           "an office or head account (default: the one head)");

  SarArgs sar_args;
  CLI::App* sar = app.add_subcommand(
      "sar",
      "Write a subject access request's copy of everything held about a pupil or a "
      "parent (JSON, PDF), recorded in the access log");
  sar->add_option("--db", sar_args.db, "the school's database")->required();
  sar->add_option("--school", sar_args.school, "with a PostgreSQL --db: the school's URN");
  sar->add_option("--pupil", sar_args.pupil, "the pupil's id");
  sar->add_option("--contact", sar_args.contact,
                  "a parent or carer: the pupil's id and their place in the pupil's contacts, "
                  "e.g. 12:1");
  sar->add_option("--out-json", sar_args.out_json, "write the JSON here (- for standard output)");
  sar->add_option("--out-pdf", sar_args.out_pdf, "write the PDF here");
  sar->add_option("--user", sar_args.user,
                  "the head's username the request is recorded under (default: the one head)");

  CensusArgs census_args;
  CLI::App* census = app.add_subcommand(
      "census", "Write the school census attendance return (XML, and CSV) and record it");
  census->add_option("--db", census_args.db, "the school's database")->required();
  census->add_option("--school", census_args.school, "with a PostgreSQL --db: the school's URN");
  census->add_option("--census", census_args.census, "spring, summer or autumn")->required();
  census->add_option("--year", census_args.year, "the year the census is taken in, e.g. 2026")
      ->required();
  census->add_option("--out", census_args.out, "the return's XML file")->required();
  census->add_option("--csv", census_args.csv, "also write the figures as CSV here");
  census->add_option("--user", census_args.user,
                     "the office or head account making the return (default: the one head)");

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

  ForecastTrainArgs forecast_train_args;
  ForecastEvaluateArgs forecast_evaluate_args;
  CLI::App* forecast = app.add_subcommand(
      "forecast", "Train or measure the early-warning model on synthetic secondary schools");
  forecast->require_subcommand(1);
  CLI::App* forecast_train = forecast->add_subcommand(
      "train", "Fit the model and write it as src/core/forecast_model.inc");
  forecast_train->add_option("--seed", forecast_train_args.seed, "the synthetic school's seed")
      ->required();
  forecast_train->add_option("--pupils", forecast_train_args.pupils,
                             "pupils in the synthetic school (default 2000)");
  forecast_train->add_option("--out", forecast_train_args.out,
                             "output file (default: standard output)");
  CLI::App* forecast_evaluate = forecast->add_subcommand(
      "evaluate", "Train on one seed, report precision and recall on another beside the baseline");
  forecast_evaluate
      ->add_option("--train-seed", forecast_evaluate_args.train_seed,
                   "seed of the school trained on")
      ->required();
  forecast_evaluate
      ->add_option("--test-seed", forecast_evaluate_args.test_seed,
                   "seed of the school measured on")
      ->required();
  forecast_evaluate->add_option("--pupils", forecast_evaluate_args.pupils,
                                "pupils in each synthetic school (default 2000)");

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
    cmd->add_option("--db-connections", args.db_connections,
                    "with a PostgreSQL --db: connections shared by every school the process "
                    "opens (default: 2.5 x --threads, + 2)")
        ->check(CLI::Range(1, 1000));
    cmd->add_flag("--quiet", args.quiet, "do not log each request");
    cmd->add_flag("--behind-tls", args.behind_tls,
                  "served over HTTPS by a reverse proxy: cookies get Secure, answers carry HSTS");
    cmd->add_option("--trusted-proxy", args.trusted_proxies,
                    "the address of a reverse proxy in front (repeat for several): from it "
                    "alone, the last X-Forwarded-For entry (or X-Real-IP) is the client's "
                    "address, for login throttling and the logs")
        ->check(CLI::Validator(
            [](std::string& value) -> std::string {
              return rollcall::cli::ProxyAddressProblem(value);
            },
            "ADDRESS"));
    cmd->add_option("--tls-cert", args.tls_cert,
                    "serve HTTPS: PEM certificate file, the certificate then its chain "
                    "(with --tls-key; read again on SIGHUP after a renewal)");
    cmd->add_option("--tls-key", args.tls_key, "serve HTTPS: PEM private key of --tls-cert");
    // Never from a --config file: a service left running on a clock that
    // is not the real time would date every mark wrongly.
    cmd->add_option("--now", args.now,
                    "for trying things out and tests: run the clock from this UK local time, "
                    "e.g. 2026-11-25T10:30 (a school morning at any hour; a new demo school is "
                    "seeded up to it)")
        ->configurable(false);
    cmd->add_option("--jobs-interval-ms", args.jobs_interval_ms,
                    "how often scheduled work runs (webhooks): milliseconds between runs")
        ->check(CLI::Range(50, 600000));
    cmd->add_option("--outside-check-ms", args.outside_check_ms,
                    "how often a request asks the database what other processes wrote: "
                    "milliseconds between checks (default 0: every request)")
        ->check(CLI::Range(0, 600000));
  };
  ServeArgs serve_args;
  CLI::App* serve = app.add_subcommand("serve", "Serve a school database over HTTP (API v1)");
  add_serve_options(serve, serve_args);
  // Required, but it may come from the --config file, which is read after
  // CLI11 has parsed the command line: checked below, once the file is read.
  serve->get_option("--db")->description(
      "SQLite database file, or PostgreSQL URI postgresql://user@host/db (required: here or as "
      "db = ... in the --config file)");
  serve
      ->add_option("--config", serve_args.config,
                   "read settings from this file (the package's is /etc/rollcall/rollcall.conf): "
                   "name = value lines named as these options, e.g. port = 8080; the command "
                   "line wins")
      ->configurable(false);
  serve->add_option("--schools", serve_args.schools,
                    "with a PostgreSQL --db, instead of --school: serve every school this file "
                    "lists, one a line: URN [HOST ...] (at /s/URN/, and at / on its host names; "
                    "docs/hosting.md)");
  serve->add_option("--la-school", serve_args.la_schools,
                    "another school for the LA officer's cross-school views (repeat): an SQLite "
                    "file, or a URN in the same PostgreSQL database");

  ServeArgs demo_args;
  demo_args.db = "demo/rollcall.db";
  CLI::App* demo = app.add_subcommand(
      "demo", "Create (if missing) and serve a demo primary school with demo logins");
  add_serve_options(demo, demo_args);
  demo->add_option("--pupils", demo_args.demo_pupils,
                   "pupils in a newly created demo school (benchmarks)")
      ->check(CLI::Range(14, 20000));

  PurgeArgs purge_args;
  CLI::App* purge = app.add_subcommand(
      "purge", "Remove the records past their retention period (docs/retention.md)");
  purge
      ->add_option("--db", purge_args.db,
                   "SQLite database file, or PostgreSQL URI postgresql://user@host/db")
      ->required();
  purge->add_option("--school", purge_args.school, "with a PostgreSQL --db: the school's URN");
  purge->add_flag("--dry-run", purge_args.dry_run,
                  "list what would go and who is held; remove nothing");
  purge->add_flag("--apply", purge_args.apply, "remove it, in one transaction, and log the purge");
  purge->add_option("--now", purge_args.now,
                    "for trying things out and tests: purge as of this UK local time, e.g. "
                    "2026-11-25T10:30");

  std::string migrate_db;
  CLI::App* migrate =
      app.add_subcommand("migrate", "Apply any missing schema migrations to a school database");
  migrate
      ->add_option("--db", migrate_db,
                   "SQLite database file, or PostgreSQL URI postgresql://user@host/db")
      ->required();

  BackupArgs backup_args;
  CLI::App* backup = app.add_subcommand(
      "backup",
      "Copy a school's SQLite database to a checked backup file, safely while it is served");
  backup->add_option("--db", backup_args.db, "the school's SQLite database")->required();
  backup->add_option("--out", backup_args.out, "the backup file to write")->required();
  backup->add_flag("--force", backup_args.force, "replace --out if it exists");

  RestoreArgs restore_args;
  CLI::App* restore = app.add_subcommand(
      "restore",
      "Check a backup and put it in place as a school's database (stop the server first)");
  restore->add_option("--backup", restore_args.backup, "the backup file")->required();
  restore->add_option("--db", restore_args.db, "the database file to restore")->required();
  restore->add_flag("--force", restore_args.force,
                    "replace an existing --db (kept as FILE.before-restore-TIME)");

  InitArgs init_args;
  CLI::App* init = app.add_subcommand(
      "init",
      "Set up a school in a new database from a JSON file of answers (docs/setup.md) and "
      "flags; the head's password is read from standard input");
  init->add_option("--db", init_args.db,
                   "SQLite database file, or PostgreSQL URI postgresql://user@host/db")
      ->required();
  init->add_option("--school", init_args.school, "with a PostgreSQL --db: the school's URN");
  init->add_option("--from", init_args.from, "the set-up JSON file");
  init->add_option("--name", init_args.name, "the school's name");
  init->add_option("--urn", init_args.urn, "unique reference number, 6 digits");
  init->add_option("--la", init_args.la, "local authority number, 3 digits");
  init->add_option("--estab", init_args.estab, "establishment number, 4 digits");
  init->add_option("--phase", init_args.phase,
                   "nursery, primary, middle, secondary, all-through, special or alternative "
                   "provision");
  init->add_option("--address", init_args.address, "a line of the postal address (repeat)");
  init->add_option("--postcode", init_args.postcode, "the postcode");
  init->add_option("--am-start", init_args.am_start, "the morning session starts, HH:MM");
  init->add_option("--pm-start", init_args.pm_start, "the afternoon session starts, HH:MM");
  init->add_option("--register-close-minutes", init_args.register_close_minutes,
                   "registers close this many minutes after the session starts (0-30)");
  init->add_option("--term-dates", init_args.term_dates,
                   "a term-dates file from the LA or school (docs/setup.md)");
  init->add_option("--head-username", init_args.head_username, "the head's login name");
  init->add_option("--head-name", init_args.head_name, "the head's name, e.g. \"Ms A Khan\"");

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
  user_add
      ->add_option("--role", user_args.role,
                   "teacher, office, attendance, head, dsl, senco, governor, la or parent")
      ->required();
  user_add->add_option("--la-code", user_args.la_code, "LA officers: the authority's number");
  user_add->add_option("--class", user_args.classes, "teachers: a class they register (repeat)");
  UserAddArgs password_args;
  CLI::App* user_password = user->add_subcommand(
      "password",
      "Set a new password for an account, read from standard input, and end its sessions");
  user_password
      ->add_option("--db", password_args.db,
                   "SQLite database file, or PostgreSQL URI postgresql://user@host/db")
      ->required();
  user_password->add_option("--school", password_args.school,
                            "with a PostgreSQL --db: the school's URN");
  user_password->add_option("--username", password_args.username, "login name")->required();
  UserAddArgs second_factor_args;
  CLI::App* user_second_factor = user->add_subcommand(
      "second-factor-reset", "Remove an account's second factor (a lost phone), logged as a reset");
  user_second_factor
      ->add_option("--db", second_factor_args.db,
                   "SQLite database file, or PostgreSQL URI postgresql://user@host/db")
      ->required();
  user_second_factor->add_option("--school", second_factor_args.school,
                                 "with a PostgreSQL --db: the school's URN");
  user_second_factor->add_option("--username", second_factor_args.username, "login name")
      ->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitInvalidInput;
  }
  try {
    if (*evaluate) return RunEvaluate(evaluate_args);
    if (*bench_engine) return RunBenchEngine(bench_args);
    if (*bench_ctf) return RunBenchCtf(bench_ctf_args);
    if (*bench_day_one) return RunBenchDayOne(bench_day_one_args);
    if (*bench_purge) return RunBenchPurge(bench_purge_args);
    if (*hosted_seed) return RunHostedSeed(hosted_seed_args);
    if (*hosted_load) return RunHostedLoad(hosted_load_args);
    if (*purge) return RunPurge(purge_args);
    if (*import) return RunImport(import_args);
    if (*import_roll) return RunImportRoll(roll_args);
    if (*share) return RunShare(share_args);
    if (*ctf) return RunCtf(ctf_args);
    if (*bench_census) return RunBenchCensus(bench_census_args);
    if (*census) return RunCensus(census_args);
    if (*sar) return RunSar(sar_args);
    if (*synth) return RunSynth(synth_args);
    if (*forecast_train) return RunForecastTrain(forecast_train_args);
    if (*forecast_evaluate) return RunForecastEvaluate(forecast_evaluate_args);
    if (*summary) return RunSummary(summary_path, summary_pupils);
    if (*serve) {
      if (!serve_args.config.empty()) {
        if (rollcall::core::Status s = ApplyConfigFile(*serve, serve_args.config); !s.ok())
          return ReportProblem("serve", s);
      }
      if (serve->get_option("--db")->count() == 0) {
        std::cerr << "rollcall serve: --db is required (on the command line, or as db = ... in "
                     "the --config file)\n";
        return kExitInvalidInput;
      }
      return RunServe(serve_args);
    }
    if (*demo) return RunDemo(demo_args);
    if (*migrate) return RunMigrate(migrate_db);
    if (*backup) return RunBackup(backup_args);
    if (*restore) return RunRestore(restore_args);
    if (*init) return RunInit(init_args);
    if (*user_add) return RunUserAdd(user_args);
    if (*user_password) return RunUserPassword(password_args);
    if (*user_second_factor) return RunUserSecondFactorReset(second_factor_args);
  } catch (const std::bad_alloc& e) {
    // Thrown without operator new (OutOfMemory covers that): the same answer.
    std::cerr << "rollcall: out of memory: " << e.what() << "\n";
    return kExitInvalidInput;
  } catch (const std::exception& e) {
    std::cerr << "rollcall: internal error: " << e.what() << "\n";
    return kExitFailure;
  }
  return kExitInvalidInput;
}
